"""The console's database work: functions run on the store's owner thread, one transaction per call.

Why: ingestion must be exactly-once (events keyed on kid, stream, epoch, seq; duplicates ignored) and the ack
must name only what is committed, so the contiguous high-water mark is computed in the same transaction as
the inserts. Telemetry is kept as one `batches` row per seq range no earlier row covered (the batch as sent,
refused content blanked), and counted into `daily_counts` (China day number, kid, region, kind, data) in the
same transaction: the reports read those counts, so ingest does no work per event beyond counting vocab
indexes. Presence orders a stale Will behind a newer birth by the session counter. What a kiosk claims about
its seqs is judged first (`trust`): a forged jump or a replay is kept aside, a rewind closes the epoch.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlite_utils

from kiosk.fleet import catalogue, protocol
from kiosk.fleet.console import trust
from kiosk.fleet.protocol import Kind, TopicRef

REFUSED_KIND = "_refused"
"""Kind stored for an event the catalogue refuses: its seq still counts, its content is never kept."""

DAY_MS = 86_400_000
CHINA_OFFSET_MS = 8 * 3_600_000
"""China Standard Time is UTC+8 all year: the bureau's days begin at 16:00 UTC."""


@dataclass(slots=True)
class Outcome:
    """What a transaction committed and owes the kiosks: acks, gaps to repair, kiosks that were born, commands
    to send (recorded in the same transaction)."""

    acks: dict[tuple[str, str], dict[str, tuple[int, int]]] = field(default_factory=dict)
    gaps: list[tuple[str, str, str, int]] = field(default_factory=list)
    births: list[tuple[str, str]] = field(default_factory=list)
    commands: list[tuple[str, str, protocol.Command]] = field(default_factory=list)
    stored: int = 0
    """Events newly stored (duplicates not counted)."""
    quarantined: int = 0
    """Batches kept aside by `trust`."""


DayCounts = Counter[tuple[int, str, str, str, str]]
"""Events per (China day number, kid, region, kind, data JSON), added to `daily_counts` at commit."""


_VERDICTS: dict[tuple, tuple[str, str]] = {}
"""(stream, kind, fields with their types) → (kind to store, data JSON): batches of one kiosk repeat their
vocabulary, so each distinct event content is checked and serialised once, not once per batch."""
VERDICTS_KEPT = 100_000


def _verdict(stream: str, kind: str, data: dict) -> tuple[str, str]:
    """The kind and data JSON to store for one distinct event; the refused kind and no content if the catalogue
    says no."""
    key = (stream, kind, tuple(data.items()), tuple(map(type, data.values())))
    verdict = _VERDICTS.get(key)
    if verdict is None:
        try:
            catalogue.check(stream, kind, data)
        except catalogue.UnknownEvent:
            verdict = (REFUSED_KIND, "{}")
        else:
            verdict = (kind, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        if len(_VERDICTS) >= VERDICTS_KEPT:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


def ingest(d: sqlite_utils.Database, items: Iterable[tuple[TopicRef, protocol.Message, int]], *,
           replay_tolerance_ms: int = trust.REPLAY_TOLERANCE_MS) -> Outcome:
    """Store a run of decoded messages (topic, message, received ms) in one transaction."""
    outcome = Outcome()
    counts: DayCounts = Counter()
    for ref, message, received_ms in items:
        _touch(d, ref, received_ms)
        if ref.kind is Kind.TELEMETRY:
            _batch(d, ref, message, received_ms, outcome, counts, replay_tolerance_ms)
        elif ref.kind is Kind.STATE:
            _state(d, ref, message, received_ms)
        elif ref.kind is Kind.BIRTH:
            _birth(d, ref, message, received_ms, outcome)
            outcome.births.append((ref.region, ref.kid))
        elif ref.kind is Kind.REPORTED:
            d.execute("UPDATE kiosks SET reported = ?, applied_version = ? WHERE kid = ?",
                      (protocol.encode(message).decode(), message.applied_version, ref.kid))
        elif ref.kind is Kind.JOB_STATUS:
            _job_status(d, ref, message, received_ms)
        elif ref.kind is Kind.COMMAND_RESULT:
            d.execute("UPDATE commands SET phase = ?, code = ?, result = ?, error = ?, updated_ms = ? "
                      "WHERE id = ? AND kid = ? AND (phase IS NULL OR phase != 'final')",
                      (message.phase, int(message.code), json.dumps(message.result, ensure_ascii=False),
                       message.error, received_ms, message.id, ref.kid))
    d.conn.executemany("INSERT INTO daily_counts VALUES (?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT DO UPDATE SET n = n + excluded.n",
                       [(*key, n) for key, n in counts.items()])
    return outcome


def _touch(d: sqlite_utils.Database, ref: TopicRef, now_ms: int) -> None:
    d.execute("INSERT INTO kiosks (kid, region, last_seen_ms) VALUES (?, ?, ?) ON CONFLICT(kid) DO UPDATE SET "
              "region = excluded.region, last_seen_ms = excluded.last_seen_ms", (ref.kid, ref.region, now_ms))


def _state(d: sqlite_utils.Database, ref: TopicRef, state: protocol.State, now_ms: int) -> None:
    """Take the new presence unless it is an older session's Will arriving after a newer birth."""
    d.execute("UPDATE kiosks SET online = ?, sess = ?, changed_ms = ? WHERE kid = ? AND "
              "(sess < ? OR (sess = ? AND online != ?))",
              (int(state.online), state.sess, now_ms, ref.kid, state.sess, state.sess, int(state.online)))


def _birth(d: sqlite_utils.Database, ref: TopicRef, birth: protocol.Birth, now_ms: int, outcome: Outcome) -> None:
    d.execute("UPDATE kiosks SET sess = MAX(sess, ?), boot = ?, sw = ?, birth = ?, applied_version = ?, "
              "clock_offset_ms = ? WHERE kid = ?",
              (birth.sess, birth.boot, birth.sw, protocol.encode(birth).decode(), birth.desired_version,
               birth.clk.offset_ms, ref.kid))
    for stream, position in birth.streams.items():
        _send(d, ref, trust.birth(d, ref.region, ref.kid, stream, position, now_ms), outcome)


def _send(d: sqlite_utils.Database, ref: TopicRef, command: protocol.Command | None, outcome: Outcome) -> None:
    """Record a command the server issues and owe it to the kiosk."""
    if command is not None:
        add_command(d, ref.region, ref.kid, command)
        outcome.commands.append((ref.region, ref.kid, command))


def _batch(d: sqlite_utils.Database, ref: TopicRef, batch: protocol.Batch, received_ms: int, outcome: Outcome,
           counts: DayCounts, replay_tolerance_ms: int) -> None:
    """Judge the batch's claims (`trust`), then store the seqs of it no earlier one covered, one row per uncovered
    range, and advance the contiguous high-water mark `upto`; the ack names no more than `trust` allows."""
    key = (ref.kid, batch.stream, batch.epoch)
    at = trust.position(d, key)
    verdicts = [_verdict(batch.stream, kind, data) for kind, data in batch.vocab]
    suspect = trust.suspicion(batch, at, replay_tolerance_ms)
    if suspect is not None:
        outcome.quarantined += 1
        _send(d, ref, trust.quarantine(d, ref.region, ref.kid, batch, *suspect, _kept_payload(batch, verdicts),
                                       received_ms), outcome)
        return
    last = batch.last if at.ceiling is None else min(batch.last, at.ceiling)
    collision = trust.first_collision(d, key, batch, last, at.high)
    if collision is not None:
        trust.rewound(d, ref.region, key, "collision", at, collision - 1, received_ms)
        last = collision - 1
    at.upto = max(at.upto, min(batch.base - 1, last))
    ranges = _uncovered(d, key, batch.q, last, at.high)
    refused = 0
    offset = batch.clk.offset_ms or 0
    newest = None
    if ranges:
        payload = _kept_payload(batch, verdicts)
        d.conn.executemany("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(*key, first, end, ref.region, batch.q, offset, received_ms, payload)
                            for first, end in ranges])
        for first, end in ranges:
            start, stop = first - batch.q, end - batch.q + 1
            for (day, index), n in _by_day(batch.t[start:stop], batch.x[start:stop], offset).items():
                kind, data = verdicts[index]
                counts[(day, ref.kid, ref.region, kind, data)] += n
                if kind == REFUSED_KIND:
                    refused += n
            outcome.stored += end - first + 1
            if first == at.upto + 1:
                at.upto = end
        newest = min(max(batch.t) + offset, received_ms)
    if last >= batch.q:
        at.seen = max(at.seen, last)
    at.high = max(at.high, last, at.upto)
    if at.high > at.upto:
        at.upto = _contiguous(d, key, at.upto)
    d.execute("UPDATE streams SET upto = ?, high = ?, seen = ?, refused = refused + ?, t_max_ms = "
              "MAX(COALESCE(t_max_ms, ?), COALESCE(?, t_max_ms)) WHERE kid = ? AND stream = ? AND epoch = ?",
              (at.upto, at.high, at.seen, refused, newest, newest, *key))
    acks = outcome.acks.setdefault((ref.region, ref.kid), {})
    earlier = acks.get(batch.stream)
    if earlier is None or earlier[0] != batch.epoch or earlier[1] < at.ack:
        acks[batch.stream] = (batch.epoch, at.ack)
    if at.gap:
        outcome.gaps.append((ref.region, ref.kid, batch.stream, at.upto + 1))
    _send(d, ref, trust.force_if_ready(d, ref.region, key, at, received_ms), outcome)


def _uncovered(d: sqlite_utils.Database, key: tuple[str, str, int], first: int, last: int,
               high: int) -> list[tuple[int, int]]:
    """The sub-ranges of seqs `first`…`last` that no stored batch row covers, in order."""
    if first > last:
        return []
    if first > high:
        return [(first, last)]
    rows = d.execute("SELECT first, last FROM batches WHERE kid = ?1 AND stream = ?2 AND epoch = ?3 AND first <= ?5 "
                     "AND first >= COALESCE((SELECT MAX(first) FROM batches WHERE kid = ?1 AND stream = ?2 "
                     "AND epoch = ?3 AND first <= ?4), ?4) ORDER BY first", (*key, first, last))
    ranges = []
    cursor = first
    for low, high_seq in rows:
        if low > cursor:
            ranges.append((cursor, low - 1))
        cursor = max(cursor, high_seq + 1)
    if cursor <= last:
        ranges.append((cursor, last))
    return ranges


def _contiguous(d: sqlite_utils.Database, key: tuple[str, str, int], upto: int) -> int:
    """`upto` moved over the stored rows that follow it without a gap."""
    for first, last in d.execute("SELECT first, last FROM batches WHERE kid = ? AND stream = ? AND epoch = ? "
                                 "AND first > ? ORDER BY first", (*key, upto)):
        if first != upto + 1:
            break
        upto = last
    return upto


def _kept_payload(batch: protocol.Batch, verdicts: list[tuple[str, str]]) -> str:
    """The batch as stored: refused vocab entries lose their content."""
    vocab = [entry if kind != REFUSED_KIND else (kind, {}) for entry, (kind, _data) in zip(batch.vocab, verdicts)]
    return protocol.encode(batch.model_copy(update={"vocab": vocab})).decode()


def _by_day(t: list[int], x: list[int], offset_ms: int) -> Counter[tuple[int, int]]:
    """Events per (China day number of the corrected wall time, vocab index); one count when all share a day."""
    shift = offset_ms + CHINA_OFFSET_MS
    first_day, last_day = (min(t) + shift) // DAY_MS, (max(t) + shift) // DAY_MS
    if first_day == last_day:
        return Counter({(first_day, index): n for index, n in Counter(x).items()})
    return Counter(zip([(wall + shift) // DAY_MS for wall in t], x))


def _job_status(d: sqlite_utils.Database, ref: TopicRef, status: protocol.JobStatus, now_ms: int) -> None:
    """Take a kiosk's job state for the execution it names; a report on an older execution is ignored."""
    progress = status.progress
    d.execute("UPDATE jobs SET status = ?, progress_cnt = COALESCE(?, progress_cnt), "
              "progress_of = COALESCE(?, progress_of), error = ?, updated_ms = ? "
              "WHERE id = ? AND kid = ? AND exec_ver = ?",
              (status.status, progress and progress.cnt, progress and progress.of, status.error, now_ms,
               status.job, ref.kid, status.exec_ver))


def next_job(d: sqlite_utils.Database, region: str, kid: str, job_id: str, document: dict,
             now_ms: int) -> protocol.Job:
    """Store job `job_id` for `kid` under its next execution version and return the document to publish."""
    row = d.execute("SELECT exec_ver FROM jobs WHERE id = ? AND kid = ?", (job_id, kid)).fetchone()
    job = protocol.Job(job=job_id, exec_ver=(row[0] if row else 0) + 1, **document)
    d.execute("INSERT OR REPLACE INTO jobs (id, kid, region, exec_ver, document, issued_ms, updated_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)",
              (job_id, kid, region, job.exec_ver, protocol.encode(job).decode(), now_ms, now_ms))
    return job


def job_row(d: sqlite_utils.Database, job_id: str, kid: str) -> dict | None:
    rows = list(d.query("SELECT * FROM jobs WHERE id = ? AND kid = ?", [job_id, kid]))
    return rows[0] if rows else None


def pending_commands(d: sqlite_utils.Database, kid: str, now_ms: int) -> list[tuple[str, bytes, int]]:
    """Commands for `kid` not yet answered and not expired: (id, envelope, seconds left), to resend after birth."""
    rows = d.execute("SELECT id, name, args, issued_ms, expires_ms FROM commands WHERE kid = ? AND phase IS NULL "
                     "AND expires_ms > ? ORDER BY issued_ms", (kid, now_ms)).fetchall()
    return [(cid, protocol.encode(protocol.Command(id=cid, name=name, args=json.loads(args), issued=issued,
                                                   expires=expires)), max(1, (expires - now_ms) // 1000))
            for cid, name, args, issued, expires in rows]


def add_command(d: sqlite_utils.Database, region: str, kid: str, command: protocol.Command) -> None:
    d.execute("INSERT INTO commands (id, kid, region, name, args, issued_ms, expires_ms, updated_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              (command.id, kid, region, command.name, json.dumps(command.args, ensure_ascii=False),
               command.issued, command.expires, command.issued))


def command_row(d: sqlite_utils.Database, command_id: str) -> dict | None:
    rows = list(d.query("SELECT * FROM commands WHERE id = ?", [command_id]))
    return rows[0] if rows else None


def next_desired(d: sqlite_utils.Database, region: str, kid: str, config: dict, now_ms: int) -> protocol.Desired:
    """Store a new desired overlay for `kid` under the next version and return the document to publish."""
    row = d.execute("SELECT version FROM desired WHERE kid = ?", (kid,)).fetchone()
    desired = protocol.Desired(version=(row[0] if row else 0) + 1, config=config)
    d.execute("INSERT OR REPLACE INTO desired VALUES (?, ?, ?, ?, ?)",
              (kid, region, desired.version, json.dumps(config, ensure_ascii=False), now_ms))
    return desired


def kiosk_rows(d: sqlite_utils.Database) -> list[dict]:
    """Every kiosk with presence, versions, outbox figures summed over its streams, and what `trust` found:
    batches quarantined, rewinds, epochs forced, alerts."""
    return list(d.query(
        "SELECT k.kid, k.region, k.online, k.sess, k.changed_ms, k.last_seen_ms, k.sw, k.applied_version, "
        "k.clock_offset_ms, (SELECT version FROM desired WHERE desired.kid = k.kid) AS desired_version, "
        "(SELECT COALESCE(SUM(MAX(0, MIN(high, COALESCE(ceiling, high)) - upto)), 0) FROM streams s "
        "WHERE s.kid = k.kid) AS gap, "
        "(SELECT COALESCE(SUM(dropped), 0) FROM streams s WHERE s.kid = k.kid) AS dropped, "
        "(SELECT COALESCE(SUM(last - first + 1), 0) FROM batches b WHERE b.kid = k.kid) AS events, "
        "(SELECT COUNT(*) FROM quarantine q WHERE q.kid = k.kid) AS quarantined, "
        "(SELECT COUNT(*) FROM rewinds r WHERE r.kid = k.kid) AS rewinds, "
        "(SELECT COUNT(*) FROM rewinds r WHERE r.kid = k.kid AND r.forced_ms IS NOT NULL) AS forced_epochs, "
        "(SELECT COUNT(*) FROM alerts a WHERE a.kid = k.kid) AS alerts "
        "FROM kiosks k ORDER BY k.region, k.kid"))
