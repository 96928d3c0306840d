"""The kiosk's fleet agent: one thread that owns the MQTT link (paho 2.x, MQTT 5) and everything said over it.

Why: paho's thread safety is "aimed for, not guaranteed" (research §4 #11), so exactly one thread, this
agent's, ever touches the client: it runs paho's network loop itself, and paho's callbacks only append to the
agent's inbox, which the same thread works off between loop passes. It connects with a fresh session counter
in the Will, announces itself in the order of §3.3, drains the outbox only while the server says it is online,
applies desired configuration atomically, and runs allow-listed commands with two-phase replies.

This is the only kiosk module that imports paho.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.config.schema import FleetConfig, KioskIdentity
from kiosk.core.clock import Clock
from kiosk.core.credentials import FLEET_TLS_KEY, MQTT_PASSWORD, credential_path
from kiosk.core.ids import new_id
from kiosk.fleet import device_store, protocol, tcp
from kiosk.fleet.content_job import ContentInstaller
from kiosk.fleet.desired import DesiredRejected
from kiosk.fleet.outbox import Outbox
from kiosk.fleet.protocol import Code, Kind, Rejected
from kiosk.fleet.reconnect import ReconnectSchedule
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)


SOFTWARE = "legal-kiosk"
LOOP_TICK_S = 0.02
"""Seconds one pass of paho's network loop may wait for the socket; bounds the latency of inbox work."""

CommandHandler = Callable[[protocol.NoArgs], Mapping[str, Any]]
"""A lead-supplied command: takes the validated args, returns a small JSON-able result; raising Rejected
carries its code (e.g. 503 printer offline), any other exception is a 500."""


@dataclass(frozen=True, slots=True)
class Collaborators:
    """What the composition root supplies to the agent (callables run on the agent or command thread)."""

    apply_desired: Callable[[dict], None]
    """Make a desired document the kiosk's fleet layer (kiosk.fleet.desired); raise DesiredRejected (or anything) to
    refuse it, and the old one stays."""
    is_idle: Callable[[], bool]
    """True when no citizen session is in progress (commands that need the kiosk idle are refused with 409)."""
    handlers: Mapping[str, CommandHandler]
    """Handlers of reboot, restart_app, screenshot, upload_logs, printer_test, reader_test (by name)."""
    inventory: Callable[[], Mapping[str, str | int | float | bool | None]] = dict
    """Hardware inventory for the birth (printer model and state, reader, screen)."""
    install_content: Callable[[Path], object] | None = None
    """Load and validate a content pack directory and make it current for new sessions, raising if it is not
    valid (ConsultationService.install); None = this kiosk refuses content jobs."""


class FleetAgent:
    """The device side of the fleet protocol; `start()` spawns its thread, `stop()` says goodbye and joins."""

    BUILTIN = frozenset({"ping", "rebirth", "resend", "time_sync", "new_epoch"})

    def __init__(self, fleet: FleetConfig, identity: KioskIdentity, *, db: Database, outbox: Outbox,
                 clock: Clock, boot_id: str, sw_version: str, collaborators: Collaborators) -> None:
        unknown = set(collaborators.handlers) - set(protocol.COMMANDS)
        if unknown or set(collaborators.handlers) & self.BUILTIN:
            raise ValueError(f"handlers outside the allow-list or shadowing built-ins: {sorted(unknown)}")
        self._cfg = fleet
        self._topics = protocol.Topics(identity.region, identity.id)
        self._kid = identity.id
        self._db = db
        self._outbox = outbox
        self._clock = clock
        self._boot_id = boot_id
        self._sw_version = sw_version
        self._c = collaborators
        self._inbox: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self._commands: ThreadPoolExecutor | None = None
        self._jobs: ThreadPoolExecutor | None = None
        self._content = (ContentInstaller(Path(fleet.content_dir), Path(fleet.content_key_file),
                                          collaborators.install_content)
                         if collaborators.install_content is not None else None)
        self._job_running: tuple[str, int] | None = None
        self._client: mqtt.Client | None = None
        self._connected = False
        self._server_online = False
        self._session = 0
        self._reconnect = ReconnectSchedule(fleet.reconnect_base_s, fleet.reconnect_window_s, fleet.reconnect_cap_s)
        self._next_connect_mono = 0.0
        self._applied_version = 0
        self._rejected_version = 0
        self._rejected_errors: list[str] = []
        self._cursor: dict[str, int] = {}
        self._sent: dict[str, tuple[int, int]] = {}
        """(epoch, highest seq published) per stream: an ack never releases more than this (a forged or confused
        ack must not let the outbox drop events that never left the kiosk)."""
        self._inflight: dict[str, deque[tuple[int, float]]] = {s: deque() for s in protocol.STREAMS}
        self._tokens = float(fleet.batches_in_flight)
        self._tokens_at = 0.0
        self._time_request: tuple[str, int] | None = None
        self._offset_ms: int | None = None
        self._rtt_ms: int | None = None
        self.counters = {"rejected": 0, "publish_failed": 0, "connects": 0, "batches_sent": 0, "resends": 0,
                         "acks_beyond_sent": 0, "new_epochs": 0}
        """Health figures for the maintenance menu and the birth."""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load persisted fleet state and start the agent thread (the first connect is jittered)."""
        if self._thread is not None:
            return
        self._applied_version = self._db.call(device_store.applied_desired)[0]
        self._rejected_version, self._rejected_errors = self._db.call(device_store.rejected_desired)
        self._commands = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fleet-cmd")
        self._jobs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fleet-job")
        self._next_connect_mono = self._clock.monotonic() + random.uniform(0, self._cfg.start_jitter_s)
        self._stop_requested.clear()
        self._thread = threading.Thread(target=self._run, name="fleet-agent", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Publish `online:false, reason:shutdown`, disconnect cleanly and join the thread."""
        if self._thread is None:
            return
        self._stop_requested.set()
        self._wake.set()
        self._thread.join(timeout_s)
        self._thread = None
        for pool in (self._commands, self._jobs):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    def status(self) -> dict[str, Any]:
        """A snapshot for the maintenance menu (read from any thread; values may be a tick old)."""
        return {"connected": self._connected, "server_online": self._server_online, "session": self._session,
                "applied_version": self._applied_version, "clock_offset_ms": self._offset_ms,
                "streams": {k: p.model_dump() for k, p in self._outbox.positions().items()},
                **self.counters}

    def _post(self, *item: Any) -> None:
        """Hand work to the agent thread (used by paho callbacks and the command worker)."""
        self._inbox.put(item)
        self._wake.set()

    # ---- the agent thread --------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop_requested.is_set():
                self._work_inbox()
                if self._client is None:
                    delay = self._next_connect_mono - self._clock.monotonic()
                    if delay <= 0:
                        self._connect()
                    else:
                        self._wake.wait(min(delay, 1.0))
                        self._wake.clear()
                    continue
                rc = self._client.loop(LOOP_TICK_S)
                tcp.acknowledge_now(self._client.socket())
                if rc != mqtt.MQTT_ERR_SUCCESS:
                    self._lost(f"network loop: {mqtt.error_string(rc)}")
                    continue
                self._work_inbox()
                if self._connected:
                    self._check_ack_timeouts()
                    self._drain()
        finally:
            self._goodbye()

    def _work_inbox(self) -> None:
        while True:
            try:
                item = self._inbox.get_nowait()
            except queue.Empty:
                return
            kind, *args = item
            try:
                getattr(self, f"_on_{kind}")(*args)
            except Exception:
                logger.exception("fleet agent failed on %s", kind)

    # ---- connection --------------------------------------------------------------------------------------

    def _password(self) -> str | None:
        path = credential_path(MQTT_PASSWORD, self._cfg.password_file)
        return Path(path).read_text(encoding="utf-8").strip() if path else None

    def _connect(self) -> None:
        self._session = self._db.call(device_store.next_session)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self._kid, protocol=mqtt.MQTTv5)
        try:
            client.username_pw_set(self._cfg.username or self._kid, self._password())
            if self._cfg.tls:
                client.tls_set(ca_certs=self._cfg.ca_file, certfile=self._cfg.cert_file,
                               keyfile=credential_path(FLEET_TLS_KEY, self._cfg.key_file))
            will = protocol.State(online=False, sess=self._session, reason="lwt")
            client.will_set(self._topics.state, protocol.encode(will), qos=protocol.QOS, retain=True)
            client.max_inflight_messages_set(self._cfg.batches_in_flight + 16)
            client.on_connect = lambda _c, _u, _f, rc, _p: self._post("connack", rc.is_failure, str(rc))
            client.on_disconnect = lambda _c, _u, _f, rc, _p: self._post("disconnect", str(rc))
            client.on_message = lambda _c, _u, msg: self._post("message", msg.topic, msg.payload)
            client.on_socket_open = lambda _c, _u, sock: tcp.send_small_packets_now(sock)
            client.on_publish = lambda _c, _u, _mid, rc, _p: self._post("puback", rc.is_failure, str(rc))
            client.connect(self._cfg.host, self._cfg.port, keepalive=self._cfg.keepalive_s, clean_start=True)
        except (OSError, ValueError) as exc:
            self._schedule_reconnect(f"connect: {exc}")
            return
        self._client = client
        self.counters["connects"] += 1

    def _schedule_reconnect(self, why: str) -> None:
        now = self._clock.monotonic()
        delay = self._reconnect.next_delay_s(now)
        self._next_connect_mono = now + delay
        logger.info("fleet link down (%s); reconnecting in %.1f s", why, delay)

    def _lost(self, why: str) -> None:
        if self._client is None:
            return
        try:
            self._client.disconnect()
        except (OSError, ValueError):
            logger.debug("disconnect after loss failed", exc_info=True)
        self._client = None
        self._connected = False
        self._server_online = False
        self._schedule_reconnect(why)

    def _on_connack(self, failed: bool, reason: str) -> None:
        if failed:
            self._lost(f"refused: {reason}")
            return
        self._connected = True
        self._reconnect.connected(self._clock.monotonic())
        self._server_online = False
        for topic in self._topics.subscriptions:
            self._client.subscribe(topic, qos=protocol.QOS)
        state = protocol.State(online=True, sess=self._session, ts=self._now_ms(), boot=self._boot_id)
        self._publish(self._topics.state, protocol.encode(state), retain=True)
        self._publish_birth()
        self._request_time()
        self._rewind_all()

    def _on_disconnect(self, reason: str) -> None:
        self._lost(f"disconnected: {reason}")

    def _on_puback(self, failed: bool, reason: str) -> None:
        if failed:
            self.counters["publish_failed"] += 1
            logger.warning("broker refused a publish: %s", reason)

    def _publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        if self._client is None:
            logger.debug("not connected; dropped a %d-byte message to %s", len(payload), topic)
            return
        self._client.publish(topic, payload, qos=protocol.QOS, retain=retain)

    def _goodbye(self) -> None:
        client = self._client
        if client is None or not self._connected:
            return
        state = protocol.State(online=False, sess=self._session, ts=self._now_ms(), reason="shutdown")
        info = client.publish(self._topics.state, protocol.encode(state), qos=protocol.QOS, retain=True)
        deadline = self._clock.monotonic() + 2.0
        while not info.is_published() and self._clock.monotonic() < deadline:
            if client.loop(LOOP_TICK_S) != mqtt.MQTT_ERR_SUCCESS:
                break
        client.disconnect()
        self._client = None
        self._connected = False

    # ---- announcements and clock -------------------------------------------------------------------------

    def _now_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)

    def _server_now_ms(self) -> int:
        return self._now_ms() + (self._offset_ms or 0)

    def _clock_state(self) -> protocol.ClockState:
        return protocol.ClockState(synced=self._offset_ms is not None, offset_ms=self._offset_ms,
                                   rtt_ms=self._rtt_ms)

    def _publish_birth(self) -> None:
        hw = dict(self._c.inventory())
        hw["outbox_unwritten_dropped"] = self._outbox.unwritten_dropped
        hw["outbox_window_ms_max"] = self._outbox.window_ms_max
        birth = protocol.Birth(sess=self._session, boot=self._boot_id, sw=f"{SOFTWARE} {self._sw_version}",
                               minors=list(range(1, protocol.MINOR + 1)), hw=hw,
                               desired_version=self._applied_version, streams=self._outbox.positions(),
                               clk=self._clock_state())
        self._publish(self._topics.up("birth"), protocol.encode(birth))

    def _request_time(self) -> None:
        rid = new_id()
        t0 = self._now_ms()
        self._time_request = (rid, t0)
        self._publish(self._topics.up("req"), protocol.encode(protocol.Request(rid=rid, name="time", t0=t0)))

    # ---- inbound -----------------------------------------------------------------------------------------

    def _on_message(self, topic: str, payload: bytes) -> None:
        self.handle(topic, payload)

    def handle(self, topic: str, payload: bytes) -> None:
        """Validate and act on one inbound message; anything refused is counted, logged, and answered if owed."""
        ref: protocol.TopicRef | None = None
        try:
            ref = protocol.parse_topic(topic)
            if ref.kind not in protocol.DEVICE_INBOUND:
                raise Rejected(f"{ref.kind.value} is not for a kiosk")
            if ref.kind is not Kind.SERVER_STATE and (ref.region != self._topics.region
                                                      or ref.kid not in (self._kid, protocol.ALL_KIOSKS)):
                raise Rejected(f"topic of another kiosk: {topic[:120]!r}")
            message = protocol.decode(ref.kind, payload)
        except Rejected as exc:
            self.counters["rejected"] += 1
            logger.warning("refused inbound message on %.120r: %s", topic, exc.reason)
            if ref is not None and ref.kind is Kind.COMMAND and exc.reply_id:
                self._reply(exc.reply_id, "", "final", exc.code, error=exc.reason)
            return
        {Kind.SERVER_STATE: self._on_server_state, Kind.DESIRED: self._on_desired, Kind.COMMAND: self._on_command,
         Kind.ACK: self._on_ack, Kind.RESPONSE: self._on_response, Kind.JOB: self._on_job}[ref.kind](message)

    def _on_server_state(self, state: protocol.ServerState) -> None:
        was_online, self._server_online = self._server_online, state.online
        if state.online and not was_online:
            self._rewind_all()

    def _on_response(self, response: protocol.Response) -> None:
        if self._time_request is None or response.rid != self._time_request[0]:
            return
        if response.t1 is None or response.t2 is None:
            return
        t0, t3 = self._time_request[1], self._now_ms()
        self._offset_ms = round(((response.t1 - t0) + (response.t2 - t3)) / 2)
        self._rtt_ms = max(0, (t3 - t0) - (response.t2 - response.t1))
        self._time_request = None

    def _on_desired(self, desired: protocol.Desired) -> None:
        if desired.version <= self._applied_version:
            return
        if desired.version == self._rejected_version:
            self._report(desired.version, "rejected", self._rejected_errors)
            return
        try:
            self._c.apply_desired(desired.config)
        except DesiredRejected as exc:
            errors = exc.errors
        except Exception as exc:
            errors = [f"apply: {exc}"[:500]]
        else:
            self._db.call(lambda d: device_store.save_applied_desired(d, desired.version, desired.config))
            self._applied_version = desired.version
            self._report(desired.version, "applied", [])
            return
        errors = [e[:500] for e in errors[:50]]
        self._db.call(lambda d: device_store.save_rejected_desired(d, desired.version, errors))
        self._rejected_version, self._rejected_errors = desired.version, errors
        self._report(desired.version, "rejected", errors)

    def _report(self, version: int, status: str, errors: list[str]) -> None:
        reported = protocol.Reported(applied_version=self._applied_version, desired_version=version,
                                     status=status, errors=errors)
        self._publish(self._topics.up("reported"), protocol.encode(reported))

    # ---- content jobs ------------------------------------------------------------------------------------

    def _on_job(self, job: protocol.Job) -> None:
        """Start a new job execution on the job thread; a finished one is only reported again, never rerun."""
        finished = self._db.call(device_store.finished_job)
        if finished is not None and finished[:2] == (job.job, job.exec_ver):
            self._job_report(job.job, job.exec_ver, finished[2], None, finished[3])
            return
        if self._job_running == (job.job, job.exec_ver):
            return
        if self._content is None:
            self._on_job_status(job.job, job.exec_ver, "REJECTED", None, "content jobs not available on this kiosk")
        elif job.expires <= self._server_now_ms():
            self._on_job_status(job.job, job.exec_ver, "TIMED_OUT", None, "job expired before it started")
        else:
            self._job_running = (job.job, job.exec_ver)
            self._job_report(job.job, job.exec_ver, "ACCEPTED", None, None)
            self._jobs.submit(self._content.run, job,
                              lambda status, progress, error: self._post("job_status", job.job, job.exec_ver,
                                                                         status, progress, error))

    def _on_job_status(self, job_id: str, exec_ver: int, status: str, progress: protocol.Progress | None,
                       error: str | None) -> None:
        if status in protocol.JOB_FINAL:
            self._db.call(lambda d: device_store.save_finished_job(d, job_id, exec_ver, status, error))
            if self._job_running == (job_id, exec_ver):
                self._job_running = None
        self._job_report(job_id, exec_ver, status, progress, error)

    def _job_report(self, job_id: str, exec_ver: int, status: str, progress: protocol.Progress | None,
                    error: str | None) -> None:
        report = protocol.JobStatus(job=job_id, exec_ver=exec_ver, status=status, progress=progress, error=error)
        self._publish(self._topics.up("job"), protocol.encode(report))

    # ---- commands ----------------------------------------------------------------------------------------

    def _reply(self, command_id: str, name: str, phase: str, code: Code, result: Mapping[str, Any] | None = None,
               error: str | None = None) -> None:
        reply = protocol.encode(protocol.CommandResult(id=command_id, phase=phase, code=code,
                                                       result=dict(result or {}), error=error))
        if name:
            received = self._now_ms()
            self._db.call(lambda d: device_store.save_command_reply(d, command_id, name, received, phase,
                                                                    int(code), reply))
        self._publish(self._topics.up("res"), reply)

    def _on_command(self, command: protocol.Command) -> None:
        stored = self._db.call(lambda d: device_store.command_reply(d, command.id))
        if stored is not None:
            self._publish(self._topics.up("res"), stored[1])
            return
        try:
            spec, args = protocol.command_args(command, self._server_now_ms())
        except Rejected as exc:
            self._reply(command.id, command.name, "final", exc.code, error=exc.reason)
            return
        if (spec.requires_idle or command.requires_idle) and not self._c.is_idle():
            self._reply(command.id, command.name, "final", Code.CONFLICT, error="a citizen session is in progress")
            return
        if command.name in self.BUILTIN:
            self._reply(command.id, command.name, "accepted", Code.ACCEPTED)
            result = getattr(self, f"_cmd_{command.name}")(args)
            self._reply(command.id, command.name, "final", Code.OK, result)
            return
        handler = self._c.handlers.get(command.name)
        if handler is None:
            self._reply(command.id, command.name, "final", Code.UNAVAILABLE, error="not available on this kiosk")
            return
        self._reply(command.id, command.name, "accepted", Code.ACCEPTED)
        self._commands.submit(self._run_handler, command.id, command.name, handler, args)

    def _run_handler(self, command_id: str, name: str, handler: CommandHandler, args: protocol.NoArgs) -> None:
        """On the command thread: run a lead-supplied handler and post the outcome back to the agent thread."""
        try:
            result = dict(handler(args))
        except Rejected as exc:
            self._post("command_done", command_id, name, exc.code, {}, exc.reason)
        except Exception as exc:
            logger.exception("command %s failed", name)
            self._post("command_done", command_id, name, Code.FAILED, {}, str(exc)[:500])
        else:
            self._post("command_done", command_id, name, Code.OK, result, None)

    def _on_command_done(self, command_id: str, name: str, code: Code, result: dict, error: str | None) -> None:
        self._reply(command_id, name, "final", code, result, error)

    def _cmd_ping(self, _args: protocol.NoArgs) -> dict[str, Any]:
        return {"pong": True, "t": self._now_ms(), "session": self._session}

    def _cmd_rebirth(self, _args: protocol.NoArgs) -> dict[str, Any]:
        self._publish_birth()
        return {"session": self._session}

    def _cmd_time_sync(self, _args: protocol.NoArgs) -> dict[str, Any]:
        self._request_time()
        return {"offset_ms": self._offset_ms}

    def _cmd_resend(self, args: protocol.ResendArgs) -> dict[str, Any]:
        self._inflight[args.stream].clear()
        self._cursor[args.stream] = args.from_seq
        self.counters["resends"] += 1
        return {"stream": args.stream, "from_seq": args.from_seq}

    def _cmd_new_epoch(self, args: protocol.NewEpochArgs) -> dict[str, Any]:
        """The server found this stream rewound (seqs reused after a restore): continue in a fresh epoch."""
        position = self._outbox.new_epoch(args.stream, args.epoch, args.from_seq)
        if position is None:
            return {"stream": args.stream, "epoch": self._outbox.positions()[args.stream].epoch, "moved": 0}
        logger.warning("server asked for a new %s epoch from seq %d: %d held events continue as epoch %d",
                       args.stream, args.from_seq, position.backlog, position.epoch)
        self.counters["new_epochs"] += 1
        self._inflight[args.stream].clear()
        self._cursor[args.stream] = 1
        self._sent.pop(args.stream, None)
        self._publish_birth()
        return {"stream": args.stream, "epoch": position.epoch, "moved": position.backlog}

    # ---- telemetry ---------------------------------------------------------------------------------------

    def _rewind_all(self) -> None:
        """Go back to the last ack on every stream: anything unacked may have been lost (§3.4)."""
        for stream, position in self._outbox.positions().items():
            self._cursor[stream] = position.acked_seq + 1
            self._inflight[stream].clear()

    def _on_ack(self, ack: protocol.Ack) -> None:
        for stream, stream_ack in ack.acks.items():
            sent_epoch, sent = self._sent.get(stream, (0, 0))
            upto = min(stream_ack.upto, sent if sent_epoch == stream_ack.epoch else 0)
            if not self._outbox.ack(stream, stream_ack.epoch, upto):
                continue
            if upto < stream_ack.upto:
                self.counters["acks_beyond_sent"] += 1
                logger.warning("ack of %s up to %d but only %d was sent; released up to %d only", stream,
                               stream_ack.upto, upto, upto)
            inflight = self._inflight[stream]
            while inflight and inflight[0][0] <= upto:
                inflight.popleft()
            self._cursor[stream] = max(self._cursor.get(stream, 1), upto + 1)

    def _check_ack_timeouts(self) -> None:
        now = self._clock.monotonic()
        for stream, inflight in self._inflight.items():
            if inflight and now - inflight[0][1] > self._cfg.ack_timeout_s:
                logger.info("no ack on %s for %.0f s; resending from the last ack", stream, self._cfg.ack_timeout_s)
                self.counters["resends"] += 1
                inflight.clear()
                self._cursor[stream] = self._outbox.positions()[stream].acked_seq + 1

    def _take_token(self) -> bool:
        now = self._clock.monotonic()
        self._tokens = min(float(self._cfg.batches_in_flight),
                           self._tokens + (now - self._tokens_at) * self._cfg.batches_per_s)
        self._tokens_at = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    def _drain(self) -> None:
        """Send batches while the server is online, the window has room and the rate limit allows."""
        if not self._server_online:
            return
        positions = self._outbox.positions()
        for stream in protocol.STREAMS:
            position = positions.get(stream)
            while position is not None:
                cursor = self._cursor.get(stream, position.acked_seq + 1)
                if cursor > position.last_seq:
                    break
                if sum(len(q) for q in self._inflight.values()) >= self._cfg.batches_in_flight:
                    return
                if not self._take_token():
                    return
                self._send_batch(stream, cursor)

    def _send_batch(self, stream: str, cursor: int) -> None:
        pending = self._outbox.read(stream, cursor, self._cfg.batch_max_events, protocol.BATCH_MAX_BYTES)
        if not pending.seqs:
            self._cursor[stream] = self._outbox.positions()[stream].last_seq + 1
            return
        self._publish(self._topics.tel(stream), pending.payload(self._clock_state()))
        self._inflight[stream].append((pending.last, self._clock.monotonic()))
        sent_epoch, sent = self._sent.get(stream, (pending.epoch, 0))
        self._sent[stream] = (pending.epoch, max(pending.last, sent if sent_epoch == pending.epoch else 0))
        self._cursor[stream] = pending.last + 1
        self.counters["batches_sent"] += 1
