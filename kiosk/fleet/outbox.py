"""The durable telemetry outbox: events recorded from any thread, persisted in batches, deleted only on ack.

Why: a kiosk may be offline for a week and must lose nothing. `record()` only validates against the catalogue
and hands the event to an in-memory queue (microseconds, safe on the UI thread); a writer thread persists
batches through the database owner, giving each stream a 64-bit sequence that never wraps and an `epoch` that
changes only if the outbox is wiped. Rows leave only after the server's application ack (`ack()` marks them,
`purge()` deletes them once the stream is drained, or the disk cap needs their space) or, past the disk cap,
by counted eviction of the lowest-priority stream (never `audit`).
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

ROW_OVERHEAD_BYTES = 48
"""Bytes added to an event's JSON size to approximate its row on disk (keys, seq, times, b-tree)."""

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
        return self._db.call(lambda d: _read(d, stream, from_seq, max_events, max_bytes))

    def ack(self, stream: str, epoch: int, upto: int) -> bool:
        """Mark rows up to `upto` acked if `epoch` is the stream's current one; False for a stale epoch."""
        result = self._db.call(lambda d: _ack(d, stream, epoch, upto))
        if result is not None:
            self._set_positions(result)
        return result is not None

    def purge(self, stream: str) -> None:
        """Delete the acked rows of `stream`: call it once the stream is drained, so deleting never slows a drain."""
        self._db.call(lambda d: _purge(d, stream))

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
    next_seq = dict(d.execute("SELECT stream, next_seq FROM outbox_streams").fetchall())
    rows = []
    added: dict[str, list[int]] = {}
    for stream, kind, fields, t_wall, t_mono in batch:
        seq = next_seq[stream]
        next_seq[stream] = seq + 1
        data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        size = len(data) + len(kind) + ROW_OVERHEAD_BYTES
        rows.append((stream, seq, t_wall, t_mono, boot, kind, data, size))
        count_bytes = added.setdefault(stream, [0, 0])
        count_bytes[0] += 1
        count_bytes[1] += size
    d.conn.executemany("INSERT INTO outbox_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    for stream, (count, size) in added.items():
        d.execute("UPDATE outbox_streams SET next_seq = ?, held = held + ?, bytes = bytes + ? WHERE stream = ?",
                  (next_seq[stream], count, size, stream))
    _evict(d, max_bytes)
    return _load_positions(d)


def _evict(d: sqlite_utils.Database, max_bytes: int) -> None:
    """Over the cap, delete acked rows first, then drop the oldest rows of the lowest-priority streams until
    under it; what is dropped is counted in `dropped`."""
    if _total_bytes(d) <= max_bytes:
        return
    for stream in protocol.STREAMS:
        _purge(d, stream)
    excess = _total_bytes(d) - max_bytes
    for stream in reversed(protocol.STREAMS):
        if excess <= 0:
            return
        if stream in NEVER_EVICTED:
            continue
        freed = count = 0
        cutoff = None
        for seq, size in d.execute("SELECT seq, size FROM outbox_events WHERE stream = ? ORDER BY seq", (stream,)):
            if freed >= excess:
                break
            freed += size
            count += 1
            cutoff = seq
        if cutoff is None:
            continue
        d.execute("DELETE FROM outbox_events WHERE stream = ? AND seq <= ?", (stream, cutoff))
        d.execute("UPDATE outbox_streams SET held = held - ?, bytes = bytes - ?, dropped = dropped + ? "
                  "WHERE stream = ?", (count, freed, count, stream))
        logger.warning("outbox over its cap: evicted %d %s events (%d bytes)", count, stream, freed)
        excess -= freed


_EVENT_SEP = "\x1e"
"""Separator of the joined events: it occurs in no event type or fields' JSON (which escapes control
characters). An event is joined as type then fields, split again at the first `{`, which opens the fields."""

_COLUMN_NAMES_CHARS = len('"boot":"","vocab":[],"t":[],"m":[],"x":[],')

_COLUMNS = ("SELECT COUNT(*), group_concat(t_wall), group_concat(t_mono), group_concat(kind || data, ?4) "
            "FROM outbox_events WHERE stream = ?1 AND seq BETWEEN ?2 AND ?3")
"""A slice's columns joined by SQLite, so no Python object is built per column of each event. SQLite feeds an
aggregate the rows in the order it visits them, here that of the primary key (stream, seq), the table's only
index. Held seqs are contiguous (written in order, deleted oldest first), so `count` rows from `first` end at
`first + count - 1`."""

_ENDS = "SELECT seq, boot FROM outbox_events WHERE stream = ? AND seq IN (?, ?) ORDER BY seq"
"""The boots of a slice's first and last events: boot ids never recur, so when they match, every event between
is of that boot too."""


def _read(d: sqlite_utils.Database, stream: str, from_seq: int, max_events: int, max_bytes: int) -> Pending:
    epoch, base = d.execute(
        "SELECT epoch, (SELECT MIN(seq) FROM outbox_events WHERE stream = ?1 AND seq > s.acked_seq) "
        "FROM outbox_streams s WHERE stream = ?1", (stream,)).fetchone()
    first = max(from_seq, base or from_seq)
    count = min(max_events, protocol.BATCH_MAX_EVENTS)
    while True:
        sliced = _slice(d, stream, epoch, base or first, first, count, max_bytes)
        if isinstance(sliced, Pending):
            return sliced
        count = sliced


def _slice(d: sqlite_utils.Database, stream: str, epoch: int, base: int, first: int, count: int,
           max_bytes: int) -> Pending | int:
    """Seqs `first`… (at most `count`) as a Pending, or fewer to try when they span a reboot or exceed the
    byte limit."""
    held, t, m, joined = d.execute(_COLUMNS, (stream, first, first + count - 1, _EVENT_SEP)).fetchone()
    if not held:
        return Pending(stream, epoch, base, first, first - 1)
    last = first + held - 1
    ends = d.execute(_ENDS, (stream, first, last)).fetchall()
    if [seq for seq, _boot in ends] != sorted({first, last}):
        raise RuntimeError(f"outbox {stream}: the {held} seqs from {first} are not contiguous")
    boot = ends[0][1]
    if ends[-1][1] != boot:
        (reboot,) = d.execute("SELECT MIN(seq) FROM outbox_events WHERE stream = ? AND seq BETWEEN ? AND ? "
                              "AND boot != ?", (stream, first, last, boot)).fetchone()
        return reboot - first
    events = joined.split(_EVENT_SEP)
    index = {event: str(i) for i, event in enumerate(dict.fromkeys(events))}
    vocab = tuple(f"[{json.dumps(kind)},{brace}{fields}]" for kind, brace, fields in (e.partition("{") for e in index))
    pending = Pending(stream, epoch, base, first, last, boot, vocab, t, m, ",".join(map(index.__getitem__, events)))
    size = pending.size
    return max(1, held * max_bytes // size) if size > max_bytes and held > 1 else pending


def _ack(d: sqlite_utils.Database, stream: str, epoch: int,
         upto: int) -> dict[str, protocol.StreamPosition] | None:
    """Mark rows up to `upto` acked (no longer held); `_purge` deletes them later."""
    row = d.execute("SELECT epoch FROM outbox_streams WHERE stream = ?", (stream,)).fetchone()
    if row is None or row[0] != epoch:
        return None
    d.execute("UPDATE outbox_streams SET held = held - MAX(0, MIN(?1, next_seq - 1) - MAX(acked_seq, "
              "(SELECT COALESCE(MIN(seq), next_seq) FROM outbox_events WHERE stream = ?2) - 1)), "
              "acked_seq = MAX(acked_seq, MIN(?1, next_seq - 1)) WHERE stream = ?2", (upto, stream))
    return _load_positions(d)


def _purge(d: sqlite_utils.Database, stream: str) -> None:
    """Delete the rows of `stream` the server has acked, freeing their bytes under the cap."""
    (freed,) = d.execute("SELECT COALESCE(SUM(size), 0) FROM outbox_events WHERE stream = ?1 AND seq <= "
                         "(SELECT acked_seq FROM outbox_streams WHERE stream = ?1)", (stream,)).fetchone()
    if freed:
        d.execute("DELETE FROM outbox_events WHERE stream = ?1 AND seq <= "
                  "(SELECT acked_seq FROM outbox_streams WHERE stream = ?1)", (stream,))
        d.execute("UPDATE outbox_streams SET bytes = bytes - ? WHERE stream = ?", (freed, stream))


def _total_bytes(d: sqlite_utils.Database) -> int:
    return d.execute("SELECT COALESCE(SUM(bytes), 0) FROM outbox_streams").fetchone()[0]
