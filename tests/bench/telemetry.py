"""Telemetry benchmark: record cost beside a UI-like thread, backlog drain vs raw paho, console ingest rate.

Run `python -m tests.bench.telemetry`; prints one JSON object. Baselines are measured in the same run:
a bare SimpleQueue.put for the record cost, raw paho QoS 1 publishing of the same batch bytes (waiting for
every PUBACK) for the drain. The drain runs the console in its own process, as in production (another
machine): it is timed from the console's `online` announcement, which is what starts the kiosk sending,
until the console's store has committed every event; the kiosk's outbox emptied by acks is timed too.

The backlog is built as an offline kiosk builds it, a few events persisted per write; `outbox_rows` shows how
many rows it was stored in when the drain began.

Mosquitto leaves Nagle's algorithm on (`set_tcp_nodelay false`, as in deploy/), so once a sender's window is
full its small PUBACKs wait for a delayed TCP ACK (about 40 ms on Linux); that stall is most of the raw paho
figure. The kiosk and the console avoid it (kiosk.fleet.tcp); raw paho, with its default sockets, does not.
The same raw publishing through a broker with `set_tcp_nodelay true` is reported beside it: that is what the
bytes alone cost, for reading the ratio, not the budget's baseline.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt

from kiosk.core.clock import SystemClock
from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.server import open_store
from tests.integration.fleet.conftest import SERVER_PASSWORD, SERVER_USER, Broker, KioskUnderTest, wait_until
from tests.postgres import query

BACKLOG = 100_000
RECORDS = 20_000
WRITE_GROUP = 7
"""Events persisted per write while the backlog builds (the first RECORDS come from the record-cost run)."""
WINDOW = 16
"""Batches in flight: the kiosk's unacked-batch window, and raw paho's in-flight limit in the baseline."""


def _percentiles(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)
    return {"p50_us": ordered[len(ordered) // 2] / 1000, "p99_us": ordered[int(len(ordered) * 0.99)] / 1000}


def _ui_like(stop: threading.Event) -> None:
    """A frame loop: a little Python work every 16 ms, as Kivy's main loop would do."""
    while not stop.wait(0.016):
        sum(i * i for i in range(2000))


def bench_record(kiosk: KioskUnderTest) -> dict:
    stop = threading.Event()
    ui = threading.Thread(target=_ui_like, args=(stop,), daemon=True)
    ui.start()
    costs, bare = [], []
    fields = {"screen": "home", "control": "start"}
    sink: queue.SimpleQueue = queue.SimpleQueue()
    for _ in range(RECORDS):
        t0 = time.perf_counter_ns()
        kiosk.outbox.record("ui", "ui.tap", fields)
        t1 = time.perf_counter_ns()
        sink.put(("ui", "ui.tap", dict(fields), 0, 0))
        t2 = time.perf_counter_ns()
        costs.append(t1 - t0)
        bare.append(t2 - t1)
    stop.set()
    ui.join()
    kiosk.outbox.flush(60)
    return {"record": _percentiles(costs), "baseline_queue_put": _percentiles(bare), "budget_us": 200}


def build_backlog(kiosk: KioskUnderTest) -> None:
    """Fill the backlog as an offline kiosk does: a few events persisted at a time, not one bulk write."""
    for start in range(RECORDS, BACKLOG, WRITE_GROUP):
        for i in range(start, min(start + WRITE_GROUP, BACKLOG)):
            kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})
        assert kiosk.outbox.flush(60)


def _batches(kiosk: KioskUnderTest) -> list[bytes]:
    """The backlog exactly as the agent batches it (same reads, same bytes), for the raw-paho baseline."""
    payloads, cursor = [], 1
    while True:
        pending = kiosk.outbox.read("ui", cursor, kiosk.fleet.batch_max_events, protocol.BATCH_MAX_BYTES)
        if not pending.seqs:
            return payloads
        payloads.append(pending.payload(protocol.ClockState()))
        cursor = pending.last + 1


def bench_raw_paho(broker: Broker, payloads: list[bytes]) -> float:
    """Seconds for raw paho to publish the same payloads at QoS 1 and get every PUBACK."""
    done = threading.Event()
    acked = [0]

    def on_publish(*_):
        acked[0] += 1
        if acked[0] == len(payloads):
            done.set()

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-raw", protocol=mqtt.MQTTv5)
    client.username_pw_set(SERVER_USER, SERVER_PASSWORD)
    client.on_publish = on_publish
    client.max_inflight_messages_set(WINDOW)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    t0 = time.perf_counter()
    for payload in payloads:
        client.publish("bench/raw", payload, qos=1)
    assert done.wait(300)
    elapsed = time.perf_counter() - t0
    client.disconnect()
    client.loop_stop()
    return elapsed


def bench_raw_paho_nodelay(tmp: Path, payloads: list[bytes]) -> float:
    """Seconds for the same raw publishing through a broker that turns Nagle's algorithm off."""
    broker = Broker(tmp / "broker-nodelay", [], "set_tcp_nodelay true\n")
    broker.start()
    try:
        return bench_raw_paho(broker, payloads)
    finally:
        broker.stop()


def bench_ingest(tmp: Path, payloads: list[bytes]) -> float:
    """Events per second the console decodes and commits (no broker), in runs like the ingest thread's."""
    db = open_store(tmp / "ingest.db", SystemClock())
    db.start()
    ref = protocol.parse_topic(protocol.Topics("r1", "k-bench").tel("ui"))
    events = 0
    t0 = time.perf_counter()
    for start in range(0, len(payloads), 20):
        items = []
        for payload in payloads[start:start + 20]:
            batch = protocol.decode(protocol.Kind.TELEMETRY, payload)
            events += len(batch.t)
            items.append((ref, batch, 0))
        db.call(lambda c, i=items: store.ingest(c, i))
    elapsed = time.perf_counter() - t0
    db.stop()
    return events / elapsed


def bench_drain(tmp: Path, broker: Broker, kiosk: KioskUnderTest) -> dict:
    """Start the console process against the waiting kiosk; time until all is stored, then until all is acked."""
    console = subprocess.Popen([sys.executable, "-m", "tests.integration.fleet.console_process",
                                str(tmp / "console.db"), str(broker.port), str(BACKLOG)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        word, online = console.stdout.readline().split()
        assert word == "online"
        wait_until(lambda: kiosk.outbox.positions()["ui"].backlog == 0, timeout_s=600, what="acks", poll_s=0.001)
        acked = time.monotonic()
        word, stored = console.stdout.readline().split()
        assert word == "stored"
    finally:
        console.stdin.close()
        console.wait(timeout=60)
    return {"to_store_s": float(stored) - float(online), "until_all_acked_s": acked - float(online)}


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        broker = Broker(tmp / "broker", ["k-0001"])
        broker.start()
        try:
            kiosk = KioskUnderTest(tmp / "kiosk", broker, batch_max_events=1000, batches_per_s=10_000.0,
                                   batches_in_flight=WINDOW, ack_timeout_s=30.0).start()
            record = bench_record(kiosk)
            build_backlog(kiosk)
            payloads = _batches(kiosk)
            rows = kiosk.db.call(lambda d: d.execute("SELECT COUNT(*) FROM outbox_chunks").fetchone()[0])
            raw_s = bench_raw_paho(broker, payloads)
            drain = bench_drain(tmp, broker, kiosk)
            kiosk.stop()
            check = open_store(tmp / "console.db", SystemClock())
            check.start()
            stored = check.call(lambda c: query(c, "SELECT COUNT(*), COUNT(DISTINCT seq) FROM events")[0])
            check.stop()
            ingest = bench_ingest(tmp, payloads)
            raw_nodelay_s = bench_raw_paho_nodelay(tmp, payloads)
        finally:
            broker.stop()
    print(json.dumps({
        "record_cost": record,
        "drain_100k": {"events": BACKLOG, "backlog_write_group_events": WRITE_GROUP, "outbox_rows": rows,
                       "batches": len(payloads), "payload_bytes": sum(map(len, payloads)),
                       "window_batches": WINDOW, "kiosk_to_store_s": round(drain["to_store_s"], 3),
                       "until_all_acked_s": round(drain["until_all_acked_s"], 3),
                       "raw_paho_same_bytes_s": round(raw_s, 3), "ratio": round(drain["to_store_s"] / raw_s, 2),
                       "budget_ratio": 3.0, "counted_exactly_once": stored == (BACKLOG, BACKLOG),
                       "raw_paho_broker_tcp_nodelay_s": round(raw_nodelay_s, 3)},
        "console_ingest_events_per_s": round(ingest), "ingest_budget_events_per_s": 20_000,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
