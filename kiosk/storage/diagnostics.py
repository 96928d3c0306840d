"""What the database says about the terminal's health, as counts only: for the diagnostic bundle.

Why counts: the bundle leaves the terminal on a USB stick, so it takes how many events wait for the bureau, how
many slips printed or failed and what a technician did, never a row that could hold a citizen's data (slips and
pre-applications are counted by state, never read). `counts` runs on the owner thread inside the app
(`Database.call`) or on a read-only connection beside it (`read_only`), for `kiosk diag bundle` while the kiosk runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlite_utils

from kiosk.storage import printer_counters

T = TypeVar("T")

AUDIT_ROWS = 200
"""Newest technician actions taken into the bundle."""


def counts(db: sqlite_utils.Database) -> dict[str, Any]:
    """Outbox positions per stream, print jobs and pre-applications by state, the printer's wear counters, the
    newest audit rows."""
    tables = set(db.table_names())
    found: dict[str, Any] = {}
    if "outbox_streams" in tables:
        found["outbox"] = {row[0]: {"epoch": row[1], "last_seq": row[2] - 1, "acked_seq": row[3], "backlog": row[4],
                                    "bytes": row[5], "dropped": row[6]}
                           for row in db.execute("SELECT stream, epoch, next_seq, acked_seq, held, bytes, dropped "
                                                 "FROM outbox_streams ORDER BY stream")}
    if "print_jobs" in tables:
        found["print_jobs"] = dict(db.execute("SELECT state, COUNT(*) FROM print_jobs GROUP BY state ORDER BY state"))
    if "legal_aid_applications" in tables:
        waiting, handed = db.execute("SELECT COUNT(*) FILTER (WHERE handed_over_at IS NULL), "
                                     "COUNT(*) FILTER (WHERE handed_over_at IS NOT NULL) "
                                     "FROM legal_aid_applications").fetchone()
        found["legal_aid_applications"] = {"waiting": waiting, "handed_over": handed}
    if "kv_state" in tables:
        found["printer_counters"] = printer_counters.read()(db)
    if "audit_log" in tables:
        rows = db.execute("SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?",
                          [AUDIT_ROWS]).fetchall()
        found["audit"] = [dict(zip(("at", "actor", "action", "detail"), row)) for row in reversed(rows)]
    return found


def read_only(path: Path, fn: Callable[[sqlite_utils.Database], T]) -> T:
    """Run `fn` on a read-only connection to the database at `path` (it may be in use by the running kiosk).

    FileNotFoundError when there is no database yet; sqlite3.Error when it cannot be read.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(str(path))
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return fn(sqlite_utils.Database(conn))
    finally:
        conn.close()
