"""The console's database work: functions that take a connection and run in its transaction (`database.ConsoleDB`).

Why: ingestion must be exactly-once (events keyed on kid, stream, epoch, seq; duplicates ignored) and the ack
must name only what is committed, so the contiguous high-water mark is computed in the same transaction as
the inserts. Telemetry is kept as one `batches` row per seq range no earlier row covered (the batch as sent,
refused content blanked), and counted into `daily_counts` (China day number, kid, region, kind, data) in the
same transaction: the reports read those counts, so ingest does no work per event beyond counting vocab
indexes. Presence orders a stale Will behind a newer birth by the session counter. What a kiosk claims about
its seqs is judged first (`trust`): a forged jump or a replay is kept aside, a rewind closes the epoch.

Several workers may ingest into one PostgreSQL store at once, each with batches of the same kiosk in any order.
A transaction takes the kiosk's row lock (the `kiosks` upsert) before it reads or writes anything of that kiosk,
and takes the kiosks of a run in one order (by kiosk id), so two workers' work on one kiosk is serialised and
never deadlocks: each sees the other's committed positions and stores, acks and judges exactly as one would.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Connection, and_, bindparam, cast, func, or_, select, update

from kiosk.fleet import catalogue, protocol
from kiosk.fleet.console import health, trust
from kiosk.fleet.console.dialect import greatest, insert, least, once
from kiosk.fleet.console.schema import (alerts, batches, commands, daily_counts, desired, jobs, kiosks, quarantine,
                                        rewinds, streams)
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
    """(region, kid, stream, epoch) of streams left with a gap."""
    births: list[tuple[str, str]] = field(default_factory=list)
    commands: list[tuple[str, str, protocol.Command]] = field(default_factory=list)
    pending: dict[tuple[str, str], list[tuple[str, bytes, int]]] = field(default_factory=dict)
    """Per (region, kid) born in this run: every command it has not answered (these included), to send again
    after its birth (§3.1 #7), as `pending_commands` gives them."""
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


def ingest(c: Connection, items: Iterable[tuple[TopicRef, protocol.Message, int]], *,
           replay_tolerance_ms: int = trust.REPLAY_TOLERANCE_MS) -> Outcome:
    """Store a run of decoded messages (topic, message, received ms) in the caller's transaction; kiosk by kiosk,
    each kiosk's messages in their order."""
    outcome = Outcome()
    counts: DayCounts = Counter()
    devices: health.Devices = {}
    ordered = sorted(items, key=lambda item: item[0].kid)
    heard = {ref.kid: (ref.region, received_ms) for ref, _message, received_ms in ordered}
    if heard:
        c.execute(_TOUCH(c), [{"k": kid, "r": region, "t": received_ms}
                              for kid, (region, received_ms) in heard.items()])
    positions = trust.Positions(c)
    born = [(ref.kid, message) for ref, message, _received in ordered if ref.kind is Kind.BIRTH]
    keys = {(ref.kid, message.stream, message.epoch) for ref, message, _received in ordered
            if ref.kind is Kind.TELEMETRY}
    keys |= {(kid, stream, at.epoch) for kid, birth in born for stream, at in birth.streams.items()}
    positions.prefetch(keys, {kid for kid, _birth in born})
    for ref, message, received_ms in ordered:
        if ref.kind is Kind.TELEMETRY:
            _batch(c, positions, ref, message, received_ms, outcome, counts, devices, replay_tolerance_ms)
        elif ref.kind is Kind.STATE:
            _state(c, ref, message, received_ms)
        elif ref.kind is Kind.BIRTH:
            _birth(c, positions, ref, message, received_ms, outcome)
            outcome.births.append((ref.region, ref.kid))
        elif ref.kind is Kind.REPORTED:
            c.execute(update(kiosks).where(kiosks.c.kid == ref.kid).values(
                reported=protocol.encode(message).decode(), applied_version=message.applied_version))
        elif ref.kind is Kind.JOB_STATUS:
            _job_status(c, ref, message, received_ms)
        elif ref.kind is Kind.COMMAND_RESULT:
            c.execute(update(commands).where(
                commands.c.id == message.id, commands.c.kid == ref.kid,
                or_(commands.c.phase.is_(None), commands.c.phase != "final")).values(
                phase=message.phase, code=int(message.code), result=json.dumps(message.result, ensure_ascii=False),
                error=message.error, updated_ms=received_ms))
    positions.flush()
    health.note(c, devices)
    if outcome.births:
        pending = pending_commands(c, [kid for _region, kid in outcome.births],
                                   max(received for _r, _m, received in ordered))
        for region, kid in outcome.births:
            outcome.pending[(region, kid)] = pending.get(kid, [])
    if counts:
        upsert = insert(c, daily_counts)
        c.execute(upsert.on_conflict_do_update(index_elements=list(daily_counts.primary_key),
                                               set_={"n": daily_counts.c.n + upsert.excluded.n}),
                  [dict(zip(("day", "kid", "region", "kind", "data"), key), n=n) for key, n in sorted(counts.items())])
    return outcome


def _touch_statement(insert_for):
    upsert = insert_for(kiosks).values(kid=bindparam("k"), region=bindparam("r"), last_seen_ms=bindparam("t"))
    return upsert.on_conflict_do_update(index_elements=[kiosks.c.kid], set_={
        "region": upsert.excluded.region, "last_seen_ms": upsert.excluded.last_seen_ms})


_TOUCH = once(_touch_statement)
"""Note a kiosk as heard from; the upsert holds its row lock to the end of the transaction. Run for every kiosk
of a run as one executemany in kiosk order, which PostgreSQL (psycopg's pipeline) and SQLite run in that order."""


def _state(c: Connection, ref: TopicRef, state: protocol.State, now_ms: int) -> None:
    """Take the new presence unless it is an older session's Will arriving after a newer birth."""
    online = int(state.online)
    c.execute(update(kiosks).where(kiosks.c.kid == ref.kid, or_(
        kiosks.c.sess < state.sess, and_(kiosks.c.sess == state.sess, kiosks.c.online != online))).values(
        online=online, sess=state.sess, changed_ms=now_ms))


def _birth(c: Connection, positions: trust.Positions, ref: TopicRef, birth: protocol.Birth, now_ms: int,
           outcome: Outcome) -> None:
    c.execute(update(kiosks).where(kiosks.c.kid == ref.kid).values(
        sess=greatest(kiosks.c.sess, birth.sess), boot=birth.boot, sw=birth.sw,
        birth=protocol.encode(birth).decode(), applied_version=birth.desired_version,
        clock_offset_ms=birth.clk.offset_ms))
    for stream, position in birth.streams.items():
        _send(c, ref, trust.birth(c, positions, ref.region, ref.kid, stream, position, birth.boot, now_ms), outcome)


def _send(c: Connection, ref: TopicRef, command: protocol.Command | None, outcome: Outcome) -> None:
    """Record a command the server issues and owe it to the kiosk."""
    if command is not None:
        add_command(c, ref.region, ref.kid, command)
        outcome.commands.append((ref.region, ref.kid, command))


def _batch(c: Connection, positions: trust.Positions, ref: TopicRef, batch: protocol.Batch, received_ms: int,
           outcome: Outcome, counts: DayCounts, devices: health.Devices, replay_tolerance_ms: int) -> None:
    """Judge the batch's claims (`trust`), then store the seqs of it no earlier one covered, one row per uncovered
    range, and advance the contiguous high-water mark `upto`; the ack names no more than `trust` allows."""
    key = (ref.kid, batch.stream, batch.epoch)
    at = positions.get(key)
    verdicts = [_verdict(batch.stream, kind, data) for kind, data in batch.vocab]
    suspect = trust.suspicion(batch, at, replay_tolerance_ms)
    if suspect is not None:
        outcome.quarantined += 1
        _send(c, ref, trust.quarantine(c, ref.region, ref.kid, batch, *suspect, _kept_payload(batch, verdicts),
                                       received_ms), outcome)
        return
    last = batch.last if at.ceiling is None else min(batch.last, at.ceiling)
    held = trust.held_rows(positions, key, batch, last, at.high)
    collision = trust.first_collision(held, batch, last)
    if collision is not None:
        trust.rewound(c, ref.region, key, "collision", at, collision - 1, received_ms)
        last = collision - 1
    at.upto = max(at.upto, min(batch.base - 1, last))
    ranges = _uncovered(held, batch.q, last)
    refused = 0
    offset = batch.clk.offset_ms or 0
    newest = None
    if ranges:
        payload = _kept_payload(batch, verdicts)
        positions.store(key, [
            {"kid": ref.kid, "stream": batch.stream, "epoch": batch.epoch, "first": first, "last": end,
             "region": ref.region, "q": batch.q, "offset_ms": offset, "received_ms": received_ms, "payload": payload}
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
        if batch.stream == "hw":
            health.merge(devices, ref.kid, health.latest(batch, verdicts, ranges, offset))
    if last >= batch.q:
        at.seen = max(at.seen, last)
    at.high = max(at.high, last, at.upto)
    if at.high > at.upto:
        at.upto = _contiguous(positions, key, at.upto)
    positions.moved(key, refused, newest)
    acks = outcome.acks.setdefault((ref.region, ref.kid), {})
    earlier = acks.get(batch.stream)
    if earlier is None or earlier[0] != batch.epoch or earlier[1] < at.ack:
        acks[batch.stream] = (batch.epoch, at.ack)
    if at.gap:
        outcome.gaps.append((ref.region, ref.kid, batch.stream, batch.epoch))
    _send(c, ref, trust.force_if_ready(c, positions, ref.region, key, at, received_ms), outcome)


def _uncovered(held: list[tuple], first: int, last: int) -> list[tuple[int, int]]:
    """The sub-ranges of seqs `first`…`last` that none of the `held` rows (`trust.held_rows`, in seq order) covers,
    in order."""
    ranges = []
    cursor = first
    for low, high_seq, *_rest in held:
        if low > last:
            break
        if low > cursor:
            ranges.append((cursor, low - 1))
        cursor = max(cursor, high_seq + 1)
    if cursor <= last:
        ranges.append((cursor, last))
    return ranges


def _contiguous(positions: trust.Positions, key: trust.Key, upto: int) -> int:
    """`upto` moved over the stored rows that follow it without a gap."""
    for first, last in positions.settled(key).execute(select(batches.c.first, batches.c.last).where(
            *trust.batch_is(key), batches.c.first > upto).order_by(batches.c.first)):
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


def _job_status(c: Connection, ref: TopicRef, status: protocol.JobStatus, now_ms: int) -> None:
    """Take a kiosk's job state for the execution it names; a report on an older execution is ignored."""
    progress = status.progress
    c.execute(update(jobs).where(jobs.c.id == status.job, jobs.c.kid == ref.kid,
                                 jobs.c.exec_ver == status.exec_ver).values(
        status=status.status, progress_cnt=func.coalesce(progress and progress.cnt, jobs.c.progress_cnt),
        progress_of=func.coalesce(progress and progress.of, jobs.c.progress_of), error=status.error,
        updated_ms=now_ms))


def next_job(c: Connection, region: str, kid: str, job_id: str, document: dict, now_ms: int) -> protocol.Job:
    """Store job `job_id` for `kid` under its next execution version and return the document to publish."""
    row = c.execute(select(jobs.c.exec_ver).where(jobs.c.id == job_id, jobs.c.kid == kid)).first()
    job = protocol.Job(job=job_id, exec_ver=(row[0] if row else 0) + 1, **document)
    values = {"id": job_id, "kid": kid, "region": region, "exec_ver": job.exec_ver,
              "document": protocol.encode(job).decode(), "issued_ms": now_ms, "status": "QUEUED",
              "progress_cnt": None, "progress_of": None, "error": None, "updated_ms": now_ms}
    upsert = insert(c, jobs).values(values)
    c.execute(upsert.on_conflict_do_update(index_elements=[jobs.c.id, jobs.c.kid], set_=values))
    return job


def _one(c: Connection, statement) -> dict | None:
    row = c.execute(statement).mappings().first()
    return dict(row) if row is not None else None


def job_row(c: Connection, job_id: str, kid: str) -> dict | None:
    return _one(c, select(jobs).where(jobs.c.id == job_id, jobs.c.kid == kid))


def pending_commands(c: Connection, kids: list[str], now_ms: int) -> dict[str, list[tuple[str, bytes, int]]]:
    """Per kiosk of `kids`, its commands not yet answered and not expired: (id, envelope, seconds left), to resend
    after birth; one statement for a few hundred kiosks."""
    pending: dict[str, list[tuple[str, bytes, int]]] = {}
    ordered = sorted(set(kids))
    for start in range(0, len(ordered), trust.PREFETCH_KIOSKS):
        for kid, cid, name, args, issued, expires in c.execute(_PENDING, {
                "kids": ordered[start:start + trust.PREFETCH_KIOSKS], "now": now_ms}):
            envelope = protocol.encode(protocol.Command(id=cid, name=name, args=json.loads(args), issued=issued,
                                                        expires=expires))
            pending.setdefault(kid, []).append((cid, envelope, max(1, (expires - now_ms) // 1000)))
    return pending


_PENDING = select(commands.c.kid, commands.c.id, commands.c.name, commands.c.args, commands.c.issued_ms,
                  commands.c.expires_ms).where(
    commands.c.kid.in_(bindparam("kids", expanding=True)), commands.c.phase.is_(None),
    commands.c.expires_ms > bindparam("now", type_=BigInteger)).order_by(commands.c.kid, commands.c.issued_ms)


def add_command(c: Connection, region: str, kid: str, command: protocol.Command) -> None:
    c.execute(commands.insert().values(
        id=command.id, kid=kid, region=region, name=command.name, args=json.dumps(command.args, ensure_ascii=False),
        issued_ms=command.issued, expires_ms=command.expires, updated_ms=command.issued))


def command_row(c: Connection, command_id: str) -> dict | None:
    return _one(c, select(commands).where(commands.c.id == command_id))


def next_desired(c: Connection, region: str, kid: str, config: dict, now_ms: int) -> protocol.Desired:
    """Store a new desired overlay for `kid` under the next version and return the document to publish."""
    row = c.execute(select(desired.c.version).where(desired.c.kid == kid)).first()
    document = protocol.Desired(version=(row[0] if row else 0) + 1, config=config)
    values = {"kid": kid, "region": region, "version": document.version,
              "config": json.dumps(config, ensure_ascii=False), "updated_ms": now_ms}
    upsert = insert(c, desired).values(values)
    c.execute(upsert.on_conflict_do_update(index_elements=[desired.c.kid], set_=values))
    return document


def region_of(c: Connection, kid: str) -> str | None:
    """The region a kiosk announced itself in; None if it never did."""
    return c.execute(select(kiosks.c.region).where(kiosks.c.kid == kid)).scalar()


def kiosk_rows(c: Connection) -> list[dict]:
    """Every kiosk with presence, versions, outbox figures summed over its streams, and what `trust` found:
    batches quarantined, rewinds, epochs forced, alerts."""
    k = kiosks.c

    def total(expression, table, *where):
        return select(cast(func.coalesce(func.sum(expression), 0), BigInteger)).where(
            table.c.kid == k.kid, *where).scalar_subquery()

    def count(table, *where):
        return select(func.count()).select_from(table).where(table.c.kid == k.kid, *where).scalar_subquery()

    s = streams.c
    statement = select(
        k.kid, k.region, k.online, k.sess, k.changed_ms, k.last_seen_ms, k.sw, k.applied_version,
        k.clock_offset_ms,
        select(desired.c.version).where(desired.c.kid == k.kid).scalar_subquery().label("desired_version"),
        total(greatest(0, least(s.high, func.coalesce(s.ceiling, s.high)) - s.upto), streams).label("gap"),
        total(s.dropped, streams).label("dropped"),
        total(batches.c.last - batches.c.first + 1, batches).label("events"),
        count(quarantine).label("quarantined"), count(rewinds).label("rewinds"),
        count(rewinds, rewinds.c.forced_ms.is_not(None)).label("forced_epochs"),
        count(alerts).label("alerts"),
    ).order_by(k.region, k.kid)
    return [dict(row) for row in c.execute(statement).mappings()]


def resend_request(c: Connection, region: str, kid: str, stream: str, epoch: int, now_ms: int, every_ms: int,
                   ttl_s: int) -> tuple[bool, protocol.Command | None]:
    """Whether the stream still has a gap, and the `resend` command for it (recorded), unless any worker asked
    within `every_ms`: the claim is one conditional update, so workers that find the gap together ask once."""
    s = streams.c
    key = (kid, stream, epoch)
    if c.execute(select(s.upto).where(*trust.stream_is(key), least(s.high, func.coalesce(s.ceiling, s.high)) > s.upto)
                 ).first() is None:
        return False, None
    upto = c.execute(update(streams).where(*trust.stream_is(key), or_(s.resend_ms.is_(None),
                                                                      s.resend_ms <= now_ms - every_ms))
                     .values(resend_ms=now_ms).returning(s.upto)).scalar()
    if upto is None:
        return True, None
    command = trust.command("resend", {"stream": stream, "from_seq": upto + 1}, now_ms, ttl_s)
    add_command(c, region, kid, command)
    return True, command
