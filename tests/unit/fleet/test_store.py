"""The console stores each seq of a stream once, however batches overlap, repeat or arrive out of order (SQLite and
PostgreSQL); its migrations carry a store of an earlier release forward."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, delete

from kiosk.core.clock import CHINA_TZ
from kiosk.fleet import protocol
from kiosk.fleet.console import report, schema, store
from kiosk.fleet.console.database import ConsoleDB, alembic_config, migrate
from kiosk.fleet.console.server import open_store
from tests.postgres import query

KID, REGION, EPOCH = "k-0001", "r320102", 7
REF = protocol.parse_topic(protocol.Topics(REGION, KID).tel("ui"))
MIDNIGHT_MS = int(datetime(2026, 10, 2, tzinfo=CHINA_TZ).timestamp() * 1000)
DAY_MS = 86_400_000
CONTENTS = [("ui.tap", '{"screen":"home","control":"c1"}'), ("ui.view", '{"screen":"home"}'),
            ("ui.tap", '{"screen":"home","control":"ok","name":"x"}')]
"""What the events say, by seq modulo 3; the last one is refused by the catalogue (a free-text field)."""
MAX_SEQ = 40


def _event(seq: int) -> tuple[int, int, int, str, str]:
    """Seq `seq`'s event: one a minute, crossing China midnight at seq 20."""
    return (seq, MIDNIGHT_MS + (seq - 20) * 60_000, seq, *CONTENTS[seq % 3])


def _stored(seq: int) -> tuple[str, str]:
    kind, data = CONTENTS[seq % 3]
    return ("_refused", "{}") if seq % 3 == 2 else (kind, data)


def _batch(first: int, last: int) -> protocol.Batch:
    payload = protocol.encode_batch("ui", EPOCH, 1, "boot-1", [_event(q) for q in range(first, last + 1)],
                                    protocol.ClockState())
    return protocol.decode(protocol.Kind.TELEMETRY, payload)


ranges = st.tuples(st.integers(1, MAX_SEQ), st.integers(1, 12)).map(
    lambda r: (r[0], min(MAX_SEQ, r[0] + r[1] - 1)))


@pytest.fixture
def console(console_target):
    db = open_store(console_target)
    db.start()
    yield db
    db.stop()


def _emptied(c) -> None:
    for table in (schema.batches, schema.daily_counts, schema.streams, schema.kiosks):
        c.execute(delete(table))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=st.lists(st.lists(ranges, min_size=1, max_size=4), min_size=1, max_size=6))
def test_overlapping_repeated_and_reordered_batches_are_stored_and_counted_once(console, runs):
    """GIVEN runs of batches whose seq ranges overlap, repeat and arrive in any order
    WHEN each run is ingested in one transaction
    THEN every seq sent is stored once with its content, the ack names the contiguous prefix, and the per-day
    counts add up to the stored events."""
    covered = {q for run in runs for first, last in run for q in range(first, last + 1)}
    contiguous = next(n for n in range(MAX_SEQ + 1) if n + 1 not in covered)
    console.call(_emptied)
    outcomes = [console.call(lambda c, r=run: store.ingest(c, [(REF, _batch(*b), 0) for b in r])) for run in runs]
    events = console.call(lambda c: query(c, "SELECT seq, kind, data, t_wall, t_mono, boot FROM events ORDER BY seq"))
    counts = console.call(lambda c: query(c, "SELECT day, kind, data, n FROM daily_counts"))
    [(upto, high, refused)] = console.call(lambda c: query(c, "SELECT upto, high, refused FROM streams WHERE kid = ?",
                                                           KID))
    assert [e[0] for e in events] == sorted(covered)
    assert [(seq, kind, json.loads(data), *rest) for seq, kind, data, *rest in events] == [
        (q, _stored(q)[0], json.loads(_stored(q)[1]), _event(q)[1], q, "boot-1") for q in sorted(covered)]
    assert sum(o.stored for o in outcomes) == len(covered)
    assert outcomes[-1].acks == {(REGION, KID): {"ui": (EPOCH, contiguous)}}
    assert (upto, high, refused) == (contiguous, max(covered), sum(q % 3 == 2 for q in covered))
    expected: dict[tuple, int] = {}
    for q in covered:
        key = ((_event(q)[1] + 8 * 3_600_000) // DAY_MS, *_stored(q))
        expected[key] = expected.get(key, 0) + 1
    assert {(day, kind, data): n for day, kind, data, n in counts} == expected


def test_a_batch_across_china_midnight_counts_each_day_on_its_own(console):
    """GIVEN one batch of taps from 23:41 to 00:20 China time WHEN ingested THEN each day's report has its own."""
    console.call(lambda c: store.ingest(c, [(REF, _batch(1, 40), 0)]))
    taps = [console.call(lambda c, day=day: report.build(c, day, day, "kiosk")).rows[0][1]
            for day in (date(2026, 10, 1), date(2026, 10, 2))]
    assert taps == [sum(q % 3 == 0 for q in range(1, 20)), sum(q % 3 == 0 for q in range(20, 41))]


def test_events_stored_one_per_row_by_an_earlier_release_are_carried_over(tmp_path):
    """GIVEN a SQLite console store of an earlier release (its own numbered migrations 1-2, per-event rows)
    WHEN opened THEN Alembic takes it from there: the events view and the daily counts hold the same events."""
    path = tmp_path / "c.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as c:
        migrate(c, "0002")
    engine.dispose()
    rows = [(KID, "ui", EPOCH, q, REGION, *CONTENTS[q % 2], _event(q)[1] + 5, _event(q)[1], q, "boot-1",
             CONTENTS[q % 2][1]) for q in range(1, 31)]
    old = sqlite3.connect(path)
    old.execute("DROP TABLE alembic_version")
    old.execute("CREATE TABLE _migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    old.executemany("INSERT INTO _migrations VALUES (?, ?, '2026-10-01')", [(1, "m0001_init"), (2, "m0002_jobs")])
    old.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(k, s, e, q, r, kind, t_ms, t_wall, t_mono, boot, data)
                     for k, s, e, q, r, kind, _data, t_ms, t_wall, t_mono, boot, data in rows])
    old.commit()
    old.close()
    db = ConsoleDB(path)
    db.start()
    try:
        events = db.call(lambda c: query(c, "SELECT kid, stream, epoch, seq, region, kind, t_ms, t_wall, t_mono, "
                                            "boot, data FROM events ORDER BY seq"))
        [(counted,)] = db.call(lambda c: query(c, "SELECT SUM(n) FROM daily_counts WHERE kind = 'ui.view'"))
        [(payload,)] = db.call(lambda c: query(c, "SELECT payload FROM batches WHERE first = 1"))
        [(version,)] = db.call(lambda c: query(c, "SELECT version_num FROM alembic_version"))
    finally:
        db.stop()
    assert events == [(k, s, e, q, r, kind, t_ms, t_wall, t_mono, boot, data)
                      for k, s, e, q, r, kind, _data, t_ms, t_wall, t_mono, boot, data in rows]
    assert counted == 15 and json.loads(payload)["q"] == 1 and version == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_largest_values_the_protocol_admits_fit_the_store(console):
    """GIVEN a birth, a batch, a report and a job status carrying the largest integers the protocol admits
    WHEN ingested together THEN they are stored (one that did not fit would fail, and stall, its whole run)."""
    top, clock = 2**63 - 1, protocol.ClockState(synced=True, offset_ms=2**53 - 1, rtt_ms=2**53 - 1)
    position = protocol.StreamPosition(epoch=top, last_seq=top, acked_seq=top, backlog=top, dropped=top)
    batch = protocol.encode_batch("ui", top, top, "b", [(top, 2**53 - 1, 2**53 - 1, "ui.view", '{"screen":"x"}')],
                                  clock)
    topics = protocol.Topics(REGION, KID)
    items = [(protocol.parse_topic(topics.up("birth")),
              protocol.Birth(sess=top, boot="b", sw="t", minors=[1, 2], desired_version=top,
                             streams={"ui": position}, clk=clock), 0),
             (REF, protocol.decode(protocol.Kind.TELEMETRY, batch), 0),
             (protocol.parse_topic(topics.up("reported")),
              protocol.Reported(applied_version=top, desired_version=top, status="applied"), 0),
             (protocol.parse_topic(topics.up("job")),
              protocol.JobStatus(job="j1", exec_ver=top, status="DOWNLOADING",
                                 progress=protocol.Progress(cnt=top, of=top)), 0)]
    assert console.call(lambda c: store.ingest(c, items)).stored == 1
    too_large = json.loads(protocol.encode(items[0][1]))
    too_large["streams"]["ui"]["dropped"] = 2**63
    with pytest.raises(protocol.Rejected):
        protocol.decode(protocol.Kind.BIRTH, json.dumps(too_large).encode())
    with pytest.raises(protocol.Rejected):
        protocol.decode(protocol.Kind.TELEMETRY,
                        batch.replace(b'"offset_ms":%d' % (2**53 - 1), b'"offset_ms":%d' % 2**60))
