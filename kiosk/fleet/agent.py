"""The kiosk's fleet agent: one thread that owns the MQTT link and everything said over it.

Why: paho is driven by one thread only (kiosk.fleet.link), so the agent is that thread. It runs the network loop
and, between passes, works off its inbox: paho's callbacks and the command and job threads (kiosk.fleet.worker)
post the function to run there, never act themselves. The agent composes one part per concern, each in its own
module:

- the link: connect, Will and retained state, reconnect schedule, goodbye (kiosk.fleet.link);
- the clock: the server's time measured after every connect (kiosk.fleet.server_clock);
- desired configuration: each version applied once, whole, or refused (kiosk.fleet.desired_apply);
- commands: allow-list, two-phase replies, duplicates answered from the stored reply (kiosk.fleet.commands);
- jobs: content packs installed on their own thread, reported, never rerun (kiosk.fleet.jobs);
- the drain: telemetry sent while the server is online, released only by its ack (kiosk.fleet.drain).

After every connect it announces itself in the order of §3.3 (subscriptions, retained state, birth, time request).
Every inbound message kind and every built-in command has its handler named in one table below.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config.schema import FleetConfig, KioskIdentity
from kiosk.core.clock import Clock
from kiosk.fleet import protocol
from kiosk.fleet.agent_context import AgentContext
from kiosk.fleet.commands import CommandHandler, Commands
from kiosk.fleet.app_update import AppUpdater
from kiosk.fleet.content_job import ContentInstaller
from kiosk.fleet.desired_apply import DesiredApplier
from kiosk.fleet.drain import Drain
from kiosk.fleet.jobs import Jobs
from kiosk.fleet.link import Link, LinkEvents
from kiosk.fleet.outbox import Outbox
from kiosk.fleet.protocol import Kind, Rejected
from kiosk.fleet.server_clock import ServerClock
from kiosk.fleet.worker import Worker
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)

SOFTWARE = "legal-kiosk"
IDLE_WAKE_S = 1.0
"""Seconds the thread sleeps at most while waiting to reconnect (a post or stop wakes it sooner)."""


@dataclass(frozen=True, slots=True)
class Collaborators:
    """What the composition root supplies to the agent (callables run on the agent or command thread)."""

    apply_desired: Callable[[dict], None]
    """Make a desired document the kiosk's fleet layer (kiosk.fleet.desired); raise DesiredRejected (or anything) to
    refuse it, and the old one stays."""
    is_idle: Callable[[], bool]
    """True when no citizen session is in progress (commands that need the kiosk idle are refused with 409)."""
    handlers: Mapping[str, CommandHandler]
    """Handlers of reboot, restart_app, safe_mode, screenshot, upload_logs, printer_test, reader_test (by name)."""
    inventory: Callable[[], Mapping[str, str | int | float | bool | None]] = dict
    """Hardware inventory for the birth (printer model and state, reader, screen)."""
    install_content: Callable[[Path], object] | None = None
    """Load and validate a content pack directory and make it current for new sessions, raising if it is not
    valid (ConsultationService.install); None = this kiosk refuses content jobs."""
    app_update: AppUpdater | None = None
    """Runs app_update jobs (kiosk.fleet.app_update); None = this kiosk refuses them."""


class FleetAgent:
    """The device side of the fleet protocol; `start()` spawns its thread, `stop()` says goodbye and joins."""

    def __init__(self, fleet: FleetConfig, identity: KioskIdentity, *, db: Database, outbox: Outbox,
                 clock: Clock, boot_id: str, sw_version: str, collaborators: Collaborators) -> None:
        topics = protocol.Topics(identity.region, identity.id)
        self._outbox = outbox
        self._boot_id = boot_id
        self._sw_version = sw_version
        self._inventory = collaborators.inventory
        self._inbox: queue.SimpleQueue[tuple[Callable[..., None], tuple]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop_requested = threading.Event()
        self._thread: threading.Thread | None = None
        self._workers = (Worker("fleet-cmd"), Worker("fleet-job"))
        command_worker, job_worker = self._workers
        self._rejected = 0
        """Inbound messages refused (malformed, not for a kiosk, another kiosk's)."""
        self._server_clock = ServerClock(clock)
        self._link = Link(fleet, topics, boot_id, db=db, clock=clock, post=self._post,
                          events=LinkEvents(up=self._on_link_up, down=self._on_link_down, message=self.handle))
        context = AgentContext(topics, self._link, db, self._server_clock, self._post)
        self._context = context
        self._drain = Drain(fleet, context, outbox=outbox, clock=clock, announce=self._publish_birth)
        self._desired = DesiredApplier(context, apply=collaborators.apply_desired)
        content = (ContentInstaller(Path(fleet.content_dir), Path(fleet.content_key_file),
                                    collaborators.install_content)
                   if collaborators.install_content is not None else None)
        self._jobs = Jobs(context, worker=job_worker, content=content, app_update=collaborators.app_update)
        builtins: dict[str, CommandHandler] = {
            "ping": self._cmd_ping,
            "rebirth": self._cmd_rebirth,
            "time_sync": self._cmd_time_sync,
            "resend": self._drain.resend,
            "new_epoch": self._drain.new_epoch,
        }
        refused = (set(collaborators.handlers) - set(protocol.COMMANDS)) | (set(collaborators.handlers) & set(builtins))
        if refused:
            raise ValueError(f"handlers outside the allow-list or shadowing built-ins: {sorted(refused)}")
        self._commands = Commands(context, worker=command_worker, is_idle=collaborators.is_idle, builtins=builtins,
                                  handlers=collaborators.handlers)
        self._inbound: dict[Kind, Callable[[Any], None]] = {
            Kind.SERVER_STATE: self._drain.on_server_state,
            Kind.DESIRED: self._desired.on_desired,
            Kind.COMMAND: self._commands.on_command,
            Kind.ACK: self._drain.on_ack,
            Kind.RESPONSE: self._server_clock.on_response,
            Kind.JOB: self._jobs.on_job,
        }
        """The handler of every message kind a kiosk accepts (protocol.DEVICE_INBOUND)."""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Load persisted fleet state and start the agent thread (the first connect is jittered)."""
        if self._thread is not None:
            return
        self._desired.load()
        for worker in self._workers:
            worker.start()
        self._link.delay_first_connect()
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
        for worker in self._workers:
            worker.stop()

    @property
    def counters(self) -> dict[str, int]:
        """Health figures for the maintenance menu."""
        return {"rejected": self._rejected, **self._link.counters, **self._drain.counters}

    def status(self) -> dict[str, Any]:
        """A snapshot for the maintenance menu (read from any thread; values may be a tick old)."""
        return {"connected": self._link.connected, "server_online": self._drain.server_online,
                "session": self._link.session, "applied_version": self._desired.applied_version,
                "clock_offset_ms": self._server_clock.offset_ms,
                "streams": {k: p.model_dump() for k, p in self._outbox.positions().items()},
                **self.counters}

    def _post(self, fn: Callable[..., None], *args: Any) -> None:
        """Have the agent thread run `fn(*args)` (paho callbacks, the command and job threads)."""
        self._inbox.put((fn, args))
        self._wake.set()

    # ---- the agent thread --------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop_requested.is_set():
                self._work_inbox()
                if not self._link.open:
                    wait_s = self._link.connect_wait_s()
                    if wait_s <= 0:
                        self._link.connect()
                    else:
                        self._wake.wait(min(wait_s, IDLE_WAKE_S))
                        self._wake.clear()
                    continue
                if not self._link.loop():
                    continue
                self._work_inbox()
                if self._link.connected:
                    self._drain.check_ack_timeouts()
                    self._drain.run()
        finally:
            self._link.goodbye()

    def _work_inbox(self) -> None:
        while True:
            try:
                fn, args = self._inbox.get_nowait()
            except queue.Empty:
                return
            try:
                fn(*args)
            except Exception:
                logger.exception("fleet agent failed in %s", fn.__qualname__)

    def _on_link_up(self) -> None:
        """Subscribed and online: announce this kiosk (§3.3), measure the clock, send again from the last acks."""
        self._drain.link_up()
        self._publish_birth()
        self._request_time()

    def _on_link_down(self) -> None:
        self._drain.link_down()

    # ---- announcements -----------------------------------------------------------------------------------

    def _publish_birth(self) -> None:
        hw = dict(self._inventory())
        hw["outbox_unwritten_dropped"] = self._outbox.unwritten_dropped
        hw["outbox_window_ms_max"] = self._outbox.window_ms_max
        birth = protocol.Birth(sess=self._link.session, boot=self._boot_id, sw=f"{SOFTWARE} {self._sw_version}",
                               minors=list(range(1, protocol.MINOR + 1)), hw=hw,
                               desired_version=self._desired.applied_version, streams=self._outbox.positions(),
                               clk=self._server_clock.state())
        self._context.publish_up("birth", protocol.encode(birth))

    def _request_time(self) -> None:
        self._context.publish_up("req", protocol.encode(self._server_clock.request()))

    # ---- inbound -----------------------------------------------------------------------------------------

    def handle(self, topic: str, payload: bytes) -> None:
        """Validate and act on one inbound message; anything refused is counted, logged, and answered if owed."""
        ref: protocol.TopicRef | None = None
        try:
            ref = protocol.parse_topic(topic)
            if ref.kind not in protocol.DEVICE_INBOUND:
                raise Rejected(f"{ref.kind.value} is not for a kiosk")
            topics = self._context.topics
            if ref.kind is not Kind.SERVER_STATE and (ref.region != topics.region
                                                      or ref.kid not in (topics.kid, protocol.ALL_KIOSKS)):
                raise Rejected(f"topic of another kiosk: {topic[:120]!r}")
            message = protocol.decode(ref.kind, payload)
        except Rejected as exc:
            self._rejected += 1
            logger.warning("refused inbound message on %.120r: %s", topic, exc.reason)
            if ref is not None and ref.kind is Kind.COMMAND and exc.reply_id:
                self._commands.reply(exc.reply_id, "", "final", exc.code, error=exc.reason)
            return
        self._inbound[ref.kind](message)

    # ---- built-in commands (the others are the composition root's handlers) ------------------------------

    def _cmd_ping(self, _args: protocol.NoArgs) -> dict[str, Any]:
        return {"pong": True, "t": self._server_clock.now_ms(), "session": self._link.session}

    def _cmd_rebirth(self, _args: protocol.NoArgs) -> dict[str, Any]:
        self._publish_birth()
        return {"session": self._link.session}

    def _cmd_time_sync(self, _args: protocol.NoArgs) -> dict[str, Any]:
        self._request_time()
        return {"offset_ms": self._server_clock.offset_ms}
