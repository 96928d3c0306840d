"""Opening the database safely: integrity check, WAL, and moving a bad file aside instead of crashing.

Why: a power cut or a failing SD card can leave a damaged file; the kiosk must still boot and serve citizens,
and the technician must find the old file untouched to recover what it can.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from kiosk.core.clock import Clock

logger = logging.getLogger(__name__)

_SIDE_FILES = ("-wal", "-shm", "-journal")


def _connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=True)  # transactions: db.atomic()
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise sqlite3.DatabaseError(f"journal_mode is {mode}, not wal")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def integrity_problem(conn: sqlite3.Connection) -> str | None:
    """The first problem `PRAGMA integrity_check` reports, or None when the file is sound."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    first = rows[0][0] if rows else "no result"
    return None if first == "ok" else first


def move_aside(path: Path, clock: Clock, reason: str):
    """Rename the database and its WAL/SHM files to `NAME.corrupt-YYYYmmddTHHMMSS`; returns the record."""
    from kiosk.storage.db import MovedAside

    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    logger.error("database moved aside: %s -> %s (%s)", path, target, reason)
    return MovedAside(original=path, moved_to=target, reason=reason)


def open_checked(path: Path, clock: Clock, busy_timeout_ms: int):
    """Open `path` in WAL mode after an integrity check; a bad file is moved aside and a fresh one made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    moved = None
    if path.exists():
        try:
            conn = _connect(path, busy_timeout_ms)
            problem = integrity_problem(conn)
            if problem is None:
                return conn, None
            conn.close()
            reason = f"integrity_check: {problem}"
        except sqlite3.DatabaseError as exc:
            reason = f"unreadable: {exc}"
        moved = move_aside(path, clock, reason)
    return _connect(path, busy_timeout_ms), moved
