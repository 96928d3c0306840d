"""Three workers ingest one fleet's messages into one store at once, each message at a random worker in a random
order, duplicates and late births included: every seq is stored once, marks end at the last seq, and the
sequence-trust rules find nothing against honest kiosks (PostgreSQL row locks; SQLite's single writer)."""

from __future__ import annotations

import random
import threading

from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.server import open_store
from tests.postgres import query

KIOSKS = [f"k-{n:04d}" for n in range(1, 11)]
REGION = "r320102"
LAST, PER_BATCH, RUN = 200, 10, 5
T0_MS = 1_790_000_000_000


def _messages(kid: str, rng: random.Random) -> list[tuple]:
    """A kiosk's births (at start, and mid-way announcing 100 with 50 acked) and batches of 10 taps, some twice."""
    topics = protocol.Topics(REGION, kid)

    def birth(last: int, acked: int):
        position = protocol.StreamPosition(epoch=1, last_seq=last, acked_seq=acked, backlog=last - acked, dropped=0)
        return (protocol.parse_topic(topics.up("birth")),
                protocol.Birth(sess=1 + (last > 0), boot="boot-1", sw="t", minors=[1, 2], desired_version=0,
                               streams={"ui": position}, clk=protocol.ClockState()), T0_MS)

    def batch(first: int):
        events = [(q, T0_MS + q * 1000, q * 1000, "ui.tap", '{"screen":"home","control":"c1"}')
                  for q in range(first, first + PER_BATCH)]
        payload = protocol.encode_batch("ui", 1, 1, "boot-1", events, protocol.ClockState())
        return protocol.parse_topic(topics.tel("ui")), protocol.decode(protocol.Kind.TELEMETRY, payload), T0_MS

    batches = [batch(first) for first in range(1, LAST + 1, PER_BATCH)]
    return [birth(0, 0), birth(LAST // 2, LAST // 4), *batches, *rng.sample(batches, len(batches) // 3)]


def test_three_concurrent_workers_store_each_seq_once(console_target):
    rng = random.Random(16)
    messages = [m for kid in KIOSKS for m in _messages(kid, rng)]
    rng.shuffle(messages)
    shares = [messages[n::3] for n in range(3)]
    workers = [open_store(console_target) for _ in shares]
    for db in workers:
        db.start()
    errors: list[BaseException] = []

    def work(db, share) -> None:
        try:
            for start in range(0, len(share), RUN):
                db.call(lambda c, run=share[start:start + RUN]: store.ingest(c, run))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(workers, shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert errors == []
        per_kiosk = workers[0].call(lambda c: query(c, "SELECT kid, COUNT(*), COUNT(DISTINCT seq), MAX(seq) "
                                                       "FROM events GROUP BY kid ORDER BY kid"))
        marks = workers[0].call(lambda c: query(c, "SELECT kid, upto, high, ceiling FROM streams ORDER BY kid"))
        findings = [workers[0].call(lambda c, t=table: query(c, f"SELECT COUNT(*) FROM {t}"))[0][0]
                    for table in ("quarantine", "rewinds", "alerts")]
        counted = workers[0].call(lambda c: query(c, "SELECT SUM(n) FROM daily_counts"))[0][0]
    finally:
        for db in workers:
            db.stop()
    assert per_kiosk == [(kid, LAST, LAST, LAST) for kid in KIOSKS]
    assert marks == [(kid, LAST, LAST, None) for kid in KIOSKS]
    assert findings == [0, 0, 0] and counted == LAST * len(KIOSKS)
