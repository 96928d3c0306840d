"""Repository of legal-aid pre-applications: functions the storage owner thread runs (`Database.submit(fn)`).

Why here: only `kiosk.storage` touches SQLite. Rows hold the reference, times and the sealed (encrypted) record;
this module never sees plaintext, so nothing personal can reach the file through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from kiosk.storage.sequences import next_daily_sequence

if TYPE_CHECKING:
    import sqlite_utils

TABLE = "legal_aid_applications"
SEQUENCE = "legal_aid_application"


def insert(reference_of: Callable[[int], str], seal: Callable[[str], bytes], *, day: date, created_at: str,
           expires_at: str) -> Callable[[sqlite_utils.Database], str]:
    """Take today's next sequence, name the row `reference_of(seq)`, store `seal(reference)`; returns the reference."""

    def run(db: sqlite_utils.Database) -> str:
        reference = reference_of(next_daily_sequence(db, SEQUENCE, day))
        db.execute(f"INSERT INTO {TABLE}(reference, created_at, expires_at, sealed) VALUES (?, ?, ?, ?)",
                   [reference, created_at, expires_at, seal(reference)])
        return reference

    return run


def pending() -> Callable[[sqlite_utils.Database], list[tuple[str, bytes]]]:
    """(reference, sealed) of every row not yet handed over, oldest first."""

    def run(db: sqlite_utils.Database) -> list[tuple[str, bytes]]:
        return [(r, bytes(s)) for r, s in db.execute(
            f"SELECT reference, sealed FROM {TABLE} WHERE sealed IS NOT NULL ORDER BY created_at, reference")]

    return run


def hand_over(references: Sequence[str], at: str) -> Callable[[sqlite_utils.Database], int]:
    """Mark rows handed over and drop their sealed record (the reference stays as a receipt); returns the count."""

    def run(db: sqlite_utils.Database) -> int:
        return sum(db.execute(f"UPDATE {TABLE} SET sealed = NULL, handed_over_at = ? "
                              "WHERE reference = ? AND sealed IS NOT NULL", [at, ref]).rowcount
                   for ref in references)

    return run


def purge_expired(now: str) -> Callable[[sqlite_utils.Database], int]:
    """Delete every row (sealed or receipt) whose retention ended at or before `now`; returns the count."""

    def run(db: sqlite_utils.Database) -> int:
        return db.execute(f"DELETE FROM {TABLE} WHERE expires_at <= ?", [now]).rowcount

    return run


def counts() -> Callable[[sqlite_utils.Database], dict[str, int]]:
    """Rows waiting for the office and receipts of handed-over rows (no personal data)."""

    def run(db: sqlite_utils.Database) -> dict[str, int]:
        waiting, handed = db.execute(f"SELECT COUNT(sealed), COUNT(handed_over_at) FROM {TABLE}").fetchone()
        return {"waiting": waiting, "handed_over": handed}

    return run
