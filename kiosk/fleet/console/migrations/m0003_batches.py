"""Keeps telemetry by batch (seq ranges with their payload) and per-day counts; `events` becomes a view of them."""

import sqlite_utils

EVENTS_VIEW = """CREATE VIEW events (kid, stream, epoch, seq, region, kind, t_ms, t_wall, t_mono, boot, data) AS
    SELECT b.kid, b.stream, b.epoch, b.q + t.key, b.region,
           json_extract(b.payload, '$.vocab[' || json_extract(b.payload, '$.x[' || t.key || ']') || '][0]'),
           t.value + b.offset_ms, t.value, json_extract(b.payload, '$.m[' || t.key || ']'),
           json_extract(b.payload, '$.boot'),
           json_extract(b.payload, '$.vocab[' || json_extract(b.payload, '$.x[' || t.key || ']') || '][1]')
    FROM batches b, json_each(b.payload, '$.t') t
    WHERE t.key BETWEEN b.first - b.q AND b.last - b.q"""
"""One row per stored event, unpacked from the batch rows: for looking into what a kiosk sent, not for reports."""


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE batches (
        kid TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL, first INTEGER NOT NULL,
        last INTEGER NOT NULL, region TEXT NOT NULL, q INTEGER NOT NULL, offset_ms INTEGER NOT NULL,
        received_ms INTEGER NOT NULL, payload TEXT NOT NULL,
        PRIMARY KEY (kid, stream, epoch, first))""")
    db.execute("""CREATE TABLE daily_counts (
        day INTEGER NOT NULL, kid TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (day, kid, region, kind, data)) WITHOUT ROWID""")
    db.execute("""INSERT INTO batches SELECT kid, stream, epoch, seq, seq, region, seq, t_ms - t_wall, 0,
        json_object('v', 2, 'stream', stream, 'epoch', epoch, 'base', seq, 'q', seq, 'boot', boot,
                    'vocab', json_array(json_array(kind, json(data))), 't', json_array(t_wall),
                    'm', json_array(t_mono), 'x', json_array(0), 'clk', json_object('synced', json('false')))
        FROM events""")
    db.execute("""INSERT INTO daily_counts SELECT (t_ms + 28800000) / 86400000, kid, region, kind, data, COUNT(*)
        FROM events GROUP BY 1, 2, 3, 4, 5""")
    db.execute("DROP TABLE events")
    db.execute(EVENTS_VIEW)
