"""The durable telemetry outbox: events recorded from any thread, persisted in batches, deleted only on ack.

Why: a kiosk may be offline for a week and must lose nothing. `record()` only validates against the catalogue
and hands the event to an in-memory queue (microseconds, safe on the UI thread); a writer thread persists
batches through the database owner, giving each stream a 64-bit sequence that never wraps and an `epoch` that
changes only if the outbox is wiped. Each persisted batch is stored as chunk rows per stream, each at most one
telemetry batch long and already in the batch's wire form (comma-joined columns and the chunk's own vocabulary),
so draining a backlog reads one row per batch and sends it as stored, and an ack deletes whole rows (a backlog
written a few events at a time is merged into whole chunks as it grows, see `_append`). A chunk
leaves only once the server's application ack covers its last seq, or, past the disk cap, by counted eviction of
the lowest-priority stream (never `audit`), oldest chunks first.

The power-cut window: an event lives only in memory from `record()` until the commit of the write that holds it,
so a SIGKILL, a crash or an OOM kill loses what is in that window (a commit survives them). The writer starts a
write as soon as anything is queued and takes everything queued (up to `write_batch_max`) into one transaction:
an event waits for at most the write in progress and its own. In the power-cut drill
(tests/integration/fleet/test_power_cut_window.py: 24 kills of a kiosk process 0-20 ms after bursts of 10 taps,
its agent draining beside) a kill lost only events recorded in the last 2 ms before it (6 ms with both cores of
the 2-core test machine saturated), at most two bursts recorded back to back, and the longest any event waited
for its commit was 8 ms. `unwritten` says at any moment how many events a kill would lose (the drill checks that
no kill lost more), and `window_ms_max` the longest wait seen since start. However far the writer falls behind
(a stuck disk), at most `max_unwritten` (UNWRITTEN_MAX_EVENTS) events are held: more are refused and counted in
`unwritten_dropped`, which the birth reports (audit records are never refused). A real power cut can cost more
than a kill: the database runs with synchronous=NORMAL (kiosk.storage.integrity), so commits the OS has not yet
written back, up to its writeback delay (about 30 s by Linux defaults), may roll back.

A failed write (the disk full, an I/O error) is rolled back whole and tried WRITE_ATTEMPTS times in all, waiting
WRITE_RETRY_FIRST_S and then twice as long each time; stop() and flush() are answered during those waits. Then
the writer gives up for now: its events stay held in memory, oldest first and still counted in `unwritten`, and
go first in the next write, which the next record(), flush() or stop() starts. The health board shows `storage`
failed with DB-004 until a write succeeds. Held, not dropped: disk full is a state a technician can end (the
board says so) and the kiosk loses nothing by it unless it is killed or restarted meanwhile; memory stays bounded
by `max_unwritten`, beyond which events are refused and counted as always. No timer tries again: a kiosk records
every touch of its screen (the maintenance menu's too), so the held events leave with the first one after the
disk has room, and a full disk is not hammered on a schedule.
"""

from __future__ import annotations

import json
import logging
import queue
import itertools
import secrets
import threading
import time
from collections.abc import Callable, Container, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlite_utils

from kiosk.core.clock import Clock
from kiosk.core.errors import OUTBOX_NOT_WRITTEN, KioskError
from kiosk.core.events import EventBus, SubsystemFailed, SubsystemRecovered
from kiosk.fleet import catalogue, protocol
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)

CHUNK_OVERHEAD_BYTES = 64
"""Bytes added to a chunk's column characters to approximate its row on disk (key, counts, b-tree)."""

NEVER_EVICTED = frozenset({"audit"})

UNWRITTEN_MAX_EVENTS = 20_000
"""Events held in memory at most, recorded and not yet committed (about 8 MB of taps); see the power-cut window.

Why 20,000: a kiosk's UI records a few events a second, so only a disk stalled for hours comes near it, while the
telemetry bench's 20,000 records in a row (its cost measurement) must all be kept."""

WRITE_ATTEMPTS = 4
"""Tries of one write before the writer gives up on it until the next one (its events stay held)."""

WRITE_RETRY_FIRST_S = 1.0
"""Seconds before the second try of a failed write; each further try waits twice as long (1 + 2 + 4 s): long enough
for a briefly failing disk, short enough that a full one shows on the health board within seconds."""

HEALTH_SUBSYSTEM = "storage"
"""The health board's line for a failed write: the outbox lives in the kiosk's one database, so a full disk is that
line's state (code DB-004 says telemetry is what waits)."""

_STOP = object()
_T = TypeVar("_T")


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


@dataclass(slots=True)
class _Chunk:
    """One stored chunk: seqs `first`… of one boot, as comma-joined wall ms, monotonic ms and indexes `x` into the
    chunk's own `vocab` (JSON arrays of type and fields); split into lists only when read in part."""

    first: int
    count: int
    boot: str
    t: str
    m: str
    vocab: tuple[str, ...]
    x: str
    split: tuple[list[str], list[str], list[str]] | None = None

    @property
    def end(self) -> int:
        """The seq after the chunk's last."""
        return self.first + self.count

    def columns(self, lo: int, hi: int) -> tuple[str, str, list[str] | str]:
        """Wall and monotonic times (comma-joined) and vocab indexes of events `lo`…`hi`-1 of the chunk: the
        stored strings when that is the whole chunk, else slices of its split lists (indexes as a list)."""
        if lo == 0 and hi == self.count:
            return self.t, self.m, self.x
        if self.split is None:
            self.split = (self.t.split(","), self.m.split(","), self.x.split(","))
        t, m, x = self.split
        return ",".join(t[lo:hi]), ",".join(m[lo:hi]), x[lo:hi]


class Outbox:
    """Per-stream durable queues of telemetry events in the kiosk database."""

    def __init__(self, db: Database, clock: Clock, *, boot_id: str, max_bytes: int,
                 chunk_max_events: int = protocol.BATCH_MAX_EVENTS, write_batch_max: int = 5000,
                 max_unwritten: int = UNWRITTEN_MAX_EVENTS, persist_timeout_s: float = 30.0,
                 write_attempts: int = WRITE_ATTEMPTS, write_retry_s: float = WRITE_RETRY_FIRST_S,
                 bus: EventBus | None = None, topics: Callable[[], Container[str] | None] = lambda: None) -> None:
        """`chunk_max_events` is best the agent's batch size: a batch is then one stored row, sent as stored.
        `bus` hears of a write given up on and of the next that succeeds (SubsystemFailed/Recovered, for the board).
        `topics` names the ids a `topic` field may have: the installed content pack's (None: any ident)."""
        if not 1 <= len(boot_id) <= protocol.BOOT_ID_MAX_CHARS:
            raise ValueError(f"boot id must be 1-{protocol.BOOT_ID_MAX_CHARS} characters: {boot_id!r}")
        if not 1 <= chunk_max_events <= protocol.BATCH_MAX_EVENTS:
            raise ValueError(f"chunk_max_events must be 1-{protocol.BATCH_MAX_EVENTS}: {chunk_max_events}")
        if write_attempts < 1:
            raise ValueError(f"write_attempts must be at least 1: {write_attempts}")
        self._db = db
        self._clock = clock
        self._boot_id = boot_id
        self._max_bytes = max_bytes
        self._chunk_max_events = chunk_max_events
        self._write_batch_max = write_batch_max
        self._max_unwritten = max_unwritten
        self._persist_timeout_s = persist_timeout_s
        self._topics = topics
        self._write_attempts = write_attempts
        self._write_retry_s = write_retry_s
        self._bus = bus
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._positions: dict[str, protocol.StreamPosition] = {}
        self._reads = itertools.count(1)
        """Orders position snapshots as the database thread read them, so that a slow thread cannot install an
        older one over a newer (a stale epoch or last seq would send the agent's cursor astray)."""
        self._read_no = 0
        self._last_read: dict[str, _Chunk] = {}
        """Each stream's chunk last read, kept so that consecutive reads inside one chunk split it once; database
        thread only."""
        self._unwritten = 0
        """Events recorded and not yet committed (audit records included), under `_unwritten_lock`."""
        self._unwritten_lock = threading.Lock()
        self.unwritten_dropped = 0
        """Events refused because the writer fell `max_unwritten` behind (a stuck disk); reported in birth."""
        self.window_ms_max = 0
        """The longest an event has waited between record() and its commit since start, in ms: the power-cut
        window this kiosk has seen (for the birth and the maintenance menu)."""
        self._held: list[tuple] = []
        """Events taken off the queue and not yet committed, oldest first (a failed write's stay here, across a stop
        and start too); writer thread only."""
        self._stop_seen = False
        """The writer took the stop off its queue; writer thread only."""
        self._failing = False
        """A write was given up on and none has succeeded since (the board shows it); writer thread only."""
        self.write_failures = 0
        """Write attempts that failed (each rolled back whole), since start."""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Create missing stream rows (each with a fresh random epoch), load positions, start the writer (unless the
        last one is still busy: it finishes its write, then ends)."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._set_positions(self._db.call(self._stamped(_ensure_streams)))
        self._thread = threading.Thread(target=self._write_loop, name="fleet-outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> bool:
        """Persist everything recorded so far (one try if writes are failing: what fails stays held in memory), then
        stop the writer; False if it is still busy after `timeout_s` (a write the disk has not finished, waited out
        rather than abandoned: its events would be written twice)."""
        if self._thread is None:
            return True
        self._queue.put(_STOP)
        self._thread.join(timeout_s)
        if self._thread.is_alive():
            return False
        self._thread = None
        return True

    # ---- recording (any thread) --------------------------------------------------------------------------

    def record(self, stream: str, event_type: str, fields: Mapping[str, Any]) -> None:
        """Validate against the catalogue and queue for the writer; raises catalogue.UnknownEvent, never blocks."""
        catalogue.check(stream, event_type, fields, self._topics())
        with self._unwritten_lock:
            if self._unwritten >= self._max_unwritten and stream not in NEVER_EVICTED:
                self.unwritten_dropped += 1
                return
            self._unwritten += 1
        self._queue.put((stream, event_type, dict(fields), int(self._clock.now().timestamp() * 1000),
                         int(self._clock.monotonic() * 1000)))

    @property
    def unwritten(self) -> int:
        """Events recorded and not yet committed: what a kill at this moment would lose."""
        return self._unwritten

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Wait until everything recorded before this call is on disk (for shutdown, tests); False if its write was
        given up on (the events stay held) or after `timeout_s`."""
        done: Future[bool] = Future()
        self._queue.put(done)
        try:
            return done.result(timeout_s)
        except TimeoutError:
            return False

    # ---- sending side (the agent thread) -----------------------------------------------------------------

    def positions(self) -> dict[str, protocol.StreamPosition]:
        """Where each stream stands (from memory; refreshed by every write and ack)."""
        with self._lock:
            return dict(self._positions)

    def read(self, stream: str, from_seq: int, max_events: int, max_bytes: int) -> Pending:
        """Events of `stream` from `from_seq` on: at most `max_events` (and BATCH_MAX_EVENTS), their columns at
        most `max_bytes` characters unless one event alone is larger."""
        return self._db.call(lambda d: _read(d, self._last_read, stream, from_seq, max_events, max_bytes))

    def ack(self, stream: str, epoch: int, upto: int) -> bool:
        """Release seqs up to `upto` if `epoch` is the stream's current one; False for a stale epoch."""
        result = self._db.call(self._stamped(lambda d: _ack(d, stream, epoch, upto)))
        self._set_positions(result)
        return result[1] is not None

    def new_epoch(self, stream: str, epoch: int, from_seq: int) -> protocol.StreamPosition | None:
        """Release seqs of `epoch` below `from_seq` and move the events held from it on into a fresh random epoch,
        numbered from 1 (the server's answer to a rewind); None, changing nothing, if `epoch` is not current."""
        chunk_max = self._chunk_max_events
        result = self._db.call(self._stamped(lambda d: _new_epoch(d, self._last_read, stream, epoch, from_seq,
                                                                  chunk_max)))
        self._set_positions(result)
        return None if result[1] is None else result[1][stream]

    # ---- writer thread -----------------------------------------------------------------------------------

    def _write_loop(self) -> None:
        self._stop_seen = False
        while not self._stop_seen:
            markers: list[Future[bool]] = []
            self._take(self._queue.get(), markers)
            while not self._stop_seen and len(self._held) < self._write_batch_max:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                self._take(item, markers)
            committed = self._write_held(markers)
            for marker in markers:
                marker.set_result(committed)

    def _take(self, item: Any, markers: list[Future[bool]]) -> None:
        """File one item of the queue: an event to write, a flush to answer, or the stop."""
        if item is _STOP:
            self._stop_seen = True
        elif isinstance(item, Future):
            markers.append(item)
        else:
            self._held.append(item)

    def _write_held(self, markers: list[Future[bool]]) -> bool:
        """Commit the held events oldest first, at most `write_batch_max` a transaction; False once one write was
        given up on (it and all after it stay held)."""
        while self._held:
            batch = self._held[:self._write_batch_max]
            if not self._persist(batch, markers):
                return False
            del self._held[:len(batch)]
            with self._unwritten_lock:
                self._unwritten -= len(batch)
            self.window_ms_max = max(self.window_ms_max, int(self._clock.monotonic() * 1000) - batch[0][4])
        return True

    def _persist(self, batch: list[tuple], markers: list[Future[bool]]) -> bool:
        """Try the write of `batch` up to `write_attempts` times (once more only, once stopping); False if all
        failed."""
        boot, max_bytes, chunk_max = self._boot_id, self._max_bytes, self._chunk_max_events
        delay_s = self._write_retry_s
        attempt = 0
        while True:
            attempt += 1
            try:
                positions = self._patiently(self._db.submit(self._stamped(lambda d: _insert(d, batch, boot,
                                                                                            max_bytes, chunk_max))))
            except Exception as exc:
                self.write_failures += 1
                if attempt >= self._write_attempts or self._stop_seen:
                    self._give_up(exc, attempt)
                    return False
                logger.warning("outbox write of %d events failed (%s); try %d of %d in %.0f s", len(batch), exc,
                               attempt + 1, self._write_attempts, delay_s)
                self._wait(delay_s, markers)
                delay_s *= 2
                continue
            self._set_positions(positions)
            if self._failing:
                self._failing = False
                logger.info("outbox writes again; %d events were held in memory", len(self._held))
                self._publish(SubsystemRecovered(HEALTH_SUBSYSTEM))
            return True

    def _wait(self, delay_s: float, markers: list[Future[bool]]) -> None:
        """Wait `delay_s` before trying a write again, filing what is queued meanwhile; at once on stop."""
        deadline = time.monotonic() + delay_s
        while not self._stop_seen:
            remaining_s = deadline - time.monotonic()
            if remaining_s <= 0:
                return
            try:
                self._take(self._queue.get(timeout=remaining_s), markers)
            except queue.Empty:
                return

    def _give_up(self, error: Exception, attempts: int) -> None:
        """Leave the held events for the next write; the first time since a success, tell the health board.

        Why only the first time: the telemetry recorder records each failure it hears of, and that record would
        start another write, which would fail and be told again, without end.
        """
        logger.error("outbox gave a write up after %d tries (%s); %d events are held in memory until one succeeds%s",
                     attempts, error, len(self._held), ", lost if the kiosk stops now" if self._stop_seen else "")
        if not self._failing:
            self._failing = True
            detail = error.detail if isinstance(error, KioskError) else f"{type(error).__name__}: {error}"
            self._publish(SubsystemFailed(HEALTH_SUBSYSTEM, OUTBOX_NOT_WRITTEN.code, detail))

    def _publish(self, event: SubsystemFailed | SubsystemRecovered) -> None:
        if self._bus is not None:
            self._bus.publish(event)

    def _patiently(self, write: Future[Any]) -> Any:
        """The write's result however long the disk takes, with a warning every `persist_timeout_s`.

        Why not give up and resubmit: the write given up on still runs when the disk comes back, and its events
        would be stored twice under different seqs.
        """
        while True:
            try:
                return write.result(self._persist_timeout_s)
            except TimeoutError:
                if write.done():
                    raise
                logger.warning("outbox write still waiting for the database after %.0f s", self._persist_timeout_s)

    def _stamped(self, fn: Callable[[sqlite_utils.Database], _T]) -> Callable[[sqlite_utils.Database],
                                                                             tuple[int, _T]]:
        """`fn` for the database thread, its result numbered in the order the thread ran it."""
        return lambda d: (next(self._reads), fn(d))

    def _set_positions(self, stamped: tuple[int, dict[str, protocol.StreamPosition] | None]) -> None:
        """Install positions read on the database thread unless newer ones already are."""
        read_no, positions = stamped
        with self._lock:
            if positions is not None and read_no > self._read_no:
                self._positions, self._read_no = positions, read_no


# ---- functions run on the database owner thread ---------------------------------------------------------


def _load_positions(d: sqlite_utils.Database) -> dict[str, protocol.StreamPosition]:
    rows = d.execute("SELECT stream, epoch, next_seq, acked_seq, held, dropped FROM outbox_streams").fetchall()
    return {stream: protocol.StreamPosition(epoch=epoch, last_seq=next_seq - 1, acked_seq=acked, backlog=held,
                                            dropped=dropped)
            for stream, epoch, next_seq, acked, held, dropped in rows}


def _ensure_streams(d: sqlite_utils.Database) -> dict[str, protocol.StreamPosition]:
    for stream in protocol.STREAMS:
        d.execute("INSERT OR IGNORE INTO outbox_streams (stream, epoch, next_seq, acked_seq, held, bytes, dropped, "
                  "tail_seq) VALUES (?, ?, 1, 0, 0, 0, 0, 1)",
                  (stream, secrets.randbelow(2**62) + 1))
    return _load_positions(d)


def _insert(d: sqlite_utils.Database, batch: list[tuple], boot: str, max_bytes: int,
            chunk_max_events: int) -> dict[str, protocol.StreamPosition]:
    streams: dict[str, list[tuple[str, str, str]]] = {}
    for stream, kind, fields, t_wall, t_mono in batch:
        entry = f"[{json.dumps(kind)},{json.dumps(fields, ensure_ascii=False, separators=(',', ':'))}]"
        streams.setdefault(stream, []).append((str(t_wall), str(t_mono), entry))
    for stream, events in streams.items():
        _append(d, stream, boot, events, chunk_max_events)
    _evict(d, max_bytes)
    return _load_positions(d)


_Run = tuple[str, int, list[tuple[str, str, str]]]
"""Consecutive events of one boot: (boot, first seq, [(wall ms, monotonic ms, vocab entry), …])."""


def _append(d: sqlite_utils.Database, stream: str, boot: str, events: list[tuple[str, str, str]],
            chunk_max: int) -> None:
    """Store `events` as the stream's next seqs.

    Why the tail: a kiosk offline for a week writes its backlog a few events at a time. Those small chunks form
    the stream's open tail; once the tail and the new events make a whole chunk, they are rewritten together as
    whole chunks. So the backlog is still one row per batch when it drains, and an event is rewritten about once
    (the few left over after whole chunks start the next tail).
    """
    next_seq, tail_seq = d.execute("SELECT next_seq, tail_seq FROM outbox_streams WHERE stream = ?",
                                   (stream,)).fetchone()
    runs: list[_Run] = [(boot, next_seq, events)]
    open_tail = tail_seq if tail_seq < next_seq else None
    if open_tail is not None and next_seq - open_tail + len(events) >= chunk_max:
        runs = _take_tail(d, stream, open_tail)
        if runs and runs[-1][0] == boot:
            runs[-1][2].extend(events)
        else:
            runs.append((boot, next_seq, events))
        open_tail = None
    for run_boot, first, run_events in runs:
        chunks, last_open = _chunked(run_events, run_boot, chunk_max)
        for chunk in chunks:
            _insert_chunk(d, stream, first, chunk)
            first += chunk.count
    if open_tail is None:
        open_tail = first - chunks[-1].count if last_open else first
    d.execute("UPDATE outbox_streams SET next_seq = ?, held = held + ?, tail_seq = ? WHERE stream = ?",
              (next_seq + len(events), len(events), open_tail, stream))


def _take_tail(d: sqlite_utils.Database, stream: str, tail_seq: int) -> list[_Run]:
    """Delete the stream's chunks from `tail_seq` on and return their events, by runs of one boot."""
    runs: list[_Run] = []
    freed = 0
    rows = d.execute("SELECT first_seq, size, boot, t_wall_ms, t_mono_ms, vocab, x FROM outbox_chunks "
                     "WHERE stream = ? AND first_seq >= ? ORDER BY first_seq", (stream, tail_seq)).fetchall()
    for first, size, boot, t, m, vocab, x in rows:
        entries = vocab.split(_VOCAB_SEP)
        events = list(zip(t.split(","), m.split(","), [entries[int(i)] for i in x.split(",")]))
        if runs and runs[-1][0] == boot:
            runs[-1][2].extend(events)
        else:
            runs.append((boot, first, events))
        freed += size
    if rows:
        with _plain_delete(d):
            d.execute("DELETE FROM outbox_chunks WHERE stream = ? AND first_seq >= ?", (stream, tail_seq))
        d.execute("UPDATE outbox_streams SET bytes = bytes - ? WHERE stream = ?", (freed, stream))
    return runs


def _chunked(events: list[tuple[str, str, str]], boot: str, max_events: int) -> tuple[list[_Chunk], bool]:
    """Consecutive events (wall ms, monotonic ms, vocab entry) cut into chunks that each fit one batch: at most
    `max_events`, and within BATCH_MAX_BYTES on the wire unless one event alone is larger; and whether the last
    chunk still has room (seqs are given on insert)."""
    chunks: list[_Chunk] = []
    start, cut = 0, False
    while start < len(events):
        t: list[str] = []
        m: list[str] = []
        x: list[str] = []
        index: dict[str, str] = {}
        size, cut = len(boot) + _COLUMN_NAMES_CHARS, False
        for wall, mono, entry in events[start:start + max_events]:
            known = index.get(entry)
            at = known or str(len(index))
            grown = size + len(wall) + len(mono) + len(at) + 3 + (0 if known else len(entry) + 1)
            if grown > protocol.BATCH_MAX_BYTES and t:
                cut = True
                break
            index.setdefault(entry, at)
            t.append(wall)
            m.append(mono)
            x.append(at)
            size = grown
        chunks.append(_Chunk(0, len(t), boot, ",".join(t), ",".join(m), tuple(index), ",".join(x)))
        start += len(t)
    return chunks, not cut and chunks[-1].count < max_events


def _insert_chunk(d: sqlite_utils.Database, stream: str, first: int, chunk: _Chunk) -> None:
    """One chunk as seqs `first`… in one row: the whole group is on disk or none of it."""
    vocab = _VOCAB_SEP.join(chunk.vocab)
    size = len(chunk.boot) + len(chunk.t) + len(chunk.m) + len(vocab) + len(chunk.x) + CHUNK_OVERHEAD_BYTES
    d.execute("INSERT INTO outbox_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              (stream, first, chunk.count, size, chunk.boot, chunk.t, chunk.m, vocab, chunk.x))
    d.execute("UPDATE outbox_streams SET bytes = bytes + ? WHERE stream = ?", (size, stream))


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
    with _plain_delete(d):
        d.execute("DELETE FROM outbox_chunks WHERE stream = ? AND first_seq <= ?", (stream, cutoff))
    d.execute("UPDATE outbox_streams SET held = held - ?, bytes = bytes - ?, dropped = dropped + ? "
              "WHERE stream = ?", (dropped, freed, dropped, stream))
    logger.warning("outbox over its cap: evicted %d %s events (%d bytes)", dropped, stream, freed)
    return freed


_VOCAB_SEP = "\x1e"
"""Separator of a chunk's vocabulary entries: JSON escapes control characters, so it occurs in none."""

_COLUMN_NAMES_CHARS = len('"boot":"","vocab":[],"t":[],"m":[],"x":[],')

_CACHED = "first_seq = ?4 AND event_count = ?5"
_CHUNKS = (f"SELECT first_seq, event_count, boot, IIF({_CACHED}, NULL, t_wall_ms), IIF({_CACHED}, NULL, t_mono_ms), "
           f"IIF({_CACHED}, NULL, vocab), IIF({_CACHED}, NULL, x) FROM outbox_chunks WHERE stream = ?1 "
           "AND first_seq BETWEEN (SELECT MAX(first_seq) FROM outbox_chunks WHERE stream = ?1 AND first_seq <= ?2) "
           "AND ?3 AND first_seq + event_count > ?2 ORDER BY first_seq")
"""The chunks holding seqs ?2…?3, with no columns for the one of ?5 events at ?4 (already in memory)."""


def _read(d: sqlite_utils.Database, last_read: dict[str, _Chunk], stream: str, from_seq: int, max_events: int,
          max_bytes: int) -> Pending:
    epoch, acked, lowest = d.execute(
        "SELECT epoch, acked_seq, (SELECT MIN(first_seq) FROM outbox_chunks WHERE stream = ?1) "
        "FROM outbox_streams WHERE stream = ?1", (stream,)).fetchone()
    base = from_seq if lowest is None else max(acked + 1, lowest)
    first = max(from_seq, base)
    count = min(max_events, protocol.BATCH_MAX_EVENTS)
    while True:
        chunks = _chunks(d, last_read, stream, first, first + count - 1)
        boot, vocab, t, m, x, n = _gather(chunks, stream, first, count)
        pending = Pending(stream, epoch, base, first, first + n - 1, boot, vocab, t, m, x)
        size = pending.size
        if size <= max_bytes or n <= 1:
            return pending
        count = max(1, n * max_bytes // size)


def _gather(chunks: list[_Chunk], stream: str, first: int,
            count: int) -> tuple[str, tuple[str, ...], str, str, str, int]:
    """Seqs `first`… (at most `count`, all of one boot) in wire form: boot, vocabulary, comma-joined wall times,
    monotonic times and vocab indexes, and how many events that is.

    Whole chunks go as stored; only a chunk whose vocabulary lands at other indexes has its `x` rewritten, and
    only a chunk read in part is split (its unused vocabulary entries are left out).
    """
    index: dict[str, str] = {}
    t_parts: list[str] = []
    m_parts: list[str] = []
    x_parts: list[str] = []
    boot, seq, end = "", first, first + count
    for chunk in chunks:
        if chunk.first != seq and (t_parts or chunk.first > seq):
            raise RuntimeError(f"outbox {stream}: no chunk holds seq {seq}, the next one starts at {chunk.first}")
        if t_parts and chunk.boot != boot:
            break
        lo, hi = seq - chunk.first, min(end, chunk.end) - chunk.first
        t, m, x = chunk.columns(lo, hi)
        if isinstance(x, str):
            at = [index.setdefault(entry, str(len(index))) for entry in chunk.vocab]
            if any(a != str(i) for i, a in enumerate(at)):
                x = ",".join([at[int(i)] for i in x.split(",")])
        else:
            local: dict[str, str] = {}
            x = ",".join([local.get(i) or local.setdefault(i, index.setdefault(chunk.vocab[int(i)], str(len(index))))
                          for i in x])
        t_parts.append(t)
        m_parts.append(m)
        x_parts.append(x)
        boot, seq = chunk.boot, chunk.first + hi
    return boot, tuple(index), ",".join(t_parts), ",".join(m_parts), ",".join(x_parts), seq - first


def _chunks(d: sqlite_utils.Database, last_read: dict[str, _Chunk], stream: str, lo: int, hi: int) -> list[_Chunk]:
    """The chunks holding seqs `lo`…`hi` in order; the last is kept for the next read, which often continues in it."""
    cached = last_read.get(stream)
    rows = d.execute(_CHUNKS, (stream, lo, hi, cached.first if cached else 0, cached.count if cached else 0)).fetchall()
    chunks = [cached if t is None else _Chunk(first, count, boot, t, m, tuple(vocab.split(_VOCAB_SEP)), x)
              for first, count, boot, t, m, vocab, x in rows]
    if chunks:
        last_read[stream] = chunks[-1]
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


def _new_epoch(d: sqlite_utils.Database, last_read: dict[str, _Chunk], stream: str, epoch: int, from_seq: int,
               chunk_max: int) -> dict[str, protocol.StreamPosition] | None:
    """Rewrite the stream's held events from `from_seq` on as seqs 1… of a fresh epoch; the rest is released.

    Why rewrite rather than renumber rows in place: a chunk may straddle `from_seq`, and the events re-enter through
    `_append`, so the new epoch's chunks are whole batches like any others. `dropped` restarts with the epoch, as
    the server keeps it per epoch.
    """
    row = d.execute("SELECT epoch, acked_seq FROM outbox_streams WHERE stream = ?", (stream,)).fetchone()
    if row is None or row[0] != epoch:
        return None
    keep_from = max(from_seq, row[1] + 1)
    runs = [(boot, events[max(0, keep_from - first):]) for boot, first, events in _take_tail(d, stream, 0)]
    fresh = epoch
    while fresh == epoch:
        fresh = secrets.randbelow(2**62) + 1
    d.execute("UPDATE outbox_streams SET epoch = ?, next_seq = 1, acked_seq = 0, held = 0, dropped = 0, "
              "tail_seq = 1 WHERE stream = ?", (fresh, stream))
    for boot, events in runs:
        if events:
            _append(d, stream, boot, events, chunk_max)
    last_read.pop(stream, None)
    return _load_positions(d)


def _delete_acked(d: sqlite_utils.Database, stream: str) -> None:
    """Delete the chunks of `stream` whose every seq is acked, freeing their bytes under the cap."""
    with _plain_delete(d):
        freed = sum(size for (size,) in d.execute(
            "WITH s AS (SELECT acked_seq FROM outbox_streams WHERE stream = ?1) DELETE FROM outbox_chunks "
            "WHERE stream = ?1 AND first_seq <= (SELECT acked_seq FROM s) "
            "AND first_seq + event_count - 1 <= (SELECT acked_seq FROM s) RETURNING size", (stream,)).fetchall())
    if freed:
        d.execute("UPDATE outbox_streams SET bytes = bytes - ? WHERE stream = ?", (freed, stream))


@contextmanager
def _plain_delete(d: sqlite_utils.Database) -> Iterator[None]:
    """Delete telemetry without overwriting the freed pages with zeros.

    Why: SQLite here is built with secure_delete on, which the kiosk keeps for citizens' data; telemetry holds no
    personal data (the catalogue admits none), and zeroing every acked chunk tripled the cost of an ack and
    filled the WAL, so checkpoints (which fsync) stalled the drain.
    """
    (setting,) = d.execute("PRAGMA secure_delete").fetchone()
    d.execute("PRAGMA secure_delete = 0")
    try:
        yield
    finally:
        d.execute(f"PRAGMA secure_delete = {int(setting)}")


def _total_bytes(d: sqlite_utils.Database) -> int:
    return d.execute("SELECT COALESCE(SUM(bytes), 0) FROM outbox_streams").fetchone()[0]
