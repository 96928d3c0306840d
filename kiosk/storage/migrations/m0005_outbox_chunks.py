"""Stores the telemetry outbox by chunks (rows of consecutive seqs in a batch's wire form) and moves held events in.

Self-contained on purpose, as every migration: it writes the chunk format of its time, not whatever
`kiosk.fleet.outbox` writes later. Acked events not yet deleted are dropped; unacked ones keep their seqs and
boots, so a kiosk upgraded in the field keeps its backlog.
"""

from collections.abc import Iterable, Iterator

import sqlite_utils

CHUNK_MAX_EVENTS = 1000
"""Events per chunk made from old rows: one telemetry batch at most (protocol minor 2)."""

CHUNK_OVERHEAD_BYTES = 64
"""Bytes added to a chunk's column characters to approximate its row on disk, as the outbox counts it."""

VOCAB_SEP = "\x1e"
"""Separator of a chunk's vocabulary entries (JSON arrays of type and fields, in which it cannot occur)."""


def apply(db: sqlite_utils.Database) -> None:
    db.execute("""CREATE TABLE outbox_chunks (
        stream TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        size INTEGER NOT NULL,
        boot TEXT NOT NULL,
        t_wall_ms TEXT NOT NULL,
        t_mono_ms TEXT NOT NULL,
        vocab TEXT NOT NULL,
        x TEXT NOT NULL,
        PRIMARY KEY (stream, first_seq))""")
    held = db.execute("SELECT e.stream, seq, boot, t_wall, t_mono, json_array(kind, json(data)) FROM outbox_events e "
                      "JOIN outbox_streams s ON s.stream = e.stream WHERE seq > s.acked_seq ORDER BY e.stream, seq")
    for run in _runs(held):
        _insert_chunk(db, run)
    db.execute("ALTER TABLE outbox_streams ADD COLUMN tail_seq INTEGER NOT NULL DEFAULT 1")
    db.execute("UPDATE outbox_streams SET tail_seq = next_seq, bytes = (SELECT COALESCE(SUM(size), 0) "
               "FROM outbox_chunks c WHERE c.stream = outbox_streams.stream)")
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
    """One chunk row: comma-joined wall and monotonic ms, the run's distinct events and each event's index."""
    stream, first, boot = run[0][:3]
    index: dict[str, int] = {}
    x = ",".join(str(index.setdefault(row[5], len(index))) for row in run)
    t = ",".join(str(row[3]) for row in run)
    m = ",".join(str(row[4]) for row in run)
    vocab = VOCAB_SEP.join(index)
    size = len(boot) + len(t) + len(m) + len(vocab) + len(x) + CHUNK_OVERHEAD_BYTES
    db.execute("INSERT INTO outbox_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (stream, first, len(run), size, boot, t, m, vocab, x))
