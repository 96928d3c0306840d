"""Repository of the printer's wear counters in `kv_state`: functions the storage owner thread runs.

Why in the database: the counts must survive restarts and power cuts, and each printed slip adds to them in one
transaction (cuts and paper together), so a cut cannot leave one counted without the other. Keys:

    printer.cuts               cuts since the cutter was last changed
    printer.cutter_since       when it was changed (ISO 8601; the first count when never)
    printer.printed_mm         paper printed since the head was last changed, in millimetres
    printer.head_since         when it was changed
    printer.paper_outs         times the paper ran out (never reset: it tells how the site changes rolls)
    printer.paper_out_active   "1" while the printer is out of paper, so a restart meanwhile is not a new event
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

TABLE = "kv_state"
PREFIX = "printer."
NUMBERS = ("cuts", "printed_mm", "paper_outs")
SINCE = {"cutter": ("cuts", "cutter_since"), "head": ("printed_mm", "head_since")}
"""A part a technician changes → the counter it resets and the key of when."""
PARTS = tuple(SINCE)


def read() -> Callable[[sqlite_utils.Database], dict[str, str]]:
    """Every counter key (without the prefix) and its stored text."""

    def run(db: sqlite_utils.Database) -> dict[str, str]:
        rows = db.execute(f"SELECT key, value FROM {TABLE} WHERE key LIKE ?", [PREFIX + "%"]).fetchall()
        return {key[len(PREFIX):]: value for key, value in rows}

    return run


def add_print(cuts: int, paper_mm: float, at: str) -> Callable[[sqlite_utils.Database], None]:
    """Count one slip: `cuts` cuts and `paper_mm` of paper (a part never changed starts counting `at`)."""

    def run(db: sqlite_utils.Database) -> None:
        for part, amount in (("cutter", cuts), ("head", paper_mm)):
            counter, since = SINCE[part]
            _add(db, counter, amount)
            _set_default(db, since, at)

    return run


def paper_out(active: bool) -> Callable[[sqlite_utils.Database], bool]:
    """The printer is (`active`) or is no longer out of paper; returns True when this begins a new event (counted)."""

    def run(db: sqlite_utils.Database) -> bool:
        row = db.execute(f"SELECT value FROM {TABLE} WHERE key = ?", [PREFIX + "paper_out_active"]).fetchone()
        was = row is not None and row[0] == "1"
        _put(db, "paper_out_active", "1" if active else "0")
        if active and not was:
            _add(db, "paper_outs", 1)
            return True
        return False

    return run


def reset(part: str, at: str) -> Callable[[sqlite_utils.Database], None]:
    """The technician changed `part` (cutter or head): its counter restarts from zero `at`."""
    counter, since = SINCE[part]

    def run(db: sqlite_utils.Database) -> None:
        _put(db, counter, "0")
        _put(db, since, at)

    return run


def _add(db: sqlite_utils.Database, key: str, amount: float) -> None:
    db.execute(f"INSERT INTO {TABLE} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET "
               "value = CAST(value AS REAL) + ?2", [PREFIX + key, amount])


def _put(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(f"INSERT INTO {TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               [PREFIX + key, value])


def _set_default(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.execute(f"INSERT OR IGNORE INTO {TABLE} (key, value) VALUES (?, ?)", [PREFIX + key, value])
