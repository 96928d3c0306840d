"""The console's database, SQLite or PostgreSQL by URL: one transaction per call, migrated to the head at open.

Why: a county runs the console on one machine with an embedded SQLite file; a province runs several ingest
workers against one PostgreSQL. Every store function takes a SQLAlchemy `Connection` inside a transaction and
runs unchanged on both. SQLite gets WAL (readers never wait for the ingest) and `BEGIN IMMEDIATE` (a writer
takes the lock when it starts, so two processes never deadlock upgrading a read lock); PostgreSQL transactions
that lose a deadlock or serialisation race are run again, since each call is all-or-nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from kiosk.core.errors import DB_MIGRATION_FAILED, KioskError

logger = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
"""How long (ms) a SQLite transaction waits for another process's write lock."""
RETRIES = 5
"""Times a PostgreSQL transaction is run again after losing a deadlock or serialisation race."""
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
"""serialization_failure, deadlock_detected."""
MIGRATION_LOCK = 0x6B696F736B
"""PostgreSQL advisory lock key held while migrating, so workers starting together migrate once."""
LEGACY_VERSIONS = "_migrations"
"""The table earlier releases recorded their numbered SQLite migrations in; revision NNNN is their version N."""


def url_of(target: str | Path) -> URL:
    """A SQLAlchemy URL for `--db`: a URL as given (postgresql:// uses psycopg 3), anything else a SQLite file."""
    if isinstance(target, Path) or "://" not in target:
        return URL.create("sqlite", database=str(Path(target)))
    url = make_url(target)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's begin event issues BEGIN IMMEDIATE below
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class ConsoleDB:
    """An engine on the console's database with its migrations applied; `call` runs a function in a transaction
    on the caller's thread, `submit` on the store's own writer thread (the ingest pipeline's)."""

    def __init__(self, target: str | Path) -> None:
        self.url = url_of(target)
        self.engine: Engine | None = None
        self._writer: ThreadPoolExecutor | None = None

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def start(self) -> None:
        """Connect and migrate to the head revision (idempotent)."""
        if self.engine is not None:
            return
        if self.dialect == "sqlite":
            Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(self.url, pool_pre_ping=True)
        try:
            with engine.begin() as c:
                migrate(c)
        except Exception as exc:
            engine.dispose()
            raise KioskError(DB_MIGRATION_FAILED, f"{self.url.render_as_string()}: {exc}") from exc
        self.engine = engine
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="console-db")

    def stop(self) -> None:
        """Finish submitted work and close every connection."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def call(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(connection)` in one transaction; committed when it returns, rolled back when it raises."""
        if self.engine is None:
            raise KioskError(DB_MIGRATION_FAILED, "console database is not started")
        for attempt in range(RETRIES + 1):
            try:
                with self.engine.begin() as c:
                    return fn(c)
            except DBAPIError as exc:
                if attempt == RETRIES or getattr(exc.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES:
                    raise
                logger.info("transaction lost a race (%s); running it again", exc.orig.sqlstate)
        raise AssertionError("unreachable")

    def submit(self, fn: Callable[[Connection], T]) -> Future[T]:
        """`call` on the writer thread; the future carries the result or the error (also once stopped)."""
        writer = self._writer
        try:
            if writer is None:
                raise RuntimeError("not started")
            return writer.submit(self.call, fn)
        except RuntimeError as exc:
            future: Future[T] = Future()
            future.set_exception(KioskError(DB_MIGRATION_FAILED, f"console database is not open: {exc}"))
            return future


def alembic_config():
    """Alembic's configuration for the console's migrations (run on the connection put in its `attributes`)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kiosk.fleet.console:migrations")
    return config


def migrate(c: Connection, revision: str = "head") -> None:
    """Bring the schema to `revision` with Alembic inside the caller's transaction, one process at a time; a SQLite
    file from before Alembic is first stamped with the revision its own numbering had reached."""
    from alembic import command

    if c.dialect.name == "postgresql":
        c.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    config = alembic_config()
    config.attributes["connection"] = c
    tables = inspect(c).get_table_names()
    if LEGACY_VERSIONS in tables and "alembic_version" not in tables:
        (version,) = c.execute(text(f"SELECT MAX(version) FROM {LEGACY_VERSIONS}")).one()
        command.stamp(config, f"{version:04d}")
        c.execute(text(f"DROP TABLE {LEGACY_VERSIONS}"))
    command.upgrade(config, revision)
