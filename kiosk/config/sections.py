"""Configuration sections as frozen dataclasses, and the one validator that builds them from untrusted mappings.

Why: the kiosk must check its whole configuration before the first frame, where a schema library costs more than
the start-up budget allows: pydantic (imported anyway by the fleet protocol) took 60-103 ms to build and run a
validator over these same dataclasses, bounds not even checked, against 1.5-2.9 ms for this one
(`python -m tests.bench.startup`, five runs, figure `library_alternatives.config_pydantic`), while `kiosk run`
already came up at 1.7-2.4x a bare Kivy window against the budget's 1.5x. Plain dataclasses with bounds in their
field metadata do it in milliseconds. Every problem is reported with its dotted key, all at once, so a technician
fixes a file in one go. Sections are frozen: a running kiosk changes settings only by loading a new configuration.
"""

from __future__ import annotations

import dataclasses
import operator
import re
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Literal, TypeVar

T = TypeVar("T")

_BOUNDS: tuple[tuple[str, Callable[[Any, Any], bool], str], ...] = (
    ("ge", operator.ge, "≥"), ("gt", operator.gt, ">"), ("le", operator.le, "≤"), ("lt", operator.lt, "<"))


class ConfigInvalid(ValueError):
    """A mapping did not fit a section; `problems` lists (dotted key, message) for every fault found."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{key}: {message}" for key, message in problems))
        self.problems = problems


def setting(default: Any = dataclasses.MISSING, *, description: str = "",
            factory: Callable[[], Any] | None = None, pattern: str | None = None,
            ge: float | None = None, gt: float | None = None, le: float | None = None,
            lt: float | None = None, remote: bool = False) -> Any:
    """A section field with its default (or factory), its description (units), its bounds or pattern, and whether
    the bureau may set it remotely (`remote=True`; every other setting is refused in a desired document)."""
    bounds = {name: value for name, value in (("ge", ge), ("gt", gt), ("le", le), ("lt", lt)) if value is not None}
    metadata = {"description": description, "bounds": bounds, "pattern": re.compile(pattern) if pattern else None,
                "remote": remote}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def description(field: dataclasses.Field) -> str:
    """The field's description (with its unit), as written in the schema."""
    return field.metadata.get("description", "")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def is_section(value: Any) -> bool:
    """True for an instance of a section dataclass (not the class itself)."""
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def parse(cls: type[T], values: Any, where: str = "") -> T:
    """Build section `cls` from a mapping, with defaults for missing keys; ConfigInvalid naming every bad key."""
    if not isinstance(values, Mapping):
        raise ConfigInvalid([(where or "(top)", f"must be a table, not {_kind(values)}")])
    fields = {field.name: field for field in dataclasses.fields(cls)}
    problems = [(_join(where, str(key)), "unknown key") for key in values if key not in fields]
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            continue
        try:
            kwargs[name] = _value(_hints(cls)[name], field, value, _join(where, name))
        except ConfigInvalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigInvalid(problems)
    return cls(**kwargs)


def not_remote(cls: type, values: Mapping[str, Any], where: str = "") -> list[str]:
    """Dotted keys in `values` the bureau may not set remotely: the allow-list is the schema's `remote=True`.

    A whole section or table marked remote admits everything under it; a section that is not marked is walked
    key by key; an unknown key is left to the validator."""
    refused = []
    fields = {field.name: field for field in dataclasses.fields(cls)}
    for name, value in values.items():
        field, key = fields.get(name), _join(where, str(name))
        if field is None or field.metadata.get("remote"):
            continue
        hint = _hints(cls)[name]
        if dataclasses.is_dataclass(hint) and isinstance(value, Mapping):
            refused.extend(not_remote(hint, value, key))
        else:
            refused.append(key)
    return refused


def as_dict(section: Any) -> dict[str, Any]:
    """The section as nested plain values (TOML- and JSON-ready)."""
    return dataclasses.asdict(section)


def _value(hint: Any, field: dataclasses.Field | None, value: Any, key: str) -> Any:
    """`value` checked against its type hint and the field's bounds; ConfigInvalid at `key` otherwise."""
    origin = typing.get_origin(hint)
    if origin is Literal:
        if value not in typing.get_args(hint) or isinstance(value, bool):
            raise ConfigInvalid([(key, f"must be one of {', '.join(map(repr, typing.get_args(hint)))}, "
                                       f"not {value!r}")])
        return value
    if origin is dict:
        return _table(typing.get_args(hint)[1], value, key)
    if dataclasses.is_dataclass(hint):
        return parse(hint, value, key)
    checked = _scalar(hint, value, key)
    if field is not None:
        _check_bounds(field, checked, key)
    return checked


def _table(item_hint: Any, value: Any, key: str) -> dict[str, Any]:
    """A table of named entries (e.g. printer profiles), each checked on its own."""
    if not isinstance(value, Mapping):
        raise ConfigInvalid([(key, f"must be a table, not {_kind(value)}")])
    out, problems = {}, []
    for name, item in value.items():
        try:
            out[str(name)] = _value(item_hint, None, item, _join(key, str(name)))
        except ConfigInvalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigInvalid(problems)
    return out


def _scalar(hint: Any, value: Any, key: str) -> Any:
    if hint is bool and type(value) is bool:
        return value
    if hint is int and type(value) is int:
        return value
    if hint is float and type(value) in (int, float):
        return float(value)
    if hint is str and type(value) is str:
        return value
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}
    raise ConfigInvalid([(key, f"must be {names.get(hint, hint)}, not {_kind(value)} {value!r}")])


def _check_bounds(field: dataclasses.Field, value: Any, key: str) -> None:
    bounds = field.metadata.get("bounds", {})
    for name, holds, sign in _BOUNDS:
        if name in bounds and not holds(value, bounds[name]):
            raise ConfigInvalid([(key, f"must be {sign} {bounds[name]}, not {value!r}")])
    pattern = field.metadata.get("pattern")
    if pattern is not None and not pattern.fullmatch(value):
        raise ConfigInvalid([(key, f"must match {pattern.pattern}, not {value!r}")])


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
