"""Several ingest workers on one PostgreSQL store share the uplinks through the MQTT 5 shared subscription
(issue 16 item 2): batches of one kiosk reach different workers in any order, a worker is killed with SIGKILL
mid-burst and restarted, the broker restarts, a kiosk is offline for a while, and still every event is stored
exactly once, every kiosk's outbox is acked to its last seq and never past what it sent, presence ends right,
and the sequence-trust rules raise nothing against honest kiosks."""

from __future__ import annotations

import pytest

from kiosk.fleet.console.server import open_store
from tests.integration.fleet.conftest import KioskUnderTest, wait_until
from tests.integration.fleet.workers import Worker
from tests.postgres import query

KIOSKS = [f"k-{n:04d}" for n in range(1, 51)]
WORKERS = 3
BURST = 60
"""Taps each kiosk records per burst."""


class Store:
    """The workers' store, read by the test."""

    def __init__(self, url: str) -> None:
        self.db = open_store(url)
        self.db.start()

    def rows(self, sql: str, *params) -> list[tuple]:
        return self.db.call(lambda c: query(c, sql, *params))

    def scalar(self, sql: str, *params):
        return self.rows(sql, *params)[0][0]


def _taps(kiosk: KioskUnderTest, first: int, n: int) -> None:
    for i in range(first, first + n):
        kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})


@pytest.fixture
def shared(tmp_path, broker_factory, postgres):
    """A broker provisioned for 50 kiosks, a PostgreSQL store, 3 workers, 50 agents; all stopped at teardown."""
    broker = broker_factory(KIOSKS)
    db = postgres.database()
    workers = [Worker(db, broker, f"fleet-ingest-{n}", tmp_path, "--reorder-timeout", "2") for n in range(1, 4)]
    kiosks = [KioskUnderTest(tmp_path / kid, broker, kid, batch_max_events=25, batches_per_s=20.0)
              for kid in KIOSKS]
    store = Store(db)
    yield broker, workers, kiosks, store
    for kiosk in kiosks:
        kiosk.stop()
    for worker in workers:
        worker.stop()
    store.db.stop()


def test_three_workers_store_every_event_of_fifty_kiosks_exactly_once(shared):
    broker, workers, kiosks, store = shared
    for worker in workers:
        worker.start()
    for kiosk in kiosks:
        kiosk.start()
    recorded = {kiosk.identity.id: 0 for kiosk in kiosks}

    def burst(kiosk_list) -> None:
        for kiosk in kiosk_list:
            _taps(kiosk, recorded[kiosk.identity.id], BURST)
            recorded[kiosk.identity.id] += BURST

    def stored() -> int:
        return store.scalar("SELECT COUNT(*) FROM events")

    burst(kiosks)
    wait_until(lambda: stored() > BURST * len(kiosks) // 4, timeout_s=60, what="ingest under way")
    workers[1].kill()
    burst(kiosks)
    wait_until(lambda: stored() > BURST * len(kiosks), timeout_s=60, what="the other workers ingesting")
    workers[1].start()
    away = kiosks[-1]
    away.agent.stop()
    burst(kiosks)
    broker.restart()
    burst(kiosks)
    away.agent.start()
    total = sum(recorded.values())
    wait_until(lambda: stored() >= total, timeout_s=180, what=f"all {total} events stored")
    for kiosk in kiosks:
        wait_until(lambda k=kiosk: k.outbox.positions()["ui"].backlog == 0, timeout_s=60,
                   what=f"{kiosk.identity.id}'s outbox acked")

    per_kiosk = dict(store.rows("SELECT kid, COUNT(*) FROM events GROUP BY kid"))
    distinct = dict(store.rows("SELECT kid, COUNT(DISTINCT seq) FROM events GROUP BY kid"))
    assert per_kiosk == recorded and distinct == recorded
    assert store.rows("SELECT kid, MIN(seq), MAX(seq) FROM events GROUP BY kid ORDER BY kid") == [
        (kid, 1, n) for kid, n in sorted(recorded.items())]
    assert store.scalar("SELECT SUM(n) FROM daily_counts") == total
    for kiosk in kiosks:
        position = kiosk.outbox.positions()["ui"]
        assert position.acked_seq == position.last_seq == recorded[kiosk.identity.id]
        assert kiosk.agent.counters["acks_beyond_sent"] == 0
    assert store.rows("SELECT upto, high, seen FROM streams WHERE upto != high OR seen != upto") == []
    assert [store.scalar(f"SELECT COUNT(*) FROM {table}") for table in ("quarantine", "rewinds", "alerts")] == [0] * 3
    wait_until(lambda: store.scalar("SELECT COUNT(*) FROM kiosks WHERE online = 1") == len(kiosks), timeout_s=60,
               what="every kiosk online in the console's presence")
