"""The durable telemetry outbox: events recorded from any thread, persisted in batches, deleted only on ack.

Why: a kiosk may be offline for a week and must lose nothing. `record()` only validates against the catalogue
and hands the event to an in-memory queue (microseconds, safe on the UI thread); a writer thread persists
batches through the database owner, giving each stream a 64-bit sequence that never wraps and an `epoch` that
changes only if the outbox is wiped. Each persisted batch is one chunk row per stream holding its consecutive
seqs by columns, so a backlog is read and deleted a few rows at a time, not one row per event. A chunk leaves
only once the server's application ack covers its last seq, or, past the disk cap, by counted eviction of the
lowest-priority stream (never `audit`), oldest chunks first.
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from kiosk.core.clock import Clock
from kiosk.fleet import catalogue, protocol
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)

CHUNK_OVERHEAD_BYTES = 64
"""Bytes added to a chunk's column characters to approximate its row on disk (key, counts, b-tree)."""

NEVER_EVICTED = frozenset({"audit"})

_STOP = object()


@dataclass(frozen=True, slots=True)
class Pending:
    """Seqs `first`…`last` of one stream (none when `last` < `first`) from one boot, by columns in wire form.

    `base` is the lowest seq still held; `vocab` the distinct events as JSON arrays (type, fields); `t`, `m`
    and `x` the comma-joined wall times, monotonic times and vocab indexes.
    """

    stream: str
    epoch: int
    base: int
    first: int
    last: int
    boot: str = ""
    vocab: tuple[str, ...] = ()
    t: str = ""
    m: str = ""
    x: str = ""

    @property
    def seqs(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def size(self) -> int:
        """Characters the columns take on the wire; the envelope fits in what BATCH_MAX_BYTES leaves over."""
        return (len(self.t) + len(self.m) + len(self.x) + sum(map(len, self.vocab)) + len(self.vocab)
                + len(self.boot) + _COLUMN_NAMES_CHARS)

    def payload(self, clk: protocol.ClockState) -> bytes:
        """The Batch to publish."""
        return protocol.encode_batch_json(self.stream, self.epoch, self.base, self.first, self.boot, self.vocab,
                                          self.t, self.m, self.x, clk)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One stored chunk split into columns: wall ms, monotonic ms and events (type then fields) of seqs `first`…."""

    first: int
    boot: str
    t: list[str]
    m: list[str]
    events: list[str]

    @property
    def end(self) -> int:
        """The seq after the chunk's last."""
        return self.first + len(self.events)


class Outbox:
    """Per-stream durable queues of telemetry events in the kiosk database."""

    def __init__(self, db: Database, clock: Clock, *, boot_id: str, max_bytes: int,
                 write_batch_max: int = 5000, max_unwritten: int = 200_000,
                 persist_timeout_s: float = 30.0) -> None:
        if not 1 <= len(boot_id) <= protocol.BOOT_ID_MAX_CHARS:
            raise ValueError(f"boot id must be 1-{protocol.BOOT_ID_MAX_CHARS} characters: {boot_id!r}")
        self._db = db
        self._clock = clock
        self._boot_id = boot_id
        self._max_bytes = max_bytes
        self._write_batch_max = write_batch_max
        self._max_unwritten = max_unwritten
        self._persist_timeout_s = persist_timeout_s
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._positions: dict[str, protocol.StreamPosition] = {}
        self._split: dict[str, _Chunk] = {}
        """Each stream's chunk last read, split into columns, so consecutive reads split it once; database thread
        only."""
        self.unwritten_dropped = 0
        """Events refused because the writer fell `max_unwritten` behind (a stuck disk); reported in birth."""
        self.write_failures = 0
        """Batches whose transaction failed and was retried."""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Create missing stream rows (each with a fresh random epoch), load positions, start the writer."""
        if self._thread is not None:
            return
        self._set_positions(self._db.call(_ensure_streams))
        self._thread = threading.Thread(target=self._write_loop, name="fleet-outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Persist everything recorded so far, then stop the writer."""
        if self._thread is None:
            return
        self._queue.put(_STOP)
        self._thread.join(timeout_s)
        self._thread = None

    # ---- recording (any thread) --------------------------------------------------------------------------

    def record(self, stream: str, event_type: str, fields: Mapping[str, Any]) -> None:
        """Validate against the catalogue and queue for the writer; raises catalogue.UnknownEvent, never blocks."""
        catalogue.check(stream, event_type, fields)
        if stream not in NEVER_EVICTED and self._queue.qsize() >= self._max_unwritten:
            self.unwritten_dropped += 1
            return
        self._queue.put((stream, event_type, dict(fields), int(self._clock.now().timestamp() * 1000),
                         int(self._clock.monotonic() * 1000)))

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until everything recorded before this call is on disk; False on timeout (for shutdown, tests)."""
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout_s)

    # ---- sending side (the agent thread) -----------------------------------------------------------------

    def positions(self) -> dict[str, protocol.StreamPosition]:
        """Where each stream stands (from memory; refreshed by every write and ack)."""
        with self._lock:
            return dict(self._positions)

    def read(self, stream: str, from_seq: int, max_events: int, max_bytes: int) -> Pending:
        """Events of `stream` from `from_seq` on: at most `max_events` (and BATCH_MAX_EVENTS), their columns at
        most `max_bytes` characters unless one event alone is larger."""
        return self._db.call(lambda d: _read(d, self._split, stream, from_seq, max_events, max_bytes))

    def ack(self, stream: str, epoch: int, upto: int) -> bool:
        """Release seqs up to `upto` if `epoch` is the stream's current one; False for a stale epoch."""
        result = self._db.call(lambda d: _ack(d, stream, epoch, upto))
        if result is not None:
            self._set_positions(result)
        return result is not None

    # ---- writer thread -----------------------------------------------------------------------------------

    def _write_loop(self) -> None:
        stopping = False
        while not stopping:
            batch: list[tuple] = []
            markers: list[threading.Event] = []
            item = self._queue.get()
            while True:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, threading.Event):
                    markers.append(item)
                else:
                    batch.append(item)
                if stopping or len(batch) >= self._write_batch_max:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._persist(batch)
            for marker in markers:
                marker.set()

    def _persist(self, batch: list[tuple]) -> None:
        boot, max_bytes = self._boot_id, self._max_bytes
        while True:
            try:
                positions = self._db.submit(lambda d: _insert(d, batch, boot, max_bytes)).result(
                    self._persist_timeout_s)
            except Exception:
                self.write_failures += 1
                logger.exception("outbox write of %d events failed; retrying", len(batch))
                threading.Event().wait(1.0)
                continue
            self._set_positions(positions)
            return

    def _set_positions(self, positions: dict[str, protocol.StreamPosition]) -> None:
        with self._lock:
            self._positions = positions


# ---- functions run on the database owner thread ---------------------------------------------------------


def _load_positions(d: sqlite_utils.Database) -> dict[str, protocol.StreamPosition]:
    rows = d.execute("SELECT stream, epoch, next_seq, acked_seq, held, dropped FROM outbox_streams").fetchall()
    return {stream: protocol.StreamPosition(epoch=epoch, last_seq=next_seq - 1, acked_seq=acked, backlog=held,
                                            dropped=dropped)
            for stream, epoch, next_seq, acked, held, dropped in rows}


def _ensure_streams(d: sqlite_utils.Database) -> dict[str, protocol.StreamPosition]:
    for stream in protocol.STREAMS:
        d.execute("INSERT OR IGNORE INTO outbox_streams VALUES (?, ?, 1, 0, 0, 0, 0)",
                  (stream, secrets.randbelow(2**62) + 1))
    return _load_positions(d)


def _insert(d: sqlite_utils.Database, batch: list[tuple], boot: str,
            max_bytes: int) -> dict[str, protocol.StreamPosition]:
    columns: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for stream, kind, fields, t_wall, t_mono in batch:
        t, m, events = columns.setdefault(stream, ([], [], []))
        t.append(str(t_wall))
        m.append(str(t_mono))
        events.append(kind + json.dumps(fields, ensure_ascii=False, separators=(",", ":")))
    for stream, (t, m, events) in columns.items():
        _insert_chunk(d, stream, boot, ",".join(t), ",".join(m), _EVENT_SEP.join(events), len(events))
    _evict(d, max_bytes)
    return _load_positions(d)


def _insert_chunk(d: sqlite_utils.Database, stream: str, boot: str, t: str, m: str, events: str, count: int) -> None:
    """Append `count` events as the stream's next seqs, in one row: the whole group is on disk or none of it."""
    size = len(boot) + len(t) + len(m) + len(events) + CHUNK_OVERHEAD_BYTES
    d.execute("INSERT INTO outbox_chunks SELECT stream, next_seq, ?, ?, ?, ?, ?, ? FROM outbox_streams "
              "WHERE stream = ?", (count, size, boot, t, m, events, stream))
    d.execute("UPDATE outbox_streams SET next_seq = next_seq + ?, held = held + ?, bytes = bytes + ? "
              "WHERE stream = ?", (count, count, size, stream))


def _evict(d: sqlite_utils.Database, max_bytes: int) -> None:
    """Over the cap, drop the oldest chunks of the lowest-priority streams until under it."""
    excess = _total_bytes(d) - max_bytes
    for stream in reversed(protocol.STREAMS):
        if excess <= 0:
            return
        if stream not in NEVER_EVICTED:
            excess -= _evict_stream(d, stream, excess)


def _evict_stream(d: sqlite_utils.Database, stream: str, excess: int) -> int:
    """Drop the oldest chunks of `stream` until `excess` bytes are freed (or none is left), counting each unacked
    event dropped in `dropped`; returns the bytes freed."""
    (acked,) = d.execute("SELECT acked_seq FROM outbox_streams WHERE stream = ?", (stream,)).fetchone()
    freed = dropped = 0
    cutoff = None
    for first, count, size in d.execute("SELECT first_seq, event_count, size FROM outbox_chunks WHERE stream = ? "
                                        "ORDER BY first_seq", (stream,)):
        if freed >= excess:
            break
        freed += size
        dropped += first + count - 1 - max(acked, first - 1)
        cutoff = first
    if cutoff is None:
        return 0
    d.execute("DELETE FROM outbox_chunks WHERE stream = ? AND first_seq <= ?", (stream, cutoff))
    d.execute("UPDATE outbox_streams SET held = held - ?, bytes = bytes - ?, dropped = dropped + ? "
              "WHERE stream = ?", (dropped, freed, dropped, stream))
    logger.warning("outbox over its cap: evicted %d %s events (%d bytes)", dropped, stream, freed)
    return freed


_EVENT_SEP = "\x1e"
"""Separator of a chunk's events: it occurs in no event type or fields' JSON (which escapes control
characters). An event is joined as type then fields, split again at the first `{`, which opens the fields."""

_COLUMN_NAMES_CHARS = len('"boot":"","vocab":[],"t":[],"m":[],"x":[],')

_CHUNKS = ("SELECT first_seq, boot, IIF(first_seq = ?4, NULL, t_wall_ms), IIF(first_seq = ?4, NULL, t_mono_ms), "
           "IIF(first_seq = ?4, NULL, events) FROM outbox_chunks WHERE stream = ?1 AND first_seq BETWEEN "
           "(SELECT MAX(first_seq) FROM outbox_chunks WHERE stream = ?1 AND first_seq <= ?2) AND ?3 "
           "AND first_seq + event_count > ?2 ORDER BY first_seq")
"""The chunks holding seqs ?2…?3, with no columns for the one starting at ?4 (already split in memory)."""


def _read(d: sqlite_utils.Database, split: dict[str, _Chunk], stream: str, from_seq: int, max_events: int,
          max_bytes: int) -> Pending:
    epoch, acked, lowest = d.execute(
        "SELECT epoch, acked_seq, (SELECT MIN(first_seq) FROM outbox_chunks WHERE stream = ?1) "
        "FROM outbox_streams WHERE stream = ?1", (stream,)).fetchone()
    base = from_seq if lowest is None else max(acked + 1, lowest)
    first = max(from_seq, base)
    count = min(max_events, protocol.BATCH_MAX_EVENTS)
    while True:
        sliced = _slice(d, split, stream, epoch, base, first, count, max_bytes)
        if isinstance(sliced, Pending):
            return sliced
        count = sliced


def _slice(d: sqlite_utils.Database, split: dict[str, _Chunk], stream: str, epoch: int, base: int, first: int,
           count: int, max_bytes: int) -> Pending | int:
    """Seqs `first`… (at most `count`, none past a reboot) as a Pending, or fewer to try when they exceed the
    byte limit."""
    boot, t, m, events = _columns(d, split, stream, first, count)
    if not events:
        return Pending(stream, epoch, base, first, first - 1)
    index = {event: str(i) for i, event in enumerate(dict.fromkeys(events))}
    vocab = tuple(f"[{json.dumps(kind)},{brace}{fields}]" for kind, brace, fields in (e.partition("{") for e in index))
    pending = Pending(stream, epoch, base, first, first + len(events) - 1, boot, vocab, ",".join(t), ",".join(m),
                      ",".join(map(index.__getitem__, events)))
    size = pending.size
    return max(1, len(events) * max_bytes // size) if size > max_bytes and len(events) > 1 else pending


def _columns(d: sqlite_utils.Database, split: dict[str, _Chunk], stream: str, first: int,
             count: int) -> tuple[str, list[str], list[str], list[str]]:
    """The boot, wall times, monotonic times and events of seqs `first`… (at most `count`, all of one boot)."""
    boot, t, m, events = "", [], [], []
    seq, end = first, first + count
    for chunk in _chunks(d, split, stream, first, end - 1):
        if chunk.first != seq and (events or chunk.first > seq):
            raise RuntimeError(f"outbox {stream}: no chunk holds seq {seq}, the next one starts at {chunk.first}")
        if events and chunk.boot != boot:
            break
        lo, hi = seq - chunk.first, min(end, chunk.end) - chunk.first
        boot, seq = chunk.boot, chunk.first + hi
        t += chunk.t[lo:hi]
        m += chunk.m[lo:hi]
        events += chunk.events[lo:hi]
    return boot, t, m, events


def _chunks(d: sqlite_utils.Database, split: dict[str, _Chunk], stream: str, lo: int, hi: int) -> list[_Chunk]:
    """The chunks holding seqs `lo`…`hi` in order, split into columns; the last stays split for the next read."""
    cached = split.get(stream)
    rows = d.execute(_CHUNKS, (stream, lo, hi, cached.first if cached else 0)).fetchall()
    chunks = [cached if t is None else _Chunk(first, boot, t.split(","), m.split(","), events.split(_EVENT_SEP))
              for first, boot, t, m, events in rows]
    if chunks:
        split[stream] = chunks[-1]
    return chunks


def _ack(d: sqlite_utils.Database, stream: str, epoch: int,
         upto: int) -> dict[str, protocol.StreamPosition] | None:
    """Release seqs up to `upto` (no longer held) and delete the chunks they complete."""
    row = d.execute("SELECT epoch FROM outbox_streams WHERE stream = ?", (stream,)).fetchone()
    if row is None or row[0] != epoch:
        return None
    d.execute("UPDATE outbox_streams SET held = held - MAX(0, MIN(?1, next_seq - 1) - MAX(acked_seq, "
              "(SELECT COALESCE(MIN(first_seq), next_seq) FROM outbox_chunks WHERE stream = ?2) - 1)), "
              "acked_seq = MAX(acked_seq, MIN(?1, next_seq - 1)) WHERE stream = ?2", (upto, stream))
    _delete_acked(d, stream)
    return _load_positions(d)


def _delete_acked(d: sqlite_utils.Database, stream: str) -> None:
    """Delete the chunks of `stream` whose every seq is acked, freeing their bytes under the cap."""
    freed = sum(size for (size,) in d.execute(
        "WITH s AS (SELECT acked_seq FROM outbox_streams WHERE stream = ?1) DELETE FROM outbox_chunks "
        "WHERE stream = ?1 AND first_seq <= (SELECT acked_seq FROM s) "
        "AND first_seq + event_count - 1 <= (SELECT acked_seq FROM s) RETURNING size", (stream,)).fetchall())
    if freed:
        d.execute("UPDATE outbox_streams SET bytes = bytes - ? WHERE stream = ?", (freed, stream))


def _total_bytes(d: sqlite_utils.Database) -> int:
    return d.execute("SELECT COALESCE(SUM(bytes), 0) FROM outbox_streams").fetchone()[0]
