"""The one owner of the SQLite database: a thread that runs every statement, reached through futures.

Why: SQLite connections are not to be shared across threads, and the UI must never wait on disk. Everyone
submits a function `fn(db: sqlite_utils.Database) -> T`; the owner runs it inside one transaction and
returns a Future. WAL mode keeps readers off writers' backs and survives a killed process. At start the file
is integrity-checked; a corrupt or unreadable file is moved aside for a technician and a fresh one is made.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.core.clock import Clock
from kiosk.core.errors import DB_MIGRATION_FAILED, DB_WRITE_FAILED, KioskError

if TYPE_CHECKING:
    import sqlite_utils

logger = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_CALL_TIMEOUT_S = 10.0
"""Seconds a synchronous `call()` waits for the owner thread before giving up (a stuck disk must not hang us)."""


@dataclass(frozen=True, slots=True)
class MovedAside:
    """Where a bad database went and why (reported as an event and in the maintenance menu)."""

    original: Path
    moved_to: Path
    reason: str


class Database:
    """SQLite through sqlite-utils, owned by one thread; every other thread talks to it through futures."""

    def __init__(self, path: Path, clock: Clock, *, busy_timeout_ms: int = 5000,
                 migrations_package: str = "kiosk.storage.migrations") -> None:
        self.path = Path(path)
        self._clock = clock
        self._busy_timeout_ms = busy_timeout_ms
        self._migrations_package = migrations_package
        self._queue: queue.SimpleQueue[tuple[Callable[[sqlite_utils.Database], Any], Future] | None] = (
            queue.SimpleQueue())
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._on_open: Callable[[MovedAside | None, BaseException | None], None] | None = None
        self._not_before: threading.Event | None = None
        self.moved_aside: MovedAside | None = None
        """Set when start() found the file corrupt and moved it aside."""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self, on_open: Callable[[MovedAside | None, BaseException | None], None] | None = None, *,
              not_before: threading.Event | None = None) -> None:
        """Start the owner thread and return at once; it opens (moving a bad file aside), enables WAL, migrates.

        Work submitted meanwhile waits in the queue. `on_open(moved_aside, error)` is called on the owner
        thread when opening finished; if it failed, queued and later work fails with that error. With
        `not_before`, opening waits until that event is set (the UI's first frame): importing sqlite-utils and
        checking the file would otherwise compete with the window for the interpreter.
        Why not wait: an integrity check of a large file takes seconds, and the home screen must not.
        """
        if self._thread is not None:
            return
        self._on_open = on_open
        self._not_before = not_before
        self._thread = threading.Thread(target=self._run, name="sqlite-owner", daemon=True)
        self._thread.start()

    def wait_open(self, timeout_s: float = 30.0) -> None:
        """Block until the database is open; raises its start error (for CLI commands and tests)."""
        if not self._started.wait(timeout_s):
            raise KioskError(DB_MIGRATION_FAILED, f"database did not open within {timeout_s} s: {self.path}")
        if self._start_error is not None:
            raise self._start_error

    def stop(self, timeout_s: float = 10.0) -> None:
        """Finish queued work, checkpoint the WAL and close."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout_s)
        self._thread = None

    # ---- API ---------------------------------------------------------------------------------------------

    def submit(self, fn: Callable[[sqlite_utils.Database], T]) -> Future[T]:
        """Queue `fn` to run in one transaction on the owner thread; the future carries its result or error."""
        future: Future[T] = Future()
        if self._thread is None:
            future.set_exception(KioskError(DB_WRITE_FAILED, "database is not started"))
            return future
        self._queue.put((fn, future))
        return future

    def call(self, fn: Callable[[sqlite_utils.Database], T], timeout_s: float = DEFAULT_CALL_TIMEOUT_S) -> T:
        """Run `fn` and wait for its result; for CLI and service threads, never for the UI thread."""
        return self.submit(fn).result(timeout=timeout_s)

    # ---- owner thread ------------------------------------------------------------------------------------

    def _run(self) -> None:
        if self._not_before is not None:
            self._not_before.wait()
        try:
            db = self._open()
        except BaseException as exc:  # reported through wait_open(), on_open and every queued future
            self._start_error = exc
            self._started.set()
            self._report_open(exc)
            self._fail_queued(exc)
            return
        self._started.set()
        self._report_open(None)
        try:
            while (item := self._queue.get()) is not None:
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    with db.atomic():
                        result = fn(db)
                except sqlite3.OperationalError as exc:
                    future.set_exception(KioskError(DB_WRITE_FAILED, str(exc)))
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
        finally:
            try:
                db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                logger.warning("WAL checkpoint at close failed", exc_info=True)
            db.conn.close()

    def _report_open(self, error: BaseException | None) -> None:
        if self._on_open is not None:
            try:
                self._on_open(self.moved_aside, error)
            except Exception:
                logger.exception("database on_open callback failed")

    def _fail_queued(self, error: BaseException) -> None:
        """After a failed open, answer every queued and future submission with the open error."""
        while (item := self._queue.get()) is not None:
            fn, future = item
            if future.set_running_or_notify_cancel():
                future.set_exception(KioskError(DB_WRITE_FAILED, f"database unavailable: {error}"))

    def _open(self) -> sqlite_utils.Database:
        import sqlite_utils  # imported here, on the owner thread: ~0.2 s kept off the UI's start

        from kiosk.storage.integrity import open_checked
        from kiosk.storage.migrations import apply_pending, discover

        conn, moved = open_checked(self.path, self._clock, self._busy_timeout_ms)
        self.moved_aside = moved
        db = sqlite_utils.Database(conn)
        apply_pending(db, discover(self._migrations_package), self._clock)
        return db
