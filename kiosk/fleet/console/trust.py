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
- a birth announcing a last seq below what the server holds, or a resent seq whose boot, wall or monotonic time
  differs from the stored one, is a rewind: the epoch gets a ceiling (seqs above it are never stored or acked),
  and once the kiosk has shown the server everything up to the ceiling, the server sends `new_epoch`, so the
  events it recorded after the restore continue, renumbered, in a fresh epoch;
- a batch of a later epoch whose events predate the last event of the kiosk's earlier epochs of the stream (by
  more than the clock's tolerance) is old content replayed under a new epoch: quarantined too.

Acks never name more than the sender itself has shown since its last birth (`seen`), so an ack cannot release
what the server only holds from an earlier copy of the kiosk.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from kiosk.core.ids import new_id
from kiosk.fleet import protocol

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
    epoch (None while open) and the replay floor (ms, None for a kiosk's first epoch of the stream)."""

    upto: int
    high: int
    announced: int
    seen: int
    ceiling: int | None
    floor_ms: int | None

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


def position(d: sqlite_utils.Database, key: Key) -> Position:
    """The stream's position; a first sight of the epoch opens it, its replay floor set by the kiosk's others."""
    row = d.execute("SELECT upto, high, announced, seen, ceiling, floor_ms FROM streams WHERE kid = ? AND stream = ? "
                    "AND epoch = ?", key).fetchone()
    if row is not None:
        return Position(*row)
    (floor_ms,) = d.execute("SELECT MAX(t_max_ms) FROM streams WHERE kid = ? AND stream = ?", key[:2]).fetchone()
    d.execute("INSERT INTO streams (kid, stream, epoch, upto, high, floor_ms) VALUES (?, ?, ?, 0, 0, ?)",
              (*key, floor_ms))
    return Position(0, 0, 0, 0, None, floor_ms)


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


def alert(d: sqlite_utils.Database, region: str, kid: str, kind: str, stream: str | None, epoch: int | None,
          detail: str, now_ms: int) -> None:
    """Raise an alert for the operator (kiosk fleet status) and log it."""
    d.execute("INSERT INTO alerts (at_ms, kid, region, kind, stream, epoch, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
              (now_ms, kid, region, kind, stream, epoch, detail))
    logger.warning("fleet alert %s: kiosk %s stream %s epoch %s: %s", kind, kid, stream, epoch, detail)


def quarantine(d: sqlite_utils.Database, region: str, kid: str, batch: protocol.Batch, reason: str, detail: str,
               payload: str, now_ms: int) -> protocol.Command | None:
    """Keep a suspect batch aside (its content as the store would keep it) and alert once per batch; a seq jump
    also asks the kiosk for a fresh birth, returned as the command to send."""
    (hits,) = d.execute(
        "INSERT INTO quarantine (kid, stream, epoch, first, last, reason, region, received_ms, detail, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET hits = hits + 1, "
        "received_ms = excluded.received_ms RETURNING hits",
        (kid, batch.stream, batch.epoch, batch.q, batch.last, reason, region, now_ms, detail, payload)).fetchone()
    if hits > 1:
        return None
    alert(d, region, kid, reason, batch.stream, batch.epoch, f"batch {batch.q}-{batch.last} quarantined: {detail}",
          now_ms)
    return command("rebirth", {}, now_ms, REBIRTH_TTL_S) if reason == SEQ_JUMP else None


def first_collision(d: sqlite_utils.Database, key: Key, batch: protocol.Batch, last: int, high: int) -> int | None:
    """The first seq up to `last` that the server holds as a different event (boot, wall or monotonic time) than
    the batch carries: where a rewound kiosk's numbering parts from what it sent before."""
    if batch.q > min(last, high):
        return None
    rows = d.execute("SELECT first, last, q, json_extract(payload, '$.boot'), json_extract(payload, '$.t'), "
                     "json_extract(payload, '$.m') FROM batches WHERE kid = ?1 AND stream = ?2 AND epoch = ?3 "
                     "AND first <= ?5 AND first >= COALESCE((SELECT MAX(first) FROM batches WHERE kid = ?1 "
                     "AND stream = ?2 AND epoch = ?3 AND first <= ?4), ?4) ORDER BY first",
                     (*key, batch.q, last))
    for first, row_last, q, boot, t, m in rows:
        lo, hi = max(first, batch.q), min(row_last, last)
        if lo > hi:
            continue
        if boot != batch.boot:
            return lo
        stored_t, stored_m = json.loads(t), json.loads(m)
        for seq in range(lo, hi + 1):
            if (stored_t[seq - q], stored_m[seq - q]) != (batch.t[seq - batch.q], batch.m[seq - batch.q]):
                return seq
    return None


def rewound(d: sqlite_utils.Database, region: str, key: Key, cause: str, at: Position, ceiling: int,
            now_ms: int) -> None:
    """Close the epoch above `ceiling` (lowering an earlier ceiling only); alert the operator once per rewind, and
    again only if it is lowered after the new epoch was forced (the kiosk has let go of what lies between)."""
    if at.ceiling is not None and at.ceiling <= ceiling:
        return
    earlier, at.ceiling = at.ceiling, ceiling
    forced = d.execute("SELECT forced_ms FROM rewinds WHERE kid = ? AND stream = ? AND epoch = ?", key).fetchone()
    d.execute("INSERT INTO rewinds (kid, stream, epoch, region, cause, high, ceiling, detected_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET cause = excluded.cause, "
              "ceiling = excluded.ceiling", (*key, region, cause, at.high, ceiling, now_ms))
    d.execute("UPDATE streams SET ceiling = ? WHERE kid = ? AND stream = ? AND epoch = ?", (ceiling, *key))
    if forced is None:
        alert(d, region, key[0], REWIND, key[1], key[2],
              f"{cause}: the kiosk's seqs after {ceiling} reuse numbers the server holds up to {at.high} "
              "(restored from an older copy?); they will continue in a new epoch", now_ms)
    elif forced[0] is not None:
        alert(d, region, key[0], REWIND, key[1], key[2],
              f"{cause} after the new epoch was forced from {earlier + 1}: the kiosk's events {ceiling + 1}-{earlier} "
              "may be lost", now_ms)
    else:
        logger.info("rewind of kiosk %s stream %s epoch %s narrowed by %s: new events from seq %d", *key, cause,
                    ceiling + 1)


def force_if_ready(d: sqlite_utils.Database, region: str, key: Key, at: Position,
                   now_ms: int) -> protocol.Command | None:
    """Once a rewound epoch is held and confirmed up to its ceiling, record and return the `new_epoch` command
    (again, without a second alert, if the kiosk let an earlier one expire and is still on the epoch)."""
    if at.ceiling is None or min(at.upto, at.seen) < at.ceiling:
        return None
    row = d.execute("SELECT r.forced_ms, c.expires_ms FROM rewinds r LEFT JOIN commands c ON c.id = r.command_id "
                    "WHERE r.kid = ? AND r.stream = ? AND r.epoch = ? AND r.resolved_ms IS NULL", key).fetchone()
    if row is None or (row[0] is not None and (row[1] or 0) > now_ms):
        return None
    kid, stream, epoch = key
    new_epoch = command("new_epoch", {"stream": stream, "epoch": epoch, "from_seq": at.ceiling + 1}, now_ms,
                        NEW_EPOCH_TTL_S)
    d.execute("UPDATE rewinds SET command_id = ?, forced_ms = COALESCE(forced_ms, ?) WHERE kid = ? AND stream = ? "
              "AND epoch = ?", (new_epoch.id, now_ms, *key))
    if row[0] is None:
        alert(d, region, kid, EPOCH_FORCED, stream, epoch,
              f"told the kiosk to move its events from seq {at.ceiling + 1} on into a new epoch", now_ms)
    return new_epoch


def birth(d: sqlite_utils.Database, region: str, kid: str, stream: str, announced: protocol.StreamPosition,
          now_ms: int) -> protocol.Command | None:
    """Take a birth's position of one stream: what it announces, `seen` back to what it holds acked, a rewind if
    it announces less than the server holds, and a forced epoch of an earlier rewind seen through."""
    key = (kid, stream, announced.epoch)
    at = position(d, key)
    at.announced, at.seen = announced.last_seq, min(announced.acked_seq, announced.last_seq)
    d.execute("UPDATE streams SET dropped = ?, announced = ?, seen = ? WHERE kid = ? AND stream = ? AND epoch = ?",
              (announced.dropped, at.announced, at.seen, *key))
    d.execute("UPDATE rewinds SET resolved_ms = ?, new_epoch = ? WHERE kid = ? AND stream = ? AND epoch != ? "
              "AND forced_ms IS NOT NULL AND resolved_ms IS NULL", (now_ms, announced.epoch, kid, stream,
                                                                     announced.epoch))
    if announced.last_seq < at.high:
        rewound(d, region, key, "birth", at, announced.last_seq, now_ms)
    return force_if_ready(d, region, key, at, now_ms)


def command(name: str, args: dict, now_ms: int, ttl_s: int) -> protocol.Command:
    """A server-issued command envelope."""
    return protocol.Command(id=new_id(), name=name, args=args, issued=now_ms, expires=now_ms + ttl_s * 1000)


def alert_rows(d: sqlite_utils.Database, limit: int) -> list[dict]:
    """The latest alerts, newest first."""
    return list(d.query("SELECT at_ms, kid, region, kind, stream, epoch, detail FROM alerts "
                        "ORDER BY at_ms DESC, id DESC LIMIT ?", [limit]))
