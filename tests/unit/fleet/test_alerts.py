"""Alerts open once, update and close as the store's conditions change, and owe one notice per change however many
workers evaluate; notices reach a group robot once each, retried when it refuses (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import threading

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.console import alerts, store, webhook
from kiosk.fleet.console.server import open_store
from kiosk.fleet.console.settings import AlertRules, Webhook
from tests.postgres import query
from tests.webhook_receiver import Receiver

KID, REGION = "k-0001", "r320102"
TOPICS = protocol.Topics(REGION, KID)
T0_MS = 1_790_000_000_000
MINUTE_MS = 60_000
RULES = AlertRules(offline_after_min=10, backlog_events=100, clock_skew_s=60, config_behind_min=30,
                   content_behind_min=60)


@pytest.fixture
def console(console_target):
    db = open_store(console_target)
    db.start()
    yield db
    db.stop()


def hw(console, seq: int, kind: str, data: dict, t_ms: int) -> None:
    payload = protocol.encode_batch("hw", 1, 1, "boot-1", [(seq, t_ms, seq, kind, json.dumps(data))],
                                    protocol.ClockState())
    message = protocol.decode(protocol.Kind.TELEMETRY, payload)
    console.call(lambda c: store.ingest(c, [(protocol.parse_topic(TOPICS.tel("hw")), message, t_ms)]))


def state(console, online: bool, sess: int, at_ms: int) -> None:
    console.call(lambda c: store.ingest(c, [(protocol.parse_topic(TOPICS.state),
                                             protocol.State(online=online, sess=sess), at_ms)]))


def evaluate(console, now_ms: int) -> dict[str, int]:
    return console.call(lambda c: alerts.evaluate(c, RULES, now_ms))


def notices(console) -> list[tuple[str, str]]:
    return [(event, text.split("\n")[1]) for event, text in
            console.call(lambda c: query(c, "SELECT event, text FROM notices ORDER BY id"))]


def test_paper_and_reader_faults_open_update_and_close_once(console):
    """GIVEN a kiosk whose printer runs out of paper, then is near its end, then is fixed, and whose card reader
    faults and recovers WHEN the rules are evaluated after each change (and twice over) THEN each alert opens once,
    updates once, closes once, with one notice each; an older state arriving late changes nothing."""
    state(console, True, 1, T0_MS)
    hw(console, 1, "printer.paper", {"state": "out"}, T0_MS)
    hw(console, 2, "device.fault", {"device": "idcard", "code": "IDC-030", "active": True}, T0_MS)
    assert evaluate(console, T0_MS) == {"opened": 2, "updated": 0, "closed": 0}
    assert evaluate(console, T0_MS + 1) == {"opened": 0, "updated": 0, "closed": 0}
    assert {(row["kind"], row["detail"]) for row in console.call(alerts.open_rows)} == {
        ("paper", "缺纸"), ("fault.idcard", "故障代码 IDC-030")}
    hw(console, 3, "printer.paper", {"state": "near_end"}, T0_MS + MINUTE_MS)
    hw(console, 4, "printer.paper", {"state": "ok"}, T0_MS - MINUTE_MS)
    assert evaluate(console, T0_MS + 2 * MINUTE_MS)["updated"] == 1
    hw(console, 5, "printer.paper", {"state": "ok"}, T0_MS + 3 * MINUTE_MS)
    hw(console, 6, "device.fault", {"device": "idcard", "code": "IDC-030", "active": False}, T0_MS + 3 * MINUTE_MS)
    assert evaluate(console, T0_MS + 4 * MINUTE_MS)["closed"] == 2
    assert console.call(alerts.open_rows) == []
    assert [event for event, _ in notices(console)] == ["open", "open", "update", "close", "close"]
    assert set(notices(console)[:2]) == {("open", "缺纸"), ("open", "故障代码 IDC-030")}
    assert notices(console)[2] == ("update", "纸将用尽")


def test_offline_clock_config_content_and_backlog_rules(console):
    """GIVEN a kiosk that went offline, runs a skewed clock, has not applied a configuration or a content job and
    holds a backlog WHEN evaluated past each threshold THEN each opens; when it comes back and catches up they close."""
    state(console, False, 3, T0_MS)
    position = protocol.StreamPosition(epoch=1, last_seq=500, acked_seq=0, backlog=500, dropped=0)
    birth = protocol.Birth(sess=3, boot="b", sw="t", minors=[1, 2], desired_version=0, streams={"ui": position},
                           clk=protocol.ClockState(synced=True, offset_ms=-90_000))
    console.call(lambda c: store.ingest(c, [(protocol.parse_topic(TOPICS.up("birth")), birth, T0_MS)]))
    console.call(lambda c: store.next_desired(c, REGION, KID, {"a": 1}, T0_MS))
    console.call(lambda c: store.next_job(c, REGION, KID, "content-1", {"type": "content", "version": "1",
                                                                        "expires": T0_MS * 2, "artifact": {
        "url": "http://x/p", "size": 1, "sha256": "0" * 64, "signature": "0" * 128}}, T0_MS))
    assert evaluate(console, T0_MS + 5 * MINUTE_MS)["opened"] == 2  # clock, backlog: not yet offline or behind
    assert evaluate(console, T0_MS + 61 * MINUTE_MS)["opened"] == 3
    assert {row["kind"] for row in console.call(alerts.open_rows)} == {"clock", "backlog", "offline", "config",
                                                                       "content"}
    state(console, True, 4, T0_MS + 62 * MINUTE_MS)
    assert evaluate(console, T0_MS + 62 * MINUTE_MS)["closed"] == 1
    assert {row["kind"] for row in console.call(alerts.open_rows)} == {"clock", "backlog", "config", "content"}


def test_workers_evaluating_together_owe_each_notice_once(console_target):
    """GIVEN four workers' connections to one store WHEN they evaluate the same changes at once, over and over
    THEN each alert is opened and closed once and each notice is owed once."""
    workers = [open_store(console_target) for _ in range(4)]
    for db in workers:
        db.start()
    try:
        for n in range(1, 6):
            workers[0].call(lambda c, n=n: store.ingest(c, [(
                protocol.parse_topic(protocol.Topics(REGION, f"k-{n:04d}").state),
                protocol.State(online=False, sess=1), T0_MS)]))
        for now_ms in (T0_MS + 11 * MINUTE_MS, T0_MS + 12 * MINUTE_MS):
            threads = [threading.Thread(target=lambda db=db, t=now_ms: [evaluate(db, t) for _ in range(3)])
                       for db in workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        events = workers[0].call(lambda c: query(c, "SELECT event, COUNT(*) FROM notices GROUP BY event"))
        opened = workers[0].call(lambda c: query(c, "SELECT COUNT(*) FROM alerts"))
    finally:
        for db in workers:
            db.stop()
    assert events == [("open", 5)] and opened == [(5,)]


def test_notices_reach_the_robot_once_each_and_are_retried_when_refused(console):
    """GIVEN three open notices and a robot that refuses the first two posts WHEN two workers deliver at once,
    again after the pause THEN the robot took each notice exactly once, as DingTalk's text message, signed."""
    for n in range(1, 4):
        console.call(lambda c, n=n: alerts.once(c, REGION, f"k-{n:04d}", "replay", "ui", 1, f"finding {n}", T0_MS))
    with Receiver() as robot:
        robot.failures = 2
        hook = Webhook(url=robot.url, secret="SEC-test")
        clock = [T0_MS]
        threads = [threading.Thread(target=webhook.deliver, args=(console, hook, lambda: clock[0]))
                   for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(robot.texts()) == 1
        clock[0] += webhook.RETRY_BASE_MS
        assert webhook.deliver(console, hook, lambda: clock[0]) == 2
        assert webhook.deliver(console, hook, lambda: clock[0]) == 0
        texts = robot.texts()
        query_ = robot.received[0][0]
    assert sorted(text.split("\n")[1] for text in texts) == ["finding 1", "finding 2", "finding 3"]
    assert all(text.startswith("【告警】重放 · 终端 k-000") for text in texts)
    assert set(query_) == {"access_token", "timestamp", "sign"}
    sent = console.call(lambda c: query(c, "SELECT attempts, sent_ms IS NOT NULL FROM notices ORDER BY id"))
    assert sorted(sent) == [(1, True), (2, True), (2, True)]


def test_events_a_kiosk_evicted_are_told_once_per_birth_that_reports_more(console):
    """GIVEN births reporting 0, then 40, then (late) 10, then 40 again, then 55 events dropped WHEN ingested
    THEN two findings are raised: 40 dropped, then 15 more."""
    topic = protocol.parse_topic(TOPICS.up("birth"))
    for dropped in (0, 40, 10, 40, 55):
        position = protocol.StreamPosition(epoch=1, last_seq=100, acked_seq=100, backlog=0, dropped=dropped)
        born = protocol.Birth(sess=1, boot="b", sw="t", minors=[1, 2], desired_version=0, streams={"ui": position},
                              clk=protocol.ClockState())
        console.call(lambda c, b=born: store.ingest(c, [(topic, b, T0_MS)]))
    assert [text for _event, text in notices(console)] == ["终端因存储上限丢弃了 40 条遥测（本纪元累计 40 条）",
                                                           "终端因存储上限丢弃了 15 条遥测（本纪元累计 55 条）"]
