"""The few SQL spellings SQLite and PostgreSQL do not share, as SQLAlchemy constructs compiled per dialect, and
statements built once for the ingest's hot path.

Why: the store's queries are written once; the two-argument MAX/MIN (GREATEST/LEAST), reading one field of a
JSON text column, and the upsert are the only places the two databases differ, so they differ here and nowhere
else. Building a statement costs more than running it on SQLite (~1 ms against ~0.1 ms for an upsert), so the
statements every message runs are built once per dialect with bound parameters (`once`).
"""

from __future__ import annotations

import re

from collections.abc import Callable

from sqlalchemy import BigInteger, Connection, Table, Text
from sqlalchemy.sql import Executable
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

_KEY = re.compile(r"^[a-z_][a-z0-9_]*$")


class greatest(FunctionElement):
    """The larger of two or more values (SQLite's scalar MAX)."""

    type = BigInteger()
    inherit_cache = True


class least(FunctionElement):
    """The smaller of two or more values (SQLite's scalar MIN)."""

    type = BigInteger()
    inherit_cache = True


class json_text(FunctionElement):
    """One top-level field of a JSON text column, as SQL text/number; `key` is a literal identifier."""

    type = Text()
    inherit_cache = True

    def __init__(self, column, key: str) -> None:
        if not _KEY.match(key):
            raise ValueError(f"not a JSON field name: {key!r}")
        self.key_name = key
        super().__init__(column)

    _traverse_internals = [*FunctionElement._traverse_internals, ("key_name", InternalTraversal.dp_string)]


@compiles(greatest)
def _greatest(element, compiler, **kw) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw) -> str:
    return f"MAX({compiler.process(element.clauses, **kw)})"


@compiles(least)
def _least(element, compiler, **kw) -> str:
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(least, "sqlite")
def _least_sqlite(element, compiler, **kw) -> str:
    return f"MIN({compiler.process(element.clauses, **kw)})"


@compiles(json_text)
def _json_text(element, compiler, **kw) -> str:
    return f"(CAST({compiler.process(element.clauses, **kw)} AS JSONB) ->> '{element.key_name}')"


@compiles(json_text, "sqlite")
def _json_text_sqlite(element, compiler, **kw) -> str:
    return f"json_extract({compiler.process(element.clauses, **kw)}, '$.{element.key_name}')"


def insert(c: Connection, table: Table):
    """An INSERT that takes `.on_conflict_do_update` / `.on_conflict_do_nothing` on either database."""
    return (postgresql.insert if c.dialect.name == "postgresql" else sqlite.insert)(table)


def once(build: Callable[[Callable], Executable]) -> Callable[[Connection], Executable]:
    """`build(insert)` called once per dialect (with that dialect's upsert-capable insert), the statement kept."""
    built: dict[str, Executable] = {}

    def statement(c: Connection) -> Executable:
        name = c.dialect.name
        if name not in built:
            built[name] = build(postgresql.insert if name == "postgresql" else sqlite.insert)
        return built[name]

    return statement
