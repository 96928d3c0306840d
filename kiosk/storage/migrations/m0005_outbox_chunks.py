"""Stores the telemetry outbox by chunks (one row per stream per persisted batch) and moves held events into them.

Self-contained on purpose, as every migration: it writes the chunk format of its time, not whatever
`kiosk.fleet.outbox` writes later. Acked events not yet deleted are dropped; unacked ones keep their seqs and
boots, so a kiosk upgraded in the field keeps its backlog.
"""

from collections.abc import Iterable, Iterator

import sqlite_utils

CHUNK_MAX_EVENTS = 5000
"""Events per chunk made from old rows, as in the outbox writer's default batch."""

CHUNK_OVERHEAD_BYTES = 64
"""Bytes added to a chunk's column characters to approximate its row on disk, as the outbox counts it."""

EVENT_SEP = "\x1e"


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE outbox_chunks (
        stream TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        size INTEGER NOT NULL,
        boot TEXT NOT NULL,
        t_wall_ms TEXT NOT NULL,
        t_mono_ms TEXT NOT NULL,
        events TEXT NOT NULL,
        PRIMARY KEY (stream, first_seq))""")
    held = db.execute("SELECT e.stream, seq, boot, t_wall, t_mono, kind || data FROM outbox_events e "
                      "JOIN outbox_streams s ON s.stream = e.stream WHERE seq > s.acked_seq ORDER BY e.stream, seq")
    for run in _runs(held):
        _insert_chunk(db, run)
    db.execute("UPDATE outbox_streams SET bytes = (SELECT COALESCE(SUM(size), 0) FROM outbox_chunks c "
               "WHERE c.stream = outbox_streams.stream)")
    db.execute("DROP TABLE outbox_events")


def _runs(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    """Rows of consecutive seqs of one stream and boot, at most CHUNK_MAX_EVENTS each: what one chunk holds."""
    run: list[tuple] = []
    for row in rows:
        if run and not _continues(run, row):
            yield run
            run = []
        run.append(row)
    if run:
        yield run


def _continues(run: list[tuple], row: tuple) -> bool:
    """Whether `row` is the next seq of the run's stream and boot, and the run has room for it."""
    stream, seq, boot = run[-1][:3]
    return (row[0], row[1], row[2]) == (stream, seq + 1, boot) and len(run) < CHUNK_MAX_EVENTS


def _insert_chunk(db: sqlite_utils.Database, run: list[tuple]) -> None:
    stream, first, boot = run[0][:3]
    t = ",".join(str(row[3]) for row in run)
    m = ",".join(str(row[4]) for row in run)
    events = EVENT_SEP.join(row[5] for row in run)
    size = len(boot) + len(t) + len(m) + len(events) + CHUNK_OVERHEAD_BYTES
    db.execute("INSERT INTO outbox_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               (stream, first, len(run), size, boot, t, m, events))
