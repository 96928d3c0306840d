"""Adds legal_aid_applications: pre-applications the citizen asked to submit, personal part AES-GCM encrypted.

Only the reference and times are plain; `sealed` (nonce + ciphertext) is cleared when the row is handed over.
"""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE legal_aid_applications (
        reference TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        handed_over_at TEXT,
        sealed BLOB)""")
    db.execute("CREATE INDEX legal_aid_applications_expires ON legal_aid_applications(expires_at)")
