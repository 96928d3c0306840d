"""`kiosk fleet serve`: the ingestion worker of the reference central server.

Why: telemetry is counted exactly once only if the server commits before it acks, and survives its own and
the broker's restarts only with a persistent session done right (research §4 #9): a fixed client id,
`clean_start=False` on every connect, a session expiry, subscriptions renewed whenever the broker reports no
session, and manual PUBACKs sent after the commit so the broker redelivers what a crash cut off. Uplinks come
through an MQTT 5 shared subscription so several workers can split a clustered broker's load; the retained
`_srv/state` tells kiosks when to drain. Workers share nothing but the store (`store` says how they stay
exactly-once together); a gap's resend is asked for by one of them, whichever finds it due first. The service is
online while any worker is: a worker that hears `_srv/state` say offline (another worker's Will, or its clean
stop) while it is itself connected announces online again.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.core.clock import Clock
from kiosk.fleet import protocol, tcp
from kiosk.fleet.console import store, trust
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.protocol import Kind, Rejected

logger = logging.getLogger(__name__)

SESSION_EXPIRY_S = 7 * 24 * 3600
"""Seconds the broker keeps this worker's session (and queues for it) while the worker is away."""
INGEST_RUN_MAX = {"sqlite": 2000, "postgresql": 500}
"""Messages committed in one transaction at most. SQLite's single writer gains from long runs (fewer commits);
on PostgreSQL a transaction holds the row locks of the kiosks it touched until it commits, so short runs let
several workers interleave instead of queueing behind each other."""
REORDER_TIMEOUT_S = 10.0
"""Seconds a gap may stay open before the server asks the kiosk to resend (Sparkplug's reorder timeout)."""
RESEND_COMMAND_TTL_S = 120
COMMITS_IN_FLIGHT = 2
"""Runs handed to the database and not yet acked, at most (one committing, one waiting)."""
COMMIT_TIMEOUT_S = 60.0

_COMMITTED = object()
"""Queue marker: a commit finished, its acks can go out."""


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    """How a console process reaches the broker as the server principal."""

    host: str = "127.0.0.1"
    port: int = 1883
    username: str = "fleet-ingest"
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None

    def client(self, client_id: str) -> mqtt.Client:
        """A configured MQTT 5 client (not yet connected)."""
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        client.username_pw_set(self.username, self.password)
        if self.ca_file:
            client.tls_set(ca_certs=self.ca_file, certfile=self.cert_file, keyfile=self.key_file)
        return client


def open_store(target, _clock: Clock | None = None) -> ConsoleDB:
    """The console's database (a SQLite file path, or a URL: sqlite:///…, postgresql://…); `start()` opens it."""
    return ConsoleDB(target)


class IngestServer:
    """One ingestion worker; several may run with the same `group` against one broker."""

    def __init__(self, db: ConsoleDB, broker: BrokerSettings, clock: Clock, *, client_id: str = "fleet-ingest-1",
                 group: str = "ingest", reorder_timeout_s: float = REORDER_TIMEOUT_S,
                 replay_tolerance_s: float = trust.REPLAY_TOLERANCE_MS / 1000) -> None:
        """`replay_tolerance_s`: how much older than its predecessors' last event a new epoch's may be (`trust`)."""
        self._db = db
        self._broker = broker
        self._clock = clock
        self._client_id = client_id
        self._group = group
        self._reorder_timeout_s = reorder_timeout_s
        self._run_max = INGEST_RUN_MAX.get(db.dialect, INGEST_RUN_MAX["sqlite"])
        self._replay_tolerance_ms = round(replay_tolerance_s * 1000)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._client: mqtt.Client | None = None
        self._thread: threading.Thread | None = None
        self._gaps: dict[tuple[str, str, str, int], float] = {}
        """(region, kid, stream, epoch) with a gap → when this worker saw it open (monotonic s)."""
        self._commits: deque[tuple[Future, list[tuple[str, bytes, int, int]]]] = deque()
        self.connected = threading.Event()
        self._stopping = threading.Event()
        self.counters = {"messages": 0, "events": 0, "stored": 0, "refused": 0, "commits": 0,
                         "resend_requests": 0, "quarantined": 0}

    def _now_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Once the store is open, connect with the persistent session and start the ingest thread and paho's
        network thread: `online` tells kiosks to drain, so it is announced only when batches can be committed."""
        client = self._broker.client(self._client_id)
        client.manual_ack_set(True)
        client.max_inflight_messages_set(100)
        offline = protocol.ServerState(online=False, ts=self._now_ms())
        client.will_set(protocol.SERVER_STATE_TOPIC, protocol.encode(offline), qos=protocol.QOS, retain=True)
        client.on_connect = self._on_connect
        client.on_disconnect = lambda *_: self.connected.clear()
        client.on_message = self._on_message
        client.on_socket_open = lambda _c, _u, sock: tcp.send_small_packets_now(sock)
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = SESSION_EXPIRY_S
        client.reconnect_delay_set(1, 30)
        client.connect_async(self._broker.host, self._broker.port, keepalive=30, clean_start=False,
                             properties=properties)
        self._client = client
        self._thread = threading.Thread(target=self._run, name="fleet-ingest", daemon=True)
        self._thread.start()
        client.loop_start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Commit what is queued, announce `online:false` and disconnect (the session stays on the broker)."""
        if self._client is None or self._stopping.is_set():
            return
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                logger.warning("ingest still committing after %.0f s; disconnecting: what it has not acked is "
                               "delivered again on the next connect", timeout_s)
        offline = protocol.ServerState(online=False, ts=self._now_ms())
        info = self._client.publish(protocol.SERVER_STATE_TOPIC, protocol.encode(offline), qos=protocol.QOS,
                                    retain=True)
        if self.connected.is_set():
            info.wait_for_publish(timeout=2.0)
        self._client.disconnect()
        self._client.loop_stop()

    def _on_message(self, client: mqtt.Client, _userdata, msg: mqtt.MQTTMessage) -> None:
        """paho's thread: acknowledge the bytes at once (see kiosk.fleet.tcp) and queue the message for ingest."""
        tcp.acknowledge_now(client.socket())
        if msg.topic == protocol.SERVER_STATE_TOPIC:
            client.ack(msg.mid, msg.qos)
            self._on_server_state(client, msg.payload)
            return
        self._queue.put((msg.topic, msg.payload, msg.mid, self._now_ms()))

    def _on_server_state(self, client: mqtt.Client, payload: bytes) -> None:
        """Another worker went away (or a stale retained state says so) while this one serves: announce online."""
        try:
            state = protocol.decode(Kind.SERVER_STATE, payload)
        except Rejected as exc:
            logger.warning("refused server state: %s", exc.reason)
            return
        if not state.online and self.connected.is_set() and not self._stopping.is_set():
            online = protocol.ServerState(online=True, ts=self._now_ms())
            client.publish(protocol.SERVER_STATE_TOPIC, protocol.encode(online), qos=protocol.QOS, retain=True)

    def _on_connect(self, client: mqtt.Client, _userdata, flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            logger.warning("broker refused the console: %s", reason_code)
            return
        if not flags.session_present:
            logger.info("broker kept no session for %s (first start, or it was lost); subscribing afresh",
                           self._client_id)
        self.connected.set()
        client.subscribe([(f"$share/{self._group}/{protocol.ROOT}/+/+/up/#", protocol.QOS),
                          (f"{protocol.ROOT}/+/+/state", protocol.QOS), (protocol.SERVER_STATE_TOPIC, protocol.QOS)])
        online = protocol.ServerState(online=True, ts=self._now_ms())
        client.publish(protocol.SERVER_STATE_TOPIC, protocol.encode(online), qos=protocol.QOS, retain=True)

    # ---- ingest thread -----------------------------------------------------------------------------------

    def _run(self) -> None:
        """Take runs of messages off the queue, decode them, and keep up to COMMITS_IN_FLIGHT commits going.

        Why pipelined: the next run is decoded while the database commits the previous one; acks still go
        out only once their own commit is done, in order.
        """
        while True:
            try:
                item = self._queue.get(timeout=1.0)
            except queue.Empty:
                self._repair_gaps()
                continue
            run: list[tuple[str, bytes, int, int]] = []
            stopping = False
            while True:
                if item is None:
                    stopping = True
                elif item is not _COMMITTED:
                    run.append(item)
                if stopping or len(run) >= self._run_max:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if run:
                self._settle(keep=COMMITS_IN_FLIGHT - 1)
                self._submit(run)
            self._settle(keep=0 if stopping else COMMITS_IN_FLIGHT)
            if stopping:
                return
            self._repair_gaps()

    def _submit(self, run: list[tuple[str, bytes, int, int]]) -> None:
        decoded = []
        for topic, payload, _mid, received_ms in run:
            self.counters["messages"] += 1
            try:
                ref = protocol.parse_topic(topic)
                if ref.kind not in protocol.SERVER_INBOUND:
                    raise Rejected(f"{ref.kind.value} is not for the server")
                message = protocol.decode(ref.kind, payload)
            except Rejected as exc:
                self.counters["refused"] += 1
                logger.warning("refused message on %.120r: %s", topic, exc.reason)
                continue
            if ref.kind is Kind.REQUEST:
                self._answer(ref, message, received_ms)
                continue
            if ref.kind is Kind.TELEMETRY:
                self.counters["events"] += len(message.t)
            decoded.append((ref, message, received_ms))
        future = self._db.submit(lambda d: store.ingest(d, decoded, replay_tolerance_ms=self._replay_tolerance_ms))
        future.add_done_callback(lambda _f: self._queue.put(_COMMITTED))
        self._commits.append((future, run))

    def _settle(self, keep: int) -> None:
        """Finish committed runs in order (acks, gap timers, pending commands); wait while more than `keep`."""
        while self._commits and (self._commits[0][0].done() or len(self._commits) > keep):
            future, run = self._commits.popleft()
            try:
                outcome = future.result(timeout=COMMIT_TIMEOUT_S)
            except Exception:
                logger.exception("ingest of %d messages failed; they stay un-acked for redelivery", len(run))
                continue
            self._committed(outcome, run)

    def _committed(self, outcome: store.Outcome, run: list[tuple[str, bytes, int, int]]) -> None:
        self.counters["commits"] += 1
        self.counters["stored"] += outcome.stored
        self.counters["quarantined"] += outcome.quarantined
        now = self._now_ms()
        for (region, kid), acks in outcome.acks.items():
            ack = protocol.Ack(acks={s: protocol.StreamAck(epoch=e, upto=u) for s, (e, u) in acks.items()},
                               srv_ts=now)
            self._client.publish(protocol.Topics(region, kid).down("ack"), protocol.encode(ack), qos=protocol.QOS)
            for stream, (epoch, _upto) in acks.items():
                self._gaps.pop((region, kid, stream, epoch), None)
        for gap in outcome.gaps:
            self._gaps.setdefault(gap, self._clock.monotonic())
        for region, kid, command in outcome.commands:
            if (region, kid) not in outcome.pending:
                publish_command(self._client, region, kid, protocol.encode(command),
                                max(1, (command.expires - now) // 1000))
        for (region, kid), pending in outcome.pending.items():
            for _cid, envelope, ttl_s in pending:
                publish_command(self._client, region, kid, envelope, ttl_s)
        for _topic, _payload, mid, _received in run:
            self._client.ack(mid, protocol.QOS)

    def _answer(self, ref: protocol.TopicRef, request: protocol.Request, received_ms: int) -> None:
        response = protocol.Response(rid=request.rid, code=protocol.Code.OK, t1=received_ms, t2=self._now_ms(),
                                     srv_ts=self._now_ms())
        self._client.publish(protocol.Topics(ref.region, ref.kid).down("res"), protocol.encode(response),
                             qos=protocol.QOS)

    def _repair_gaps(self) -> None:
        """Ask for a resend of any gap open longer than the reorder timeout, unless another worker just did; on
        the store's writer thread, after the commits queued before it. A failure is logged: the next pass retries."""
        try:
            self._ask_for_resends()
        except Exception:
            logger.exception("gap repair failed; trying again on the next pass")

    def _ask_for_resends(self) -> None:
        now = self._clock.monotonic()
        every_ms = round(self._reorder_timeout_s * 1000)
        for key, since in list(self._gaps.items()):
            if now - since < self._reorder_timeout_s:
                continue
            region, kid, stream, epoch = key
            still_open, command = self._db.submit(lambda c: store.resend_request(
                c, region, kid, stream, epoch, self._now_ms(), every_ms, RESEND_COMMAND_TTL_S)).result(COMMIT_TIMEOUT_S)
            if not still_open:
                self._gaps.pop(key, None)
                continue
            self._gaps[key] = now
            if command is not None:
                publish_command(self._client, region, kid, protocol.encode(command), RESEND_COMMAND_TTL_S)
                self.counters["resend_requests"] += 1


def publish_command(client: mqtt.Client, region: str, kid: str, envelope: bytes, ttl_s: int) -> mqtt.MQTTMessageInfo:
    """Publish a command envelope with a broker-side expiry, so a stale copy is dropped in transit."""
    properties = Properties(PacketTypes.PUBLISH)
    properties.MessageExpiryInterval = int(ttl_s)
    return client.publish(protocol.Topics(region, kid).down("cmd"), envelope, qos=protocol.QOS,
                          properties=properties)
