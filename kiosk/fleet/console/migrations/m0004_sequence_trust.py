"""Adds what the server needs to trust no sequence number blindly: per-epoch announced, seen, ceiling and replay
floor; batches held aside (quarantine), rewinds with the epochs forced for them, and the operator's alerts."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    for column in ("announced INTEGER NOT NULL DEFAULT 0", "seen INTEGER NOT NULL DEFAULT 0", "ceiling INTEGER",
                   "floor_ms INTEGER", "t_max_ms INTEGER"):
        db.execute(f"ALTER TABLE streams ADD COLUMN {column}")
    db.execute("UPDATE streams SET seen = upto, t_max_ms = (SELECT MAX(json_extract(b.payload, '$.t[#-1]') "
               "+ b.offset_ms) FROM batches b WHERE b.kid = streams.kid AND b.stream = streams.stream "
               "AND b.epoch = streams.epoch)")
    db.execute("""CREATE TABLE quarantine (
        kid TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL, first INTEGER NOT NULL,
        last INTEGER NOT NULL, reason TEXT NOT NULL, region TEXT NOT NULL, received_ms INTEGER NOT NULL,
        hits INTEGER NOT NULL DEFAULT 1, detail TEXT NOT NULL, payload TEXT NOT NULL,
        PRIMARY KEY (kid, stream, epoch, first, last, reason))""")
    db.execute("""CREATE TABLE rewinds (
        kid TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL, region TEXT NOT NULL,
        cause TEXT NOT NULL, high INTEGER NOT NULL, ceiling INTEGER NOT NULL, detected_ms INTEGER NOT NULL,
        command_id TEXT, forced_ms INTEGER, new_epoch INTEGER, resolved_ms INTEGER,
        PRIMARY KEY (kid, stream, epoch))""")
    db.execute("""CREATE TABLE alerts (
        id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kid TEXT NOT NULL, region TEXT NOT NULL,
        kind TEXT NOT NULL, stream TEXT, epoch INTEGER, detail TEXT NOT NULL)""")
    db.execute("CREATE INDEX alerts_kid ON alerts (kid, at_ms)")
