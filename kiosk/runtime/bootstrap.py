"""The composition root: builds config → storage → devices → services → fleet → UI, starts and stops them in order.

Why: one place decides what exists and who talks to whom; constructors only store their collaborators (no
I/O), `start()` does the I/O in dependency order and `stop()` undoes it in reverse. Optional subsystems fail
soft: a failure is published as `SubsystemFailed`, shown on the health board and counted, never fatal.
Devices, content and the fleet link start in order on a starter thread once the first frame is up, so the
attract screen never waits for a serial port, a content pack or a broker (a citizen needs a second to walk up
and touch; by then they are ready). The telemetry outbox is built there too, first: importing it (SQLite's
library, the fleet protocol's models) took 0.25 s of the UI thread's CPU, more than the start-up budget's whole
headroom (tests/bench/startup.py); the recorder holds what happens until then (kiosk.services.telemetry).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.runtime.devices import DeviceLinks
from kiosk.runtime.lifecycle import StartupGuard
from kiosk.runtime.logging_setup import RecentProblems
from kiosk.runtime.systemd import SystemdNotifier
from kiosk.config.loader import LoadedConfig, flatten, load
from kiosk.config.overrides import changed_values
from kiosk.config.schema import KioskConfig
from kiosk.legal.law_library import LawLibrary
from kiosk.legal.pufa import PufaDeck
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, ConsultationService
from kiosk.core.clock import Clock, SystemClock
from kiosk.core.errors import DB_CORRUPT, STARTUP_FAILED, KioskError
from kiosk.core.events import (AppStarted, AppStopping, ConfigApplied, EventBus, StorageDatabaseMovedAside,
                               SubsystemFailed)
from kiosk.core.ids import read_boot_id
from kiosk.services.audit import AuditLog
from kiosk.services.citizen_consultation import CitizenConsultation
from kiosk.services.health import HealthBoard
from kiosk.services.legal_aid_application import LegalAidApplications
from kiosk.services.pin import PinGate
from kiosk.services.printer_counters import PrinterCounters
from kiosk.services.smart_consult import SmartConsult
from kiosk.services.speech import SpeechService
from kiosk.services.staff_call import StaffCall, signal_for
from kiosk.services.session import EndReason, SessionService
from kiosk.services.telemetry import TelemetryRecorder
from kiosk.storage.db import Database
from kiosk.ui.i18n import Translator

if TYPE_CHECKING:
    from kiosk.fleet.agent import FleetAgent
    from kiosk.fleet.outbox import Outbox
    from kiosk.services.identity import IdentityService
    from kiosk.services.printing import PrintingService

logger = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL_S = 24 * 3600.0
"""Seconds between housekeeping runs (retention purges) after the one at start."""
STARTER_JOIN_TIMEOUT_S = 30.0
"""How long stop() waits for a subsystem still starting (a serial open or pack load) before going on."""


@dataclass
class Kiosk:
    """The object graph of one running kiosk; the UI receives it as `app.services`."""

    loaded_config: LoadedConfig
    clock: Clock
    bus: EventBus
    boot_id: str
    guard: StartupGuard
    db: Database
    health: HealthBoard
    session: SessionService
    pin_gate: PinGate
    audit_log: AuditLog
    notifier: SystemdNotifier
    consultations: ConsultationService
    citizen: CitizenConsultation
    legal_aid_applications: LegalAidApplications
    smart: SmartConsult
    library: LawLibrary
    """法律法规查询: the pack's law library, opened read-only on first use (search it off the UI thread)."""
    pufa: PufaDeck
    """普法 cards of the pack, for the attract screen and 普法学习 (read them off the UI thread)."""
    speech: SpeechService
    """Pages read aloud: `say(pieces)`/`stop()` from the UI thread once the UI attached its player."""
    devices: DeviceLinks
    texts: Translator
    """Citizen-facing wording by key, shared by the screens and the slips (the catalogue of `ui.language`)."""
    staff_call: StaffCall
    """呼叫工作人员: the site's call bell or GPIO line (not available when the site has none)."""
    printer_counters: PrinterCounters
    """Cuts, paper printed and paper-out events, kept across restarts (read once storage is open)."""
    telemetry: TelemetryRecorder | None = None
    """What the bureau counts, recorded from the start when the fleet link is enabled (held until the outbox)."""
    outbox: Outbox | None = None
    """The telemetry outbox when the fleet link is enabled, once the starter built it (after the first frame)."""
    fleet: FleetAgent | None = None
    safe_mode: bool = False
    recent_problems: RecentProblems | None = None
    """The last warnings and errors in memory (installed by the runner), for the maintenance menu."""
    identity: IdentityService | None = None
    """The ID card reader service once started (None when no reader is fitted or it failed to start)."""
    printing: PrintingService | None = None
    """The printing service once started (None when no printer is fitted or it failed to start)."""
    _stoppers: list[Callable[[], None]] = field(default_factory=list)
    _starter: threading.Thread | None = None
    _background_started: threading.Event = field(default_factory=threading.Event)
    _ui_ready: threading.Event = field(default_factory=threading.Event)
    _stop_requested: threading.Event = field(default_factory=threading.Event)
    _stopping: bool = False

    @property
    def config(self) -> KioskConfig:
        """The effective configuration."""
        return self.loaded_config.config

    def _start_telemetry(self) -> None:
        """Subscribe the telemetry recorder first, so nothing the UI does is missed (no I/O)."""
        if self.telemetry is not None:
            self.telemetry.start()
            self._stoppers.append(self.telemetry.stop)

    def start(self, *, after_first_frame: bool = False) -> None:
        """Start storage, then the optional subsystems in order on the starter thread; returns at once.

        With `after_first_frame`, the starter waits for `on_ui_ready()` (the UI's first frame) before it begins.
        """
        self.health.start()
        self._stoppers.append(self.health.stop)
        self._start_optional("storage", self._start_storage)
        self._start_telemetry()
        if not after_first_frame:
            self._ui_ready.set()
        self._starter = threading.Thread(target=self._start_background, name="kiosk-starter", daemon=True)
        self._starter.start()

    def _start_background(self) -> None:
        self._ui_ready.wait()
        if self._stopping:
            return
        if self.telemetry is not None:
            self._start_optional("fleet", self._build_outbox)
        self._start_printer_counters()
        self._stoppers.append(self.devices.stop)
        if not self.safe_mode:  # safe mode keeps every device off: one of them may be what brought it on
            self._start_optional("idcard", self._start_idcard)
            self._start_optional("printer", self._start_printer)
        self._start_optional("content", self._start_content)
        if not self.safe_mode:
            self._start_optional("speech", self._start_speech)
            self._start_optional("staff_call", self._start_staff_call)
        self.smart.start()
        self._start_optional("fleet", self._start_fleet)
        self._background_started.set()
        self._run_housekeeping()

    def _run_housekeeping(self) -> None:
        """Daily work on the starter thread until stop: pre-applications past their retention are deleted."""
        while not self._stopping:
            self._start_optional("legal_aid_applications", self.legal_aid_applications.purge_expired)
            if self._stop_requested.wait(HOUSEKEEPING_INTERVAL_S):
                return

    def wait_started(self, timeout_s: float = 30.0) -> bool:
        """Wait until every optional subsystem has tried to start (tests, benchmarks, CLI)."""
        return self._background_started.wait(timeout_s)

    def _start_storage(self) -> None:
        self.db.start(on_open=self._on_storage_open, not_before=self._ui_ready)
        self._stoppers.append(self.db.stop)

    def _start_idcard(self) -> None:
        """The reader's link (a simulator when configured so), then the identity service on it."""
        from kiosk.services.identity import IdentityService

        link = self.devices.open_idcard(self.config.idcard)
        if link is None:
            return
        identity = IdentityService(self.bus, self.clock, self.config.idcard, link.transport)
        identity.start()
        self._stoppers.append(identity.stop)
        self._stoppers.append(self.session.add_wiper(identity.wipe))
        self.identity = identity
        self.health.report_ok("idcard", self.config.idcard.kind)

    def _start_printer(self) -> None:
        """The printer's link (a simulator when configured so), then the printing service on it; failed slips are
        kept in memory and wiped per session."""
        if self.config.printer.kind == "none":
            return  # before the profile is looked up: a kiosk without a printer needs none
        from kiosk.services.printing import PrintingService, printer_model
        from kiosk.ui.fonts import find_cjk_font

        model = printer_model(self.config.printer, self.config.printer_profiles)
        link = self.devices.open_printer(self.config.printer, model)
        printing = PrintingService(self.config.printer, model, link.transport, self.bus, self.db, self.clock,
                                   texts=self.texts, font_path=str(find_cjk_font(self.config.ui.font_path)))
        printing.start()
        self._stoppers.append(printing.stop)
        if self.telemetry is not None:
            self.telemetry.watch_printing()
        self._stoppers.append(self.session.add_wiper(printing.wipe))
        self.printing = printing
        self.health.report_ok("printer", f"{self.config.printer.kind}:{self.config.printer.profile}")

    def _start_printer_counters(self) -> None:
        """Counted whether or not a printer starts, so the overview shows them and a reset works in safe mode."""
        self.printer_counters.start()
        self._stoppers.append(self.printer_counters.stop)

    def _start_staff_call(self) -> None:
        """Check the site's call bell or line once, so a missing one shows on the board before anyone presses it."""
        if not self.staff_call.available:
            return
        self._stoppers.append(self.staff_call.stop)
        self.staff_call.start()
        self.health.report_ok("staff_call", self.staff_call.description)

    def _start_speech(self) -> None:
        """The pack's clips and the synthesiser; without espeak-ng the clips still play (SPK-001 on the board)."""
        if not self.speech.enabled:
            return
        self.speech.start()
        self._stoppers.append(self.speech.close)
        self._stoppers.append(self.session.add_wiper(self.speech.forget))
        self.health.report_ok("speech", f"{self.config.speech.voice}, {len(self.speech.clips.durations_ms)} clips")

    def _build_outbox(self) -> None:
        """The telemetry outbox (no I/O yet), taking the records held since start before any later one."""
        from kiosk.fleet.outbox import Outbox

        fleet = self.config.fleet
        outbox = Outbox(self.db, self.clock, boot_id=self.boot_id, max_bytes=int(fleet.outbox_max_mb * 1_000_000),
                        chunk_max_events=fleet.batch_max_events, bus=self.bus, topics=self.consultations.topics)
        self.telemetry.deliver_to(outbox.record)
        self.outbox = outbox

    def _start_fleet(self) -> None:
        """The outbox writer, then (when enabled) the MQTT agent."""
        if self.outbox is None:
            return
        from kiosk.runtime.fleet_link import build_agent

        self.outbox.start()
        self._stoppers.append(self.outbox.stop)
        agent = build_agent(self, self.outbox, self.apply_desired)
        agent.start()
        self._stoppers.append(agent.stop)
        self.fleet = agent
        self.health.report_ok("fleet", f"{self.config.fleet.host}:{self.config.fleet.port}")

    def apply_desired(self, document: dict) -> None:
        """Make the fleet's desired document effective: check it whole (DesiredRejected), replace the fleet layer on
        disk, reload, announce what changed.

        Settings read continuously (session timeouts) apply at once; device ports and the like at the next start.
        """
        from kiosk.fleet.desired import preview, write_desired

        new = preview(document).config
        write_desired(self.loaded_config.desired_file, document)
        changes = changed_values(self.config, new)
        self.loaded_config = load()
        if not changes:
            return
        self.session.set_timeouts(self.config.session.idle_timeout_s, self.config.session.countdown_s)
        self.bus.publish(ConfigApplied("fleet", tuple(sorted(flatten(changes)))))

    def _start_content(self) -> None:
        self.consultations.start()
        self._stoppers.append(self.consultations.stop)
        self.health.report_ok("content", self.consultations.pack.version)

    def _on_storage_open(self, moved, error: BaseException | None) -> None:
        """Runs on the storage thread once the file is open (or not): report it, never raise."""
        if error is not None:
            code = error.code if isinstance(error, KioskError) else DB_CORRUPT.code
            self.bus.publish(SubsystemFailed("storage", code, str(error)))
        elif moved is not None:
            self.bus.publish(StorageDatabaseMovedAside(str(moved.original), str(moved.moved_to), moved.reason))
            self.bus.publish(SubsystemFailed("storage", DB_CORRUPT.code, f"moved aside to {moved.moved_to.name}"))
        else:
            self.health.report_ok("storage")

    def _start_optional(self, name: str, start: Callable[[], None]) -> None:
        try:
            start()
        except KioskError as exc:
            logger.error("subsystem %s failed to start: %s", name, exc)
            self.bus.publish(SubsystemFailed(name, exc.code, exc.detail))
        except Exception as exc:
            logger.exception("subsystem %s failed to start", name)
            self.bus.publish(SubsystemFailed(name, STARTUP_FAILED.code, f"{type(exc).__name__}: {exc}"))

    def on_ui_ready(self) -> None:
        """The first frame is up and interactive: the start counts as finished (clears the crash-loop counter)."""
        self._ui_ready.set()
        self.guard.mark_started()
        self.notifier.notify("READY=1")
        self.bus.publish(AppStarted(safe_mode=self.safe_mode))

    def stop(self) -> None:
        """Stop everything in reverse order of start (after the starter finished); never raises."""
        self._stopping = True
        self._stop_requested.set()
        self._ui_ready.set()
        if self._starter is not None:
            self._starter.join(STARTER_JOIN_TIMEOUT_S)
        self.bus.publish(AppStopping())
        self.session.end(EndReason.SHUTDOWN)
        while self._stoppers:
            stopper = self._stoppers.pop()
            try:
                stopper()
            except Exception:
                logger.exception("stopping %r failed", stopper)

    def audit(self, action: str, detail: str) -> None:
        """Record a technician action in the audit log (off the caller's thread); never raises."""
        self.audit_log.record(action, detail)


def content_root(config: KioskConfig) -> Path:
    """The content pack in force: the last one a fleet job installed (`<content_dir>/current`), else the packaged one."""
    installed = Path(config.fleet.content_dir) / "current"
    return installed if installed.is_dir() else DEFAULT_CONTENT_ROOT


def data_dir_of(config: KioskConfig) -> Path:
    """The directory of the database, the crash-loop counter and Kivy's files."""
    return Path(config.paths.data_dir)


def build(loaded: LoadedConfig, *, clock: Clock | None = None, safe_mode: bool | None = None) -> Kiosk:
    """Build the object graph; no I/O but one stat of which content pack is installed (start() does the rest)."""
    config = loaded.config
    clock = clock or SystemClock()
    bus = EventBus()
    boot_id = read_boot_id()
    data_dir = data_dir_of(config)
    guard = StartupGuard(data_dir, config.maintenance.crash_loop_threshold)
    db = Database(data_dir / config.storage.db_filename, clock, busy_timeout_ms=config.storage.busy_timeout_ms)
    audit_log = AuditLog(db, clock)
    pack_root = content_root(config)
    texts = Translator(config.ui.language)
    consultations = ConsultationService(pack_root, clock, config, texts=texts)
    session = SessionService(bus, clock, idle_timeout_s=config.session.idle_timeout_s,
                             countdown_s=config.session.countdown_s)
    citizen = CitizenConsultation(consultations, db, clock, bus)
    session.add_wiper(citizen.wipe)
    devices = DeviceLinks()
    bell = devices.open_bell(config.handoff)  # made here, not at start: a bell has no simulator to start
    return Kiosk(
        loaded_config=loaded, clock=clock, bus=bus, boot_id=boot_id, guard=guard, db=db,
        health=HealthBoard(bus),
        session=session,
        pin_gate=PinGate(config.maintenance.pin_hash, clock, max_attempts=config.maintenance.max_attempts,
                         lockout_s=config.maintenance.lockout_s, audit=audit_log.record),
        audit_log=audit_log,
        notifier=SystemdNotifier(),
        consultations=consultations,
        citizen=citizen,
        legal_aid_applications=LegalAidApplications(config.legal_aid, config.kiosk.id, db, clock, bus),
        smart=SmartConsult(bus, pack_root),
        library=LawLibrary(lambda: consultations.root),
        pufa=PufaDeck(lambda: consultations.root),
        speech=SpeechService(config.speech, pack_root, bus),
        devices=devices,
        telemetry=TelemetryRecorder(bus) if config.fleet.enabled else None,
        texts=texts,
        printer_counters=PrinterCounters(bus, db, clock),
        staff_call=StaffCall(signal_for(config.handoff, bell.transport if bell is not None else None), bus, clock,
                             audit_log.record, cooldown_s=config.handoff.cooldown_s),
        safe_mode=bool(safe_mode),
    )
