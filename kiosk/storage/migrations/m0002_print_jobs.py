"""Adds print_jobs: one row per slip print attempt series (no slip content: that stays in memory)."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db["print_jobs"].create({"id": str, "number": str, "created_at": str, "updated_at": str, "state": str,
                             "error_code": str, "attempts": int, "bytes": int}, pk="id")
    db["print_jobs"].create_index(["state"])
