"""Adds the technician audit log and a key/value table for small persisted state (counters, flags)."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db["audit_log"].create({"id": int, "at": str, "actor": str, "action": str, "detail": str}, pk="id")
    db["kv_state"].create({"key": str, "value": str}, pk="key")
