"""Creates the console store: kiosks and presence, stream positions, de-duplicated events, desired, commands."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE kiosks (
        kid TEXT PRIMARY KEY, region TEXT NOT NULL, online INTEGER NOT NULL DEFAULT 0,
        sess INTEGER NOT NULL DEFAULT 0, changed_ms INTEGER NOT NULL DEFAULT 0,
        last_seen_ms INTEGER NOT NULL DEFAULT 0, boot TEXT, sw TEXT, birth TEXT,
        applied_version INTEGER NOT NULL DEFAULT 0, reported TEXT, clock_offset_ms INTEGER)""")
    db.execute("""CREATE TABLE streams (
        kid TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL,
        upto INTEGER NOT NULL, high INTEGER NOT NULL, refused INTEGER NOT NULL DEFAULT 0,
        dropped INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (kid, stream, epoch)) WITHOUT ROWID""")
    db.execute("""CREATE TABLE events (
        kid TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,
        region TEXT NOT NULL, kind TEXT NOT NULL, t_ms INTEGER NOT NULL, t_wall INTEGER NOT NULL,
        t_mono INTEGER NOT NULL, boot TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (kid, stream, epoch, seq)) WITHOUT ROWID""")
    db.execute("CREATE INDEX events_kind_time ON events (kind, t_ms)")
    db.execute("""CREATE TABLE desired (
        kid TEXT PRIMARY KEY, region TEXT NOT NULL, version INTEGER NOT NULL, config TEXT NOT NULL,
        updated_ms INTEGER NOT NULL)""")
    db.execute("""CREATE TABLE commands (
        id TEXT PRIMARY KEY, kid TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
        issued_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, phase TEXT, code INTEGER, result TEXT,
        error TEXT, updated_ms INTEGER NOT NULL)""")
