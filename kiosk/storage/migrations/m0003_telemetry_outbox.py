"""Adds the fleet telemetry outbox (per-stream 64-bit sequences with an epoch) and the fleet command ledger."""

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE outbox_streams (
        stream TEXT PRIMARY KEY,
        epoch INTEGER NOT NULL,
        next_seq INTEGER NOT NULL,
        acked_seq INTEGER NOT NULL,
        held INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        dropped INTEGER NOT NULL)""")
    db.execute("""CREATE TABLE outbox_events (
        stream TEXT NOT NULL,
        seq INTEGER NOT NULL,
        t_wall INTEGER NOT NULL,
        t_mono INTEGER NOT NULL,
        boot TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (stream, seq)) WITHOUT ROWID""")
    db.execute("""CREATE TABLE fleet_commands (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        received_ms INTEGER NOT NULL,
        phase TEXT NOT NULL,
        code INTEGER NOT NULL,
        reply TEXT NOT NULL)""")
