"""The server trusts no sequence number blindly: forged jumps, rewinds and replays, judged inside the ingest
transaction (functions run on the store's owner thread).

Why: anyone holding one kiosk's credentials can publish batches under its epochs, and a kiosk restored from an
older copy of its database reuses seqs the server already holds. Taken at their word, one batch claiming seq
1,000,000 would move the marks so that every real event after it is acked and never stored, and a restored
kiosk's new events would be dropped as duplicates. So, per (kiosk, stream, epoch):

- a batch reaching more than SEQ_JUMP_MAX past the most the server knows (its contiguous mark, or the last seq
  the kiosk's birth announced), or whose `base` claims the kiosk released seqs nobody announced, is quarantined:
  kept aside with its reason, never counted or acked, logged and raised as an alert; the kiosk is asked for a
  fresh birth, so that an honest kiosk's genuine jump (events evicted while connected) passes on its resend;
- a birth announcing a last seq below what the server holds from an earlier boot, or a resent seq whose boot,
  wall or monotonic time differs from the stored one, is a rewind: the epoch gets a ceiling (seqs above it are never stored or acked),
  and once the kiosk has shown the server everything up to the ceiling, the server sends `new_epoch`, so the
  events it recorded after the restore continue, renumbered, in a fresh epoch;
- a batch of a later epoch whose events predate the last event of the kiosk's earlier epochs of the stream (by
  more than the clock's tolerance) is old content replayed under a new epoch: quarantined too.

Acks never name more than the sender itself has shown since its last birth (`seen`), so an ack cannot release
what the server only holds from an earlier copy of the kiosk.

With several ingest workers a birth may be taken after batches the kiosk sent after it (another worker was
quicker, or the birth waited in a killed worker's session): seqs above the birth's last seq are then the kiosk's
own newer events, of the birth's boot. So a birth only closes the epoch when the first event the server holds
above its last seq is of another boot; a rewind within one boot shows when the kiosk resends a seq (collision).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Connection, bindparam, func, select, update

from kiosk.core.ids import new_id
from kiosk.fleet import protocol
from kiosk.fleet.console import alerts as operator_alerts
from kiosk.fleet.console.dialect import greatest, insert, once
from kiosk.fleet.console.schema import alerts, batches, commands, quarantine as quarantined, rewinds, streams

logger = logging.getLogger(__name__)

SEQ_JUMP_MAX = 100_000
"""Seqs a batch may reach past the most the server knows of its epoch: more than an honest kiosk ever has in
flight (64 batches of 1,000 events, FleetConfig's and the protocol's upper bounds), far less than a forger's leap."""
REPLAY_TOLERANCE_MS = 300_000
"""Clock error (ms) allowed by default before an event of a later epoch counts as older than its predecessors'
last: kiosk clocks are corrected by their own NTP-style estimate, which a step of the clock can put out."""
NEW_EPOCH_TTL_S = 7 * 24 * 3600
"""Seconds a `new_epoch` command stays valid (resent after each birth until answered)."""
REBIRTH_TTL_S = 120
"""Seconds a `rebirth` asked for after a quarantined leap stays valid."""

SEQ_JUMP, REPLAY, REWIND, EPOCH_FORCED = "seq_jump", "replay", "rewind", "epoch_forced"
"""The kinds of alert raised here; a quarantined batch's reason is SEQ_JUMP or REPLAY."""


@dataclass(slots=True)
class Position:
    """What the server holds of one (kiosk, stream, epoch): contiguous and highest stored seq, the last seq the
    kiosk's latest birth announced, the highest seq the kiosk has sent since that birth, the ceiling of a rewound
    epoch (None while open), the replay floor (ms, None for a kiosk's first epoch of the stream) and the events
    the kiosk's births said it evicted."""

    upto: int
    high: int
    announced: int
    seen: int
    ceiling: int | None
    floor_ms: int | None
    dropped: int

    @property
    def ack(self) -> int:
        """What an ack may name: stored without a gap, shown by the sender itself, and below any ceiling."""
        return min(self.upto, self.seen, self.upto if self.ceiling is None else self.ceiling)

    @property
    def gap(self) -> bool:
        """Seqs are missing below the highest the server will take."""
        return min(self.high, self.high if self.ceiling is None else self.ceiling) > self.upto


Key = tuple[str, str, int]
"""(kid, stream, epoch)."""


def _is(table, key: Key) -> tuple:
    kid, stream, epoch = key
    return table.c.kid == kid, table.c.stream == stream, table.c.epoch == epoch


def stream_is(key: Key) -> tuple:
    """WHERE clauses selecting the stream row of `key`."""
    return _is(streams, key)


def batch_is(key: Key) -> tuple:
    """WHERE clauses selecting the batch rows of `key`."""
    return _is(batches, key)


def rows_covering(c: Connection, key: Key, first: int, last: int, *columns):
    """`columns` of the stored batch rows that hold any seq of `first`…`last`, in seq order: the row holding
    `first` (the last one starting at or before it) and every row starting after it up to `last`."""
    start = select(batches.c.first).where(*batch_is(key), batches.c.first <= first) \
        .order_by(batches.c.first.desc()).limit(1).scalar_subquery()
    return c.execute(select(*columns).where(*batch_is(key), batches.c.first <= last,
                                            batches.c.first >= func.coalesce(start, first))
                     .order_by(batches.c.first))


_POSITIONS_FIELDS = (streams.c.kid, streams.c.stream, streams.c.epoch, streams.c.upto, streams.c.high,
                    streams.c.announced, streams.c.seen, streams.c.ceiling, streams.c.floor_ms, streams.c.dropped)
PREFETCH_KIOSKS = 400
"""Kiosks whose stream positions are read in one SELECT at most."""
_PREFETCH = select(*_POSITIONS_FIELDS).where(streams.c.kid.in_(bindparam("kids", expanding=True)))
_OPEN_FORCED = select(rewinds.c.kid, rewinds.c.stream, rewinds.c.epoch).where(
    rewinds.c.kid.in_(bindparam("kids", expanding=True)), rewinds.c.forced_ms.is_not(None),
    rewinds.c.resolved_ms.is_(None))


def _marks_statement(newest: bool):
    s = streams.c
    values = {"upto": bindparam("u"), "high": bindparam("h"), "seen": bindparam("n"), "announced": bindparam("a"),
              "dropped": bindparam("d"), "refused": s.refused + bindparam("r", type_=BigInteger)}
    if newest:
        values["t_max_ms"] = greatest(func.coalesce(s.t_max_ms, bindparam("t", type_=BigInteger)),
                                      bindparam("t", type_=BigInteger))
    return lambda _insert: update(streams).where(s.kid == bindparam("k"), s.stream == bindparam("s"),
                                                 s.epoch == bindparam("e")).values(values)


_MARKS, _MARKS_AND_NEWEST = once(_marks_statement(False)), once(_marks_statement(True))
"""A stream row's marks and births' figures, its refused count, and the newest event's time when a batch stored
any."""
_STORE_BATCHES = batches.insert()


class Positions:
    """The stream positions one ingest transaction works on: read once per key (most in one SELECT), changed in
    memory by every batch and birth of the run, their marks written back once at `flush`; the batch rows the
    run stores, written at `flush` too, or as soon as a read of their stream's rows needs them (`settled`); and
    the forced rewinds still open of the kiosks born in the run, which their births resolve.

    Why: on PostgreSQL each statement is a round trip; a run of small batches from many kiosks would otherwise
    read and write each stream row and insert its batch row once per batch, and a reconnecting fleet's births
    would each read and write their streams. Rows are only read after their kiosk's row lock is held
    (`store.ingest` touches the kiosks first), so what is read stays true until the transaction ends.
    """

    def __init__(self, c: Connection) -> None:
        self._c = c
        self._held: dict[Key, Position] = {}
        self._written: dict[Key, tuple[int, int | None]] = {}
        """Keys whose marks changed → (events refused since read, newest event ms or None)."""
        self._rows: list[dict] = []
        self._unwritten: set[Key] = set()
        """Keys with batch rows in `_rows`, not yet in the database."""
        self._forced: dict[str, set[tuple[str, int]]] = {}
        """Kiosk → (stream, epoch) of its forced rewinds not yet resolved, for the kiosks `prefetch` was told of."""

    def prefetch(self, keys: set[Key], born: set[str]) -> None:
        """Read the positions of `keys` that exist, and the open forced rewinds of the `born` kiosks, a few hundred
        kiosks per statement (a plain IN on the leading key column, which PostgreSQL plans as one index scan; a
        row-value IN list became hundreds of ORed conditions)."""
        wanted = keys - self._held.keys()
        for kids in _chunks({kid for kid, _stream, _epoch in wanted}):
            for kid, stream, epoch, *rest in self._c.execute(_PREFETCH, {"kids": kids}):
                if (kid, stream, epoch) in wanted:
                    self._held[(kid, stream, epoch)] = Position(*rest)
        for kids in _chunks(born - self._forced.keys()):
            self._forced.update((kid, set()) for kid in kids)
            for kid, stream, epoch in self._c.execute(_OPEN_FORCED, {"kids": kids}):
                self._forced[kid].add((stream, epoch))

    def forced(self, key: Key) -> None:
        """A rewind of `key` was forced in this run."""
        kid, stream, epoch = key
        if kid in self._forced:
            self._forced[kid].add((stream, epoch))

    def resolving(self, kid: str, stream: str, epoch: int) -> bool:
        """Whether the kiosk may hold open forced rewinds of `stream` in epochs other than `epoch`, which the
        caller resolves now (they are forgotten here); False only when none are known to be open."""
        if kid not in self._forced:
            return True
        others = {(s, e) for s, e in self._forced[kid] if s == stream and e != epoch}
        self._forced[kid] -= others
        return bool(others)

    def get(self, key: Key) -> Position:
        """The stream's position; a first sight of the epoch opens it, its replay floor set by the kiosk's
        others (as stored, or as this run has moved them)."""
        if key in self._held:
            return self._held[key]
        s = streams.c
        kid, stream, epoch = key
        row = self._c.execute(select(*_POSITIONS_FIELDS[3:]).where(*stream_is(key))).first()
        if row is None:
            stored = self._c.execute(select(func.max(s.t_max_ms)).where(s.kid == kid, s.stream == stream)).scalar()
            pending = [t for (k, st, _e), (_r, t) in self._written.items() if (k, st) == (kid, stream) and t]
            floor_ms = max([t for t in (stored, *pending) if t is not None], default=None)
            self._c.execute(streams.insert().values(kid=kid, stream=stream, epoch=epoch, upto=0, high=0,
                                                    floor_ms=floor_ms))
            row = (0, 0, 0, 0, None, floor_ms, 0)
        self._held[key] = Position(*row)
        return self._held[key]

    def moved(self, key: Key, refused: int, newest: int | None) -> None:
        """A batch moved the marks of `key` (in its Position), refused `refused` events, stored up to `newest`."""
        earlier_refused, earlier_newest = self._written.get(key, (0, None))
        self._written[key] = (earlier_refused + refused,
                              newest if earlier_newest is None else max(earlier_newest, newest or earlier_newest))

    def store(self, key: Key, rows: list[dict]) -> None:
        """Batch rows of `key` (`batches` columns) to insert before the transaction ends."""
        self._rows.extend(rows)
        self._unwritten.add(key)

    def settled(self, key: Key) -> Connection:
        """The transaction's connection once every batch row of `key` this run stored is in the database, so a
        read of the stream's rows sees them all."""
        if key in self._unwritten:
            self._write_rows()
        return self._c

    def _write_rows(self) -> None:
        if self._rows:
            self._c.execute(_STORE_BATCHES, self._rows)
        self._rows, self._unwritten = [], set()

    def flush(self) -> None:
        """Write the pending batch rows and every moved position's marks back, in key order."""
        self._write_rows()
        plain, timed = [], []
        for key, (refused, newest) in sorted(self._written.items()):
            at = self._held[key]
            params = {"k": key[0], "s": key[1], "e": key[2], "u": at.upto, "h": at.high, "n": at.seen,
                      "a": at.announced, "d": at.dropped, "r": refused, "t": newest}
            (plain if newest is None else timed).append(params)
        for statement, rows in ((_MARKS, plain), (_MARKS_AND_NEWEST, timed)):
            if rows:
                self._c.execute(statement(self._c), rows)
        self._written.clear()


def _chunks(kids: set[str]) -> list[list[str]]:
    """`kids` in order, PREFETCH_KIOSKS at a time."""
    ordered = sorted(kids)
    return [ordered[start:start + PREFETCH_KIOSKS] for start in range(0, len(ordered), PREFETCH_KIOSKS)]


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).isoformat(timespec="seconds")


def suspicion(batch: protocol.Batch, at: Position, replay_tolerance_ms: int) -> tuple[str, str] | None:
    """(reason, detail) when the batch's seqs or times cannot be the kiosk's own next events; None when plausible."""
    known = max(at.upto, at.announced)
    if batch.base - 1 > known:
        return SEQ_JUMP, f"base {batch.base} claims seqs released beyond {known}, the most held or announced"
    if batch.last > known + SEQ_JUMP_MAX:
        return SEQ_JUMP, (f"seqs {batch.q}-{batch.last} jump more than {SEQ_JUMP_MAX} beyond {known}, "
                          "the most held or announced")
    earliest = min(batch.t) + (batch.clk.offset_ms or 0)
    if at.floor_ms is not None and earliest < at.floor_ms - replay_tolerance_ms:
        return REPLAY, (f"events from {_iso(earliest)} predate {_iso(at.floor_ms)}, the last event of the "
                        "kiosk's earlier epochs of this stream")
    return None


def alert(c: Connection, region: str, kid: str, kind: str, stream: str | None, epoch: int | None,
          detail: str, now_ms: int) -> None:
    """Raise an alert for the operator (the console, its webhook) and log it."""
    operator_alerts.once(c, region, kid, kind, stream, epoch, detail, now_ms)
    logger.warning("fleet alert %s: kiosk %s stream %s epoch %s: %s", kind, kid, stream, epoch, detail)


def quarantine(c: Connection, region: str, kid: str, batch: protocol.Batch, reason: str, detail: str,
               payload: str, now_ms: int) -> protocol.Command | None:
    """Keep a suspect batch aside (its content as the store would keep it) and alert once per batch; a seq jump
    also asks the kiosk for a fresh birth, returned as the command to send."""
    upsert = insert(c, quarantined).values(kid=kid, stream=batch.stream, epoch=batch.epoch, first=batch.q,
                                           last=batch.last, reason=reason, region=region, received_ms=now_ms,
                                           detail=detail, payload=payload)
    hits = c.execute(upsert.on_conflict_do_update(
        index_elements=list(quarantined.primary_key),
        set_={"hits": quarantined.c.hits + 1, "received_ms": upsert.excluded.received_ms})
        .returning(quarantined.c.hits)).scalar_one()
    if hits > 1:
        return None
    alert(c, region, kid, reason, batch.stream, batch.epoch, f"batch {batch.q}-{batch.last} quarantined: {detail}",
          now_ms)
    return command("rebirth", {}, now_ms, REBIRTH_TTL_S) if reason == SEQ_JUMP else None


def held_rows(positions: Positions, key: Key, batch: protocol.Batch, last: int, high: int) -> list[tuple]:
    """The stored rows (first, last, q, payload) holding any of the batch's seqs up to `last`, in seq order; none
    read when the batch starts above what is held. Read once for the collision check and the store's uncovered
    ranges."""
    if batch.q > min(last, high):
        return []
    return list(rows_covering(positions.settled(key), key, batch.q, last, batches.c.first, batches.c.last,
                              batches.c.q, batches.c.payload))


def first_collision(held: list[tuple], batch: protocol.Batch, last: int) -> int | None:
    """The first seq up to `last` that the server holds (`held_rows`) as a different event (boot, wall or monotonic
    time) than the batch carries: where a rewound kiosk's numbering parts from what it sent before."""
    for first, row_last, q, payload in held:
        lo, hi = max(first, batch.q), min(row_last, last)
        if lo > hi:
            continue
        stored = json.loads(payload)
        if stored["boot"] != batch.boot:
            return lo
        for seq in range(lo, hi + 1):
            if (stored["t"][seq - q], stored["m"][seq - q]) != (batch.t[seq - batch.q], batch.m[seq - batch.q]):
                return seq
    return None


def _held_from_another_boot(c: Connection, key: Key, above: int, boot: str) -> bool:
    """Whether the first event the server holds above seq `above` was recorded in a boot other than `boot` (or
    no event is held there, the marks having moved past it): not an event the kiosk recorded after its birth."""
    payload = c.execute(select(batches.c.payload).where(*batch_is(key), batches.c.last > above)
                        .order_by(batches.c.first).limit(1)).scalar()
    return payload is None or json.loads(payload)["boot"] != boot


def rewound(c: Connection, region: str, key: Key, cause: str, at: Position, ceiling: int, now_ms: int) -> None:
    """Close the epoch above `ceiling` (lowering an earlier ceiling only); alert the operator once per rewind, and
    again only if it is lowered after the new epoch was forced (the kiosk has let go of what lies between)."""
    if at.ceiling is not None and at.ceiling <= ceiling:
        return
    earlier, at.ceiling = at.ceiling, ceiling
    forced = c.execute(select(rewinds.c.forced_ms).where(*_is(rewinds, key))).first()
    kid, stream, epoch = key
    upsert = insert(c, rewinds).values(kid=kid, stream=stream, epoch=epoch, region=region, cause=cause, high=at.high,
                                       ceiling=ceiling, detected_ms=now_ms)
    c.execute(upsert.on_conflict_do_update(index_elements=list(rewinds.primary_key),
                                           set_={"cause": upsert.excluded.cause, "ceiling": upsert.excluded.ceiling}))
    c.execute(update(streams).where(*stream_is(key)).values(ceiling=ceiling))
    if forced is None:
        alert(c, region, kid, REWIND, stream, epoch,
              f"{cause}: the kiosk's seqs after {ceiling} reuse numbers the server holds up to {at.high} "
              "(restored from an older copy?); they will continue in a new epoch", now_ms)
    elif forced[0] is not None:
        alert(c, region, kid, REWIND, stream, epoch,
              f"{cause} after the new epoch was forced from {earlier + 1}: the kiosk's events {ceiling + 1}-{earlier} "
              "may be lost", now_ms)
    else:
        logger.info("rewind of kiosk %s stream %s epoch %s narrowed by %s: new events from seq %d", *key, cause,
                    ceiling + 1)


def force_if_ready(c: Connection, positions: Positions, region: str, key: Key, at: Position,
                   now_ms: int) -> protocol.Command | None:
    """Once a rewound epoch is held and confirmed up to its ceiling, record and return the `new_epoch` command
    (again, without a second alert, if the kiosk let an earlier one expire and is still on the epoch)."""
    if at.ceiling is None or min(at.upto, at.seen) < at.ceiling:
        return None
    row = c.execute(select(rewinds.c.forced_ms, commands.c.expires_ms)
                    .select_from(rewinds.outerjoin(commands, commands.c.id == rewinds.c.command_id))
                    .where(*_is(rewinds, key), rewinds.c.resolved_ms.is_(None))).first()
    if row is None or (row[0] is not None and (row[1] or 0) > now_ms):
        return None
    kid, stream, epoch = key
    new_epoch = command("new_epoch", {"stream": stream, "epoch": epoch, "from_seq": at.ceiling + 1}, now_ms,
                        NEW_EPOCH_TTL_S)
    c.execute(update(rewinds).where(*_is(rewinds, key)).values(
        command_id=new_epoch.id, forced_ms=func.coalesce(rewinds.c.forced_ms, now_ms)))
    positions.forced(key)
    if row[0] is None:
        alert(c, region, kid, EPOCH_FORCED, stream, epoch,
              f"told the kiosk to move its events from seq {at.ceiling + 1} on into a new epoch", now_ms)
    return new_epoch


def birth(c: Connection, positions: Positions, region: str, kid: str, stream: str,
          announced: protocol.StreamPosition, boot: str, now_ms: int) -> protocol.Command | None:
    """Take a birth's position of one stream: what it announces, `seen` back to what it holds acked, an alert for
    events it evicted since its last birth (a late birth never lowers the count), a rewind if it announces less
    than the server holds from before it, and a forced epoch of an earlier rewind seen through."""
    key = (kid, stream, announced.epoch)
    at = positions.get(key)
    dropped = at.dropped
    at.announced, at.seen = announced.last_seq, min(announced.acked_seq, announced.last_seq)
    at.dropped = max(dropped, announced.dropped)
    positions.moved(key, 0, None)
    if announced.dropped > dropped:
        alert(c, region, kid, operator_alerts.DROPPED, stream, announced.epoch,
              f"终端因存储上限丢弃了 {announced.dropped - dropped} 条遥测（本纪元累计 {announced.dropped} 条）", now_ms)
    if positions.resolving(kid, stream, announced.epoch):
        c.execute(update(rewinds).where(rewinds.c.kid == kid, rewinds.c.stream == stream,
                                        rewinds.c.epoch != announced.epoch, rewinds.c.forced_ms.is_not(None),
                                        rewinds.c.resolved_ms.is_(None)).values(resolved_ms=now_ms,
                                                                                 new_epoch=announced.epoch))
    if announced.last_seq < at.high and _held_from_another_boot(positions.settled(key), key, announced.last_seq,
                                                                boot):
        rewound(c, region, key, "birth", at, announced.last_seq, now_ms)
    return force_if_ready(c, positions, region, key, at, now_ms)


def command(name: str, args: dict, now_ms: int, ttl_s: int) -> protocol.Command:
    """A server-issued command envelope."""
    return protocol.Command(id=new_id(), name=name, args=args, issued=now_ms, expires=now_ms + ttl_s * 1000)


def alert_rows(c: Connection, limit: int) -> list[dict]:
    """The latest alerts, newest first."""
    a = alerts.c
    return [dict(row) for row in c.execute(
        select(a.at_ms, a.kid, a.region, a.kind, a.stream, a.epoch, a.detail)
        .order_by(a.at_ms.desc(), a.id.desc()).limit(limit)).mappings()]
