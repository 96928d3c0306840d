"""Nothing is lost or counted twice across broker restarts, server restarts, kill -9, offline weeks, replays."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import paho.mqtt.client as mqtt

from kiosk.fleet import protocol
from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION, wait_until

ROOT = Path(__file__).resolve().parents[3]


def taps(kiosk, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})


def exactly_once(server, kid: str, n: int) -> None:
    wait_until(lambda: server.event_count(kid) >= n, timeout_s=60, what=f"{n} events of {kid}")
    assert server.event_count(kid) == n
    assert server.scalar("SELECT MAX(seq) FROM events WHERE kid = ? AND stream = 'ui'", kid) == n


def test_broker_restart_mid_stream(fleet_parts, broker):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk(batch_max_events=20, batches_per_s=50.0).start()
    taps(kiosk, 1000)
    wait_until(lambda: server.event_count() > 100, what="drain under way")
    broker.restart()
    taps(kiosk, 500, 1000)
    exactly_once(server, "k-0001", 1500)
    wait_until(lambda: server.scalar("SELECT online FROM kiosks WHERE kid = 'k-0001'") == 1,
               what="presence back online after the restart's Will burst")
    assert kiosk.agent.status()["connects"] >= 2


def test_server_restart_and_offline_server(fleet_parts):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk().start()
    taps(kiosk, 300)
    exactly_once(server, "k-0001", 300)
    server.stop()
    wait_until(lambda: not kiosk.agent.status()["server_online"], what="kiosk sees the server offline")
    taps(kiosk, 700, 300)
    assert kiosk.outbox.flush()
    assert kiosk.outbox.positions()["ui"].backlog == 700
    again = make_server().start()
    exactly_once(again, "k-0001", 1000)


def test_week_offline_backlog_drains_once(fleet_parts, broker):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    broker.stop()
    kiosk = make_kiosk().start()
    taps(kiosk, 20_000)
    assert kiosk.outbox.flush(30)
    broker.start()
    exactly_once(server, "k-0001", 20_000)
    wait_until(lambda: kiosk.outbox.positions()["ui"].backlog == 0, what="outbox emptied")


def test_kiosk_killed_mid_batch_then_restarted(fleet_parts, broker, tmp_path):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    root = tmp_path / "k-0001"
    proc = subprocess.Popen([sys.executable, "-m", "tests.integration.fleet.kiosk_process", str(root),
                             str(broker.port), "3000"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "flushed"
        wait_until(lambda: server.event_count() > 300, what="drain under way")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert server.event_count() < 3000
    restarted = make_kiosk().start()
    exactly_once(server, "k-0001", 3000)
    assert restarted.outbox.positions()["ui"].last_seq == 3000


def _as_kiosk(broker, kid: str, received: list) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=kid, protocol=mqtt.MQTTv5)
    client.username_pw_set(kid, KIOSK_PASSWORD)
    subscribed = threading.Event()
    client.on_subscribe = lambda *_: subscribed.set()
    client.on_message = lambda _c, _u, msg: (received.append(json.loads(msg.payload))
                                             if msg.topic.endswith("/down/ack") else None)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    client.subscribe(protocol.Topics(REGION, kid).down("#"), qos=1)     # the kiosk role may take its own downlinks
    assert subscribed.wait(10)
    return client


def _birth(client: mqtt.Client, kid: str, last_seq: int) -> None:
    """Announce the stream as a kiosk does on connect: the server acks no further than a birth announced."""
    birth = protocol.Birth(sess=1, boot="boot-x", sw="raw", minors=list(range(1, protocol.MINOR + 1)),
                           desired_version=0, clk=protocol.ClockState(),
                           streams={"ui": protocol.StreamPosition(epoch=7, last_seq=last_seq, acked_seq=0,
                                                                  backlog=last_seq, dropped=0)})
    client.publish(protocol.Topics(REGION, kid).up("birth"), protocol.encode(birth), qos=1)


def _batch(seqs: range, base: int = 1) -> bytes:
    events = [(q, 1_700_000_000_000 + q, q, "ui.view", '{"screen":"home"}') for q in seqs]
    return protocol.encode_batch("ui", 7, base, "boot-x", events, protocol.ClockState())


def test_out_of_order_and_duplicate_batches_are_counted_once(fleet_parts, broker):
    _make_kiosk, make_server = fleet_parts
    server = make_server().start()
    acks: list = []
    client = _as_kiosk(broker, "k-0002", acks)
    topic = protocol.Topics(REGION, "k-0002").tel("ui")
    try:
        _birth(client, "k-0002", 10)
        client.publish(topic, _batch(range(6, 11)), qos=1)
        wait_until(lambda: len(acks) == 1, what="ack of the out-of-order batch")
        assert acks[-1]["acks"]["ui"] == {"epoch": 7, "upto": 0}
        client.publish(topic, _batch(range(1, 6)), qos=1)
        wait_until(lambda: acks[-1]["acks"]["ui"]["upto"] == 10, what="ack over the filled gap")
        seen = len(acks)
        for _ in range(2):
            client.publish(topic, _batch(range(1, 6)), qos=1)
            client.publish(topic, _batch(range(6, 11)), qos=1)
        wait_until(lambda: len(acks) > seen, what="acks of the replays")
        assert acks[-1]["acks"]["ui"] == {"epoch": 7, "upto": 10}
        assert server.event_count("k-0002") == 10
    finally:
        client.disconnect()
        client.loop_stop()
