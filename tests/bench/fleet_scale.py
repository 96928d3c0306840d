"""Fleet scale benchmark: N simulated kiosks on one Mosquitto, the console in its own process, a broker restart
and a broker outage, with the agent's reconnect schedule and, as the baseline in the same run, the one before it.

Run `python -m tests.bench.fleet_scale [--kiosks N] [--before-s S] [--between-s S] [--outage-s S] [--after-s S]
[--db sqlite|postgresql] [--workers N] [--baseline REV] [--code REV]`; prints one JSON object.

Each simulated kiosk is one paho MQTT 5 client speaking the real protocol (kiosk.fleet.protocol): a Will with
its session counter, after every CONNACK subscribe → retained `state` online → `up/birth`, telemetry batches
of the ui and hw streams drained only while `_srv/state` is online, at most two batches unacked, kept until
the console's `down/ack` and resent from the last ack after a reconnect or an ack timeout, `resend` commands
answered in two phases, keepalive PINGREQs as heartbeats, and reconnects timed by the agent's own
kiosk.fleet.reconnect.ReconnectSchedule with the FleetConfig defaults. What it does not carry is the kiosk's
SQLite outbox: events wait in memory, which is what lets a thousand kiosks share a few threads of one process
on a 2-core machine (a thousand real agents, each with its database, would not fit). The clients are spread
over a few threads, each driving its clients' sockets with one selector (paho's external-loop API), so no
client is touched by two threads.

One run is two passes, each with a fresh broker, console and fleet: the agent's schedule, then the baseline
(the schedule before issue 14: full jitter on the attempt count, base 2 s, cap 600 s). Each pass: every kiosk
connects, traffic for `before_s`, a broker restart, traffic for `between_s` (longer than STABLE_LINK_S, so the
outage that follows is a new one), the broker down for `outage_s`, traffic for `after_s`, then every event drained.

With `--db postgresql` the passes all use the agent's schedule and compare stores instead (issue 16 item 5):
`--workers` (default 2) `kiosk fleet serve`-equivalent console processes sharing the uplinks on one PostgreSQL
(Debian's server in a temporary cluster, fsync on); the same with the console code of `--baseline` (a git
revision, default the ingest before its runs were written one statement per table: `baseline` in the JSON); and
one console on SQLite (`sqlite` in the JSON). `--code REV` runs the other passes' consoles from a git revision too
(default: this working tree), so a tree being edited does not change under a long run.

Figures per pass: connections held before the restart and at the end; the reconnect spread after the restart
and after the outage (seconds from the broker accepting connections again until each kiosk's first CONNACK:
p50/p99/max, and the most CONNACKs in one second); presence in the console's store; events lost (recorded and
not stored) and duplicated (stored more than once) over every (kiosk, stream, epoch, seq) recorded; the events
the consoles stored per second over the pass (the fleet's offered load, which they kept up with when nothing is
lost); the fleet's backlog (events recorded and not yet acked, sampled every second: its mean and most, and what
was left when recording stopped); the ingest latency (seconds from a batch's publish to the ack that covers it:
p50/p99/max over every acked batch); the seconds the last backlog took to drain (or, if it did not within
DRAIN_TIMEOUT_S, what was still unacked); and the store's own capacity: events per second committed by as many
writers as there are workers, each ingesting 100-event batches of its own kiosks in runs of 20 as the ingest
thread does (no broker), by the pass's own console code.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as mqtt
from sqlalchemy import create_engine

from kiosk.config.schema import FleetConfig
from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.database import url_of
from kiosk.fleet.console.server import open_store
from kiosk.fleet.reconnect import STABLE_LINK_S, ReconnectSchedule
from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION, Broker, wait_until
from tests.postgres import PostgresServer, query

THREADS = 4
KEEPALIVE_S = 15
EVENT_EVERY_S = 2.0
"""Mean seconds between two taps of one simulated kiosk (a busy kiosk, sped up)."""
HEARTBEAT_EVERY_S = 10.0
"""Seconds between two `printer.paper` health events of one kiosk (the hw stream's heartbeat)."""
SEND_EVERY_S = 3.0
"""Seconds between two drain passes of one kiosk (its rate limit)."""
BATCH_MAX = 100
WINDOW = 2
ACK_TIMEOUT_S = 15.0
STREAMS = ("ui", "hw")
CLIENT_ADDRESS = "127.0.0.2"
"""Where the kiosks' sockets start. Why not 127.0.0.1: thousands of attempts on a stopped broker's port would
sooner or later draw that very port as their ephemeral source and connect to themselves (TCP simultaneous open),
holding it so that the broker cannot listen on it again."""
GOAL_OUTAGE_P99_S = 30.0
"""Issue 14: after a 30-second outage, 99 % of 1,000 kiosks are back within this many seconds."""
DRAIN_TIMEOUT_S = 300.0
"""Seconds the final backlog may take to drain before the pass is reported as fallen behind."""
REPO_ROOT = Path(__file__).resolve().parents[2]
BASELINE_REVISION = "f895065"
"""The console code before ingest runs were written one statement per table: it inserted each batch row, touched
each kiosk and noted each device state in statements of their own, one round trip each on PostgreSQL."""


class AttemptJitter:
    """The baseline: the agent's reconnect delay before issue 14, uniform in [0, min(cap, base·2^attempt)]."""

    BASE_S, CAP_S = 2.0, 600.0

    def __init__(self) -> None:
        self.attempt = 0

    def connected(self, _now_s: float) -> None:
        self.attempt = 0

    def next_delay_s(self, _now_s: float) -> float:
        self.attempt += 1
        return random.uniform(0, min(self.CAP_S, self.BASE_S * 2 ** min(self.attempt - 1, 20)))


def agent_schedule() -> ReconnectSchedule:
    """The schedule the agent builds from the FleetConfig defaults."""
    defaults = FleetConfig()
    return ReconnectSchedule(defaults.reconnect_base_s, defaults.reconnect_window_s, defaults.reconnect_cap_s)


SCHEDULES = {"agent": agent_schedule, "baseline": AttemptJitter}


class SimKiosk:
    """One kiosk's protocol state machine; every method runs on the thread that owns its client."""

    def __init__(self, kid: str, port: int, fleet: SimFleet, schedule: ReconnectSchedule | AttemptJitter) -> None:
        self.kid, self.port, self.fleet, self.schedule = kid, port, fleet, schedule
        self.topics = protocol.Topics(REGION, kid)
        self.client: mqtt.Client | None = None
        self.fd = -1
        self.connected = self.server_online = False
        self.sess = 0
        self.next_connect = 0.0
        self.epoch = random.randrange(1, 2**62)
        self.seq = dict.fromkeys(STREAMS, 0)
        self.acked = dict.fromkeys(STREAMS, 0)
        self.held: dict[str, list[tuple[int, int, int, str, str]]] = {s: [] for s in STREAMS}
        self.cursor = dict.fromkeys(STREAMS, 1)
        self.inflight: dict[str, list[tuple[int, float]]] = {s: [] for s in STREAMS}
        self.recorded = 0
        self.connack_at: list[float] = []
        now = time.monotonic()
        self.next_event = now + random.expovariate(1 / EVENT_EVERY_S)
        self.next_heartbeat = now + random.uniform(0, HEARTBEAT_EVERY_S)
        self.next_send = now + random.uniform(0, SEND_EVERY_S)

    # ---- connection ----------------------------------------------------------------------------------

    def connect(self, now: float) -> None:
        self.sess += 1
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.kid, protocol=mqtt.MQTTv5)
        client.username_pw_set(self.kid, KIOSK_PASSWORD)
        will = protocol.State(online=False, sess=self.sess, reason="lwt")
        client.will_set(self.topics.state, protocol.encode(will), qos=protocol.QOS, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = lambda *_: self.lost(time.monotonic())
        client.on_message = self._on_message
        try:
            client.connect("127.0.0.1", self.port, keepalive=KEEPALIVE_S, clean_start=True,
                           bind_address=CLIENT_ADDRESS)
        except OSError:
            self.retry_later(now)
            return
        self.client = client
        self.fleet.register(self)

    def retry_later(self, now: float) -> None:
        self.next_connect = now + self.schedule.next_delay_s(now)

    def lost(self, now: float) -> None:
        if self.client is None:
            return
        self.fleet.unregister(self)
        sock = self.client.socket()
        if sock is not None:
            sock.close()
        self.client = None
        self.connected = self.server_online = False
        self.retry_later(now)

    def _on_connect(self, client, _u, _f, reason_code, _p) -> None:
        if reason_code.is_failure:
            return
        self.connected = True
        self.connack_at.append(time.monotonic())
        self.schedule.connected(self.connack_at[-1])
        for topic in self.topics.subscriptions:
            client.subscribe(topic, qos=protocol.QOS)
        now_ms = int(time.time() * 1000)
        client.publish(self.topics.state, protocol.encode(protocol.State(online=True, sess=self.sess, ts=now_ms,
                                                                         boot="sim")), qos=1, retain=True)
        positions = {s: protocol.StreamPosition(epoch=self.epoch, last_seq=self.seq[s], acked_seq=self.acked[s],
                                                backlog=len(self.held[s]), dropped=0) for s in STREAMS}
        birth = protocol.Birth(sess=self.sess, boot="sim", sw="fleet-scale-sim", minors=[1, 2], hw={},
                               desired_version=0, streams=positions, clk=protocol.ClockState())
        client.publish(self.topics.up("birth"), protocol.encode(birth), qos=1)
        self._rewind()

    def _rewind(self) -> None:
        for stream in STREAMS:
            self.cursor[stream] = self.acked[stream] + 1
            self.inflight[stream].clear()

    # ---- inbound -------------------------------------------------------------------------------------

    def _on_message(self, client, _u, msg) -> None:
        ref = protocol.parse_topic(msg.topic)
        message = protocol.decode(ref.kind, msg.payload)
        if ref.kind is protocol.Kind.SERVER_STATE:
            if message.online and not self.server_online:
                self._rewind()
            self.server_online = message.online
        elif ref.kind is protocol.Kind.ACK:
            for stream, ack in message.acks.items():
                if ack.epoch != self.epoch or ack.upto <= self.acked[stream]:
                    continue
                now = time.monotonic()
                self.fleet.latencies.extend(now - sent for last, sent in self.inflight[stream] if last <= ack.upto)
                self.acked[stream] = ack.upto
                self.held[stream] = [e for e in self.held[stream] if e[0] > ack.upto]
                self.inflight[stream] = [f for f in self.inflight[stream] if f[0] > ack.upto]
                self.cursor[stream] = max(self.cursor[stream], ack.upto + 1)
        elif ref.kind is protocol.Kind.COMMAND:
            self._command(client, message)

    def _command(self, client, command: protocol.Command) -> None:
        try:
            _spec, args = protocol.command_args(command, int(time.time() * 1000))
        except protocol.Rejected as exc:
            client.publish(self.topics.up("res"), protocol.encode(protocol.CommandResult(
                id=command.id, phase="final", code=exc.code, error=exc.reason)), qos=1)
            return
        client.publish(self.topics.up("res"), protocol.encode(protocol.CommandResult(
            id=command.id, phase="accepted", code=protocol.Code.ACCEPTED)), qos=1)
        if command.name == "resend":
            self.cursor[args.stream] = max(args.from_seq, self.acked[args.stream] + 1)
            self.inflight[args.stream].clear()
        client.publish(self.topics.up("res"), protocol.encode(protocol.CommandResult(
            id=command.id, phase="final", code=protocol.Code.OK)), qos=1)

    # ---- recording and draining ----------------------------------------------------------------------

    def record(self, stream: str, kind: str, data: str) -> None:
        self.seq[stream] += 1
        now = time.time()
        self.held[stream].append((self.seq[stream], int(now * 1000), int(time.monotonic() * 1000), kind, data))
        self.recorded += 1

    def tick(self, now: float, recording: bool) -> None:
        if self.client is None:
            if now >= self.next_connect:
                self.connect(now)
            return
        if recording and now >= self.next_event:
            self.next_event = now + random.expovariate(1 / EVENT_EVERY_S)
            self.record("ui", "ui.tap", '{"screen":"home","control":"c%d"}' % random.randrange(9))
        if recording and now >= self.next_heartbeat:
            self.next_heartbeat = now + HEARTBEAT_EVERY_S
            self.record("hw", "printer.paper", '{"state":"ok"}')
        if now >= self.next_send and self.connected:
            self.next_send = now + SEND_EVERY_S
            self._drain(now)

    def _drain(self, now: float) -> None:
        for stream in STREAMS:
            inflight = self.inflight[stream]
            if inflight and now - inflight[0][1] > ACK_TIMEOUT_S:
                self._rewind()
        if not self.server_online:
            return
        for stream in STREAMS:
            while len(self.inflight[stream]) < WINDOW:
                events = [e for e in self.held[stream] if e[0] >= self.cursor[stream]][:BATCH_MAX]
                if not events:
                    break
                base = self.held[stream][0][0]
                payload = protocol.encode_batch(stream, self.epoch, base, "sim", events, protocol.ClockState())
                self.client.publish(self.topics.tel(stream), payload, qos=1)
                self.inflight[stream].append((events[-1][0], now))
                self.cursor[stream] = events[-1][0] + 1

    @property
    def outstanding(self) -> int:
        return sum(len(h) for h in self.held.values())


class SimFleet:
    """A few threads, each driving its share of simulated kiosks through one selector."""

    def __init__(self, kids: list[str], port: int, schedule: Callable[[], ReconnectSchedule | AttemptJitter]) -> None:
        self.kiosks = [SimKiosk(kid, port, self, schedule()) for kid in kids]
        self.latencies: list[float] = []
        """Seconds from a batch's publish to the ack covering it, for every batch acked while in flight."""
        self.backlog: list[int] = []
        """Events recorded and not yet acked, fleet-wide, once a second while the pass runs."""
        self.recording = True
        self.stopping = threading.Event()
        self._selectors: dict[int, selectors.DefaultSelector] = {}
        self._threads: list[threading.Thread] = []

    def register(self, kiosk: SimKiosk) -> None:
        kiosk.fd = kiosk.client.socket().fileno()
        self._selectors[threading.get_ident()].register(kiosk.fd, selectors.EVENT_READ, kiosk)

    def unregister(self, kiosk: SimKiosk) -> None:
        """Forget the kiosk's socket by the fd it was registered with (paho may have closed it already)."""
        self._selectors[threading.get_ident()].unregister(kiosk.fd)

    def start(self) -> None:
        threading.Thread(target=self._sample_backlog, name="sim-backlog", daemon=True).start()
        for index in range(THREADS):
            share = self.kiosks[index::THREADS]
            thread = threading.Thread(target=self._run, args=(share,), name=f"sim-{index}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self._threads:
            thread.join(30)

    def _sample_backlog(self) -> None:
        while not self.stopping.wait(1.0):
            self.backlog.append(sum(k.outstanding for k in self.kiosks))

    def _run(self, share: list[SimKiosk]) -> None:
        selector = self._selectors[threading.get_ident()] = selectors.DefaultSelector()
        start = time.monotonic()
        for position, kiosk in enumerate(share):
            kiosk.next_connect = start + position * 0.004
        while not self.stopping.is_set():
            for key, _mask in selector.select(timeout=0.05):
                kiosk = key.data
                if kiosk.client is not None and kiosk.client.loop_read() != mqtt.MQTT_ERR_SUCCESS:
                    kiosk.lost(time.monotonic())
            now = time.monotonic()
            for kiosk in share:
                kiosk.tick(now, self.recording)
                client = kiosk.client
                if client is None:
                    continue
                if client.want_write() and client.loop_write() != mqtt.MQTT_ERR_SUCCESS:
                    kiosk.lost(now)
                elif client.loop_misc() != mqtt.MQTT_ERR_SUCCESS:
                    kiosk.lost(now)
        for kiosk in share:
            if kiosk.client is not None:
                kiosk.client.disconnect()
                kiosk.lost(time.monotonic())


def _spread(fleet: SimFleet, down_at: float, up_at: float) -> dict[str, float]:
    """Seconds from `up_at` until each kiosk's first CONNACK after `down_at`: p50, p99, max, and the busiest second."""
    back = sorted(next(t for t in k.connack_at if t > down_at) - up_at for k in fleet.kiosks)
    return {"p50": round(back[len(back) // 2], 2), "p99": round(back[min(len(back) - 1, int(len(back) * 0.99))], 2),
            "max": round(back[-1], 2), "peak_per_s": max(Counter(int(t) for t in back).values())}


def _broker_back(fleet: SimFleet, broker: Broker, outage_s: float) -> tuple[dict[str, float], float]:
    """Stop the broker, keep it down `outage_s`, start it; wait for every kiosk. Returns the spread and the
    seconds it was down."""
    connected = lambda: all(k.connected and k.connack_at[-1] > down_at for k in fleet.kiosks)  # noqa: E731
    broker.stop()
    down_at = time.monotonic()
    threading.Event().wait(outage_s)
    broker.start()
    up_at = time.monotonic()
    wait_until(connected, timeout_s=900, what="every kiosk reconnected", poll_s=0.05)
    return _spread(fleet, down_at, up_at), round(up_at - down_at, 2)


def _stored(target: str) -> tuple[list[tuple[str, str, int, int]], int]:
    """Every (kid, stream, epoch, seq) the console stored, as often as it is stored, and the kiosks it has online;
    read as the pass's own console code left the store (not migrated by this tree's)."""
    engine = create_engine(url_of(target))
    try:
        with engine.connect() as c:
            return (query(c, "SELECT kid, stream, epoch, seq FROM events"),
                    query(c, "SELECT COUNT(*) FROM kiosks WHERE online = 1")[0][0])
    finally:
        engine.dispose()


def store_capacity(target: str, writers: int, events: int = 200_000) -> float:
    """Events per second `writers` threads commit into the store at `target`, each with its own connection and its
    own kiosks' 100-event batches, in runs of 20 batches per transaction."""
    per_writer = events // writers // 100
    work = []
    for w in range(writers):
        runs, items = [], []
        for n in range(per_writer):
            kid, seq = f"w{w}-k{n % 50:03d}", n // 50 * 100 + 1
            batch = protocol.encode_batch("ui", 1, 1, "b", [(q, 1_790_000_000_000 + q, q, "ui.tap",
                                                            '{"screen":"home","control":"c1"}')
                                                           for q in range(seq, seq + 100)], protocol.ClockState())
            items.append((protocol.parse_topic(protocol.Topics(REGION, kid).tel("ui")),
                          protocol.decode(protocol.Kind.TELEMETRY, batch), 0))
            if len(items) == 20:
                runs.append(items)
                items = []
        work.append(runs + ([items] if items else []))
    dbs = [open_store(target) for _ in range(writers)]
    for db in dbs:
        db.start()
    threads = [threading.Thread(target=lambda db=db, runs=runs: [db.call(lambda c, r=r: store.ingest(c, r))
                                                                 for r in runs]) for db, runs in zip(dbs, work)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for db in dbs:
        db.stop()
    return round(per_writer * writers * 100 / elapsed)


def console_code(revision: str | None, tmp: Path) -> Path:
    """Where console processes run from (their working directory, first on their path): this tree, or a copy of
    `revision`'s kiosk package beside this tree's tests."""
    if revision is None:
        return REPO_ROOT
    root = tmp / "code"
    root.mkdir()
    archive = subprocess.run(["git", "archive", revision, "kiosk", ":(exclude)kiosk/content/audio",
                              ":(exclude)kiosk/ui"], cwd=REPO_ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    (root / "tests").symlink_to(REPO_ROOT / "tests")
    return root


def _python(code: Path, *argv: str, **options) -> subprocess.Popen:
    """`python -m …` run from `code`, so that its kiosk package is the one imported."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.Popen([sys.executable, "-m", *argv], cwd=code, env=environment, text=True, **options)


def _capacity(code: Path, target: str, writers: int) -> int:
    """`store_capacity` by the console code at `code`."""
    process = _python(code, "tests.bench.fleet_scale", "--capacity", target, "--workers", str(writers),
                      stdout=subprocess.PIPE)
    out, _ = process.communicate(timeout=600)
    return json.loads(out)


def _quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values) or [0.0]
    return {"p50": round(ordered[len(ordered) // 2], 2),
            "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2), "max": round(ordered[-1], 2)}


def run_pass(schedule: Callable[[], ReconnectSchedule | AttemptJitter], args: argparse.Namespace,
             db: str = "", workers: int = 1, revision: str | None = None) -> dict:
    """One pass with a fresh broker, `workers` consoles on `db` (a new SQLite file when empty) running the console
    code of `revision` (None: this tree), and a fleet whose kiosks reconnect by `schedule`."""
    kids = [f"k-{i:05d}" for i in range(args.kiosks)]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        code = console_code(revision, tmp)
        db = db or str(tmp / "console.db")
        broker = Broker(tmp / "broker", kids)
        broker.start()
        consoles = [_python(code, "tests.integration.fleet.console_process", db, str(broker.port), "0",
                            f"fleet-ingest-{n}", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                    for n in range(1, workers + 1)]
        fleet = SimFleet(kids, broker.port, schedule)
        held = lambda: sum(k.connected for k in fleet.kiosks)  # noqa: E731
        drained = lambda: all(k.outstanding == 0 for k in fleet.kiosks)  # noqa: E731
        try:
            for console in consoles:
                assert console.stdout.readline().split()[0] == "online"
            started = time.monotonic()
            fleet.start()
            wait_until(lambda: held() == args.kiosks, timeout_s=120, what="every kiosk connected", poll_s=0.1)
            threading.Event().wait(args.before_s)
            held_before = held()
            restart, restart_down_s = _broker_back(fleet, broker, 0.0)
            threading.Event().wait(args.between_s)
            outage, outage_down_s = _broker_back(fleet, broker, args.outage_s)
            threading.Event().wait(args.after_s)
            fleet.recording = False
            backlog_at_end = sum(k.outstanding for k in fleet.kiosks)
            drain_from = time.monotonic()
            with contextlib.suppress(AssertionError):   # a pass that does not drain reports `unacked` below
                wait_until(drained, timeout_s=DRAIN_TIMEOUT_S, what="every event acked", poll_s=0.1)
            finished = time.monotonic()
            unacked = sum(k.outstanding for k in fleet.kiosks)
            held_end = held()
        finally:
            for console in consoles:
                console.stdin.close()
            for console in consoles:
                console.wait(timeout=60)
            fleet.stop()
            broker.stop()
        stored, online = _stored(db)
        capacity = _capacity(code, db if "://" in db else str(tmp / "capacity.db"), workers)
    recorded = {(k.kid, stream, k.epoch, seq) for k in fleet.kiosks for stream in STREAMS
                for seq in range(1, k.seq[stream] + 1)}
    distinct = set(stored)
    latency = _quantiles(fleet.latencies)
    return {
        "console_code": revision or "working tree",
        "outage_reconnect_p50_s": outage["p50"], "outage_reconnect_p99_s": outage["p99"],
        "outage_reconnect_max_s": outage["max"], "outage_reconnect_peak_per_s": outage["peak_per_s"],
        "broker_down_s": outage_down_s, "reconnect_after_restart_s": restart, "restart_down_s": restart_down_s,
        "connections_held_before_restart": held_before, "connections_held_at_end": held_end,
        "online_in_console_presence": online, "events_recorded": len(recorded), "events_stored": len(stored),
        "events_lost": len(recorded - distinct), "events_duplicated": len(stored) - len(distinct),
        "events_unknown": len(distinct - recorded), "workers": workers,
        "events_stored_per_s": round(len(distinct) / (finished - started)),
        "backlog_mean_events": round(sum(fleet.backlog) / max(1, len(fleet.backlog))),
        "backlog_max_events": max(fleet.backlog, default=0), "backlog_at_end_of_traffic_events": backlog_at_end,
        "ingest_latency_p50_s": latency["p50"], "ingest_latency_p99_s": latency["p99"],
        "ingest_latency_max_s": latency["max"], "batches_acked": len(fleet.latencies),
        "drained": unacked == 0, "unacked_after_drain_timeout": unacked,
        "final_drain_s": round(finished - drain_from, 2), "store_capacity_events_per_s": capacity,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosks", type=int, default=1000)
    parser.add_argument("--before-s", type=float, default=15.0, help="seconds of traffic before the restart")
    parser.add_argument("--between-s", type=float, default=STABLE_LINK_S + 5,
                        help="seconds of traffic between the restart and the outage")
    parser.add_argument("--outage-s", type=float, default=30.0, help="seconds the broker stays down")
    parser.add_argument("--after-s", type=float, default=15.0, help="seconds of traffic after the outage")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: compare --workers consoles on PostgreSQL, with this tree's console code "
                             "and --baseline's, with one on SQLite")
    parser.add_argument("--workers", type=int, default=2, help="console processes on PostgreSQL")
    parser.add_argument("--baseline", default=BASELINE_REVISION, help="git revision of the baseline console code")
    parser.add_argument("--code", help="git revision of the other passes' console code (default: this tree)")
    parser.add_argument("--capacity", metavar="TARGET", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capacity:
        print(json.dumps(store_capacity(args.capacity, args.workers)))
        return
    if args.db == "postgresql":
        server = PostgresServer(durable=True).start()
        try:
            shared = run_pass(agent_schedule, args, server.database(), args.workers, args.code)
            before = run_pass(agent_schedule, args, server.database(), args.workers, args.baseline)
            with tempfile.TemporaryDirectory() as name:
                capacity_one = _capacity(console_code(args.code, Path(name)), server.database(), 1)
        finally:
            server.stop()
        single = run_pass(agent_schedule, args, revision=args.code)
        print(json.dumps({"kiosks": args.kiosks, "threads": THREADS, "outage_s": args.outage_s, "db": "postgresql",
                          **shared, "store_capacity_one_writer_events_per_s": capacity_one, "baseline": before,
                          "sqlite": single}))
        return
    passes = {name: run_pass(schedule, args, revision=args.code) for name, schedule in SCHEDULES.items()}
    print(json.dumps({"kiosks": args.kiosks, "threads": THREADS, "outage_s": args.outage_s,
                      "goal_outage_reconnect_p99_s": GOAL_OUTAGE_P99_S, **passes.pop("agent"),
                      "baseline": passes["baseline"]}))


if __name__ == "__main__":
    main()
