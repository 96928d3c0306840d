"""Repository of print jobs: functions the storage owner thread runs (`Database.submit(fn)`).

Why: failed slips must be counted and offered again, and technicians must see them; the slip's content is
personal and never written here (document number, state, error code, attempts and size only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

TABLE = "print_jobs"


def record(job_id: str, *, number: str, at: str, state: str, error_code: str = "", attempts: int = 0,
           size: int = 0) -> Callable[[sqlite_utils.Database], None]:
    """Insert or update one job's row."""

    def run(db: sqlite_utils.Database) -> None:
        existing = db[TABLE].count_where("id = ?", [job_id])
        row = {"id": job_id, "number": number, "updated_at": at, "state": state, "error_code": error_code,
               "attempts": attempts, "bytes": size}
        if existing:
            db[TABLE].update(job_id, row)
        else:
            db[TABLE].insert({**row, "created_at": at})

    return run


def by_state(state: str) -> Callable[[sqlite_utils.Database], list[dict]]:
    """Rows in `state`, oldest first."""

    def run(db: sqlite_utils.Database) -> list[dict]:
        return list(db[TABLE].rows_where("state = ?", [state], order_by="created_at"))

    return run


def mark_orphans_lost(at: str) -> Callable[[sqlite_utils.Database], int]:
    """At start: jobs left failed or queued by a previous run lost their content with the process."""

    def run(db: sqlite_utils.Database) -> int:
        cursor = db.execute(f"UPDATE {TABLE} SET state = 'lost', updated_at = ? "
                            "WHERE state IN ('queued', 'printing', 'failed')", [at])
        return cursor.rowcount

    return run
