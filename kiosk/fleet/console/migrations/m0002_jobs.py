"""Adds content job executions: what was issued to which kiosk, and the last state it reported."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE jobs (
        id TEXT NOT NULL, kid TEXT NOT NULL, region TEXT NOT NULL, exec_ver INTEGER NOT NULL,
        document TEXT NOT NULL, issued_ms INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'QUEUED',
        progress_cnt INTEGER, progress_of INTEGER, error TEXT, updated_ms INTEGER NOT NULL,
        PRIMARY KEY (id, kid))""")
