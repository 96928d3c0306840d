"""Daily sequence numbers kept in `kv_state`: the NNNN of opinion numbers, unique per kiosk and day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def next_daily_sequence(db: sqlite_utils.Database, name: str, day: date) -> int:
    """Increment and return today's counter called `name` (runs inside the owner's transaction)."""
    key = f"seq:{name}:{day.isoformat()}"
    row = db.execute("SELECT value FROM kv_state WHERE key = ?", [key]).fetchone()
    value = int(row[0]) + 1 if row else 1
    db.execute("INSERT INTO kv_state(key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, str(value)])
    return value
