"""Repository of print jobs: functions the storage owner thread runs (`Database.submit(fn)`).

Why: failed slips must be counted and offered again, and technicians must see them; the slip's content is
personal and never written here (document number, state, error code, attempts and size only).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

TABLE = "print_jobs"


class JobState(StrEnum):
    """Where a slip's job stands (the `state` column)."""

    QUEUED = "queued"
    """Accepted; not a byte sent yet."""
    PRINTING = "printing"
    """Its bytes are going to the printer (written before the first byte leaves)."""
    PRINTED = "printed"
    FAILED = "failed"
    """The printer refused or broke off; the bytes wait in memory for a retry."""
    DISCARDED = "discarded"
    """The citizen took the QR code instead, or the session ended."""
    LOST = "lost"
    """A previous run ended while the job was queued or failed: its slip went with the process, unprinted."""
    INTERRUPTED = "interrupted"
    """A previous run ended while the job's bytes were going out: the slip may have come out whole, in part or not
    at all, and nobody can tell from here (the printer keeps no record). Never printed again by itself."""


ORPHANED = {JobState.QUEUED: JobState.LOST, JobState.FAILED: JobState.LOST,
            JobState.PRINTING: JobState.INTERRUPTED}
"""What a job a previous run left unfinished becomes at the next start (its bytes were in memory only)."""


def record(job_id: str, *, number: str, at: str, state: JobState, error_code: str = "", attempts: int = 0,
           size: int = 0) -> Callable[[sqlite_utils.Database], None]:
    """Insert or update one job's row."""

    def run(db: sqlite_utils.Database) -> None:
        existing = db[TABLE].count_where("id = ?", [job_id])
        row = {"id": job_id, "number": number, "updated_at": at, "state": str(state), "error_code": error_code,
               "attempts": attempts, "bytes": size}
        if existing:
            db[TABLE].update(job_id, row)
        else:
            db[TABLE].insert({**row, "created_at": at})

    return run


def by_state(state: JobState) -> Callable[[sqlite_utils.Database], list[dict]]:
    """Rows in `state`, oldest first."""

    def run(db: sqlite_utils.Database) -> list[dict]:
        return list(db[TABLE].rows_where("state = ?", [str(state)], order_by="created_at"))

    return run


def settle_orphans(at: str) -> Callable[[sqlite_utils.Database], dict[JobState, int]]:
    """At start: jobs a previous run left unfinished become LOST or INTERRUPTED (ORPHANED); how many became each."""

    def run(db: sqlite_utils.Database) -> dict[JobState, int]:
        settled: dict[JobState, int] = {}
        for left, becomes in ORPHANED.items():
            cursor = db.execute(f"UPDATE {TABLE} SET state = ?, updated_at = ? WHERE state = ?",
                                [str(becomes), at, str(left)])
            settled[becomes] = settled.get(becomes, 0) + cursor.rowcount
        return settled

    return run
