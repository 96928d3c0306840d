"""What the kiosk tells the bureau: bus events turned into catalogue records for the telemetry outbox.

Why one translator: the bureau's figures (clicks, smart-consultation visits, consultations, opinions issued,
legal-aid pre-checks by special group, satisfaction, device faults) are counted from these records, so each
happening is recorded exactly once, in one place, with only ids and closed vocabularies — the catalogue
(`kiosk.fleet.catalogue`) refuses anything else. Usage records carry the session id, never who it was.
The recorder listens from the start, but the outbox is built only after the first frame (importing it costs more
than the start-up budget allows before it): until then records are held in memory, in order, and handed over first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.core.events import (ConsultationStarted, ControlTapped, Event, EventBus, OpinionIssued, OpinionQrShown,
                               SatisfactionRated, ScreenShown, SubsystemFailed, SubsystemRecovered, TriageChosen)
from kiosk.services.legal_aid_application import LegalAidApplicationStored
from kiosk.services.session import EndReason, SessionEnded, SessionStarted

logger = logging.getLogger(__name__)

Record = Callable[[str, str, Mapping[str, Any]], None]
"""`record(stream, event_type, fields)`: the outbox's entry point (validates, never blocks)."""

END_REASONS = {EndReason.FINISHED: "finish", EndReason.PRINTED: "print", EndReason.IDLE_TIMEOUT: "idle",
               EndReason.MAINTENANCE: "maintenance", EndReason.QUICK_EXIT: "exit"}
"""Session end reasons as the catalogue names them; a shutdown mid-session is not a citizen's ending."""

AID_RESULTS = {"likely": "likely", "exempt": "likely", "unlikely": "unlikely", "not_assessed": "referral"}
"""Legal-aid verdicts of the opinion → the catalogue's pre-check results (exempt from the means test = likely)."""

FAULT_DEVICES = {"storage": "storage", "fleet": "network", "printer": "printer"}
"""Subsystems whose SubsystemFailed is recorded here as a device fault; device services (ID reader, printer)
publish events that carry their own `telemetry()` record instead, so nothing is counted twice (the printer's
faults come as SubsystemFailed only)."""

HELD_MAX_RECORDS = 1000
"""Records held while the outbox is not built yet (the first seconds after start: a handful, a few hundred if a
citizen taps from the first frame); the outbox's own in-memory bound takes over after. Beyond it records are
counted in `held_dropped` and logged when the outbox arrives, never held without bound."""

PAPER_STATES = {"online": "ok", "paper_near_end": "near_end", "paper_out": "out", "cover_open": "cover_open",
                "offline": "offline"}
"""Printer states the bureau watches for paper and availability (others, like `error`, are device faults)."""


class TelemetryRecorder:
    """Subscribes to the bus and records each happening once; a refused record is logged, never raised."""

    def __init__(self, bus: EventBus, record: Record | None = None, *, held_max: int = HELD_MAX_RECORDS) -> None:
        """Without `record`, records are held in order until `deliver_to` names where they go."""
        self._bus = bus
        self._record = record
        self._held: list[tuple[str, str, dict[str, Any]]] = []
        self._held_max = held_max
        self.held_dropped = 0
        """Records beyond `held_max` made before the outbox existed (lost: logged when it arrives)."""
        self._session = ""
        self._topic = ""
        self._opinion_number = ""
        self._fault_codes: dict[str, str] = {}
        self._lock = threading.Lock()
        self._unsubscribers: list[Callable[[], None]] = []
        self.refused = 0
        """Records the catalogue refused (a bug to fix: counted for the health board)."""

    def start(self) -> None:
        """Subscribe to every event that the bureau counts."""
        handlers: dict[type[Event], Callable[[Any], None]] = {
            ScreenShown: lambda e: self._emit("ui", "ui.view", screen=e.screen),
            ControlTapped: lambda e: self._emit("ui", "ui.tap", screen=e.screen, control=e.control),
            SessionStarted: self._on_session_started,
            SessionEnded: self._on_session_ended,
            ConsultationStarted: lambda e: self._usage("consult.started", topic=e.topic_id),
            TriageChosen: lambda e: self._usage("triage.choice", topic=e.topic_id, rank=e.rank, via=e.via),
            OpinionIssued: self._on_opinion,
            OpinionQrShown: lambda e: self._usage("opinion.qr_taken", topic=e.topic_id),
            SatisfactionRated: self._on_rating,
            LegalAidApplicationStored: lambda e: self._usage(
                "legal_aid.applied", result=AID_RESULTS.get(e.verdict, "referral"), group=e.special_group or "none"),
            SubsystemFailed: self._on_fault,
            SubsystemRecovered: self._on_recovered,
            Event: self._on_any,
        }
        self._unsubscribers = [self._bus.subscribe(cls, handler) for cls, handler in handlers.items()]

    def watch_printing(self) -> None:
        """Also count slips printed or not, and paper states (only when a printer is fitted)."""
        from kiosk.services.printing import PrinterStateChanged, PrintJobFailed, PrintJobPrinted

        self._unsubscribers += [
            self._bus.subscribe(PrintJobPrinted, lambda e: self._printed(e.number, True)),
            self._bus.subscribe(PrintJobFailed, lambda e: self._printed(e.number, False)),
            self._bus.subscribe(PrinterStateChanged, self._on_printer_state),
        ]

    def deliver_to(self, record: Record) -> None:
        """Hand the records held so far to `record`, oldest first, and every later one straight after them. Their
        time is the outbox's when it takes them: at most the outbox's build (a fraction of a second) late."""
        with self._lock:  # a record made meanwhile waits, so it cannot overtake the held ones
            held, self._held = self._held, []
            for stream, event_type, fields in held:
                self._send(record, stream, event_type, fields)
            self._record = record
        if self.held_dropped:
            logger.error("telemetry: %d records made before the outbox existed were dropped (held at most %d)",
                         self.held_dropped, self._held_max)

    def stop(self) -> None:
        """Unsubscribe."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()

    # ---- handlers ----------------------------------------------------------------------------------------

    def _on_any(self, event: Event) -> None:
        """Events that know their own record: a device's (`telemetry()` → (stream, type, fields) or None), or a
        citizen's use of the library and 普法 (`usage()` → (type, fields), recorded with the session's id)."""
        telemetry = getattr(event, "telemetry", None)
        record = telemetry() if callable(telemetry) else None
        if record is not None:
            stream, event_type, fields = record
            self._emit(stream, event_type, **fields)
        usage = getattr(event, "usage", None)
        if callable(usage):
            event_type, fields = usage()
            self._usage(event_type, **fields)

    def _on_session_started(self, event: SessionStarted) -> None:
        with self._lock:
            self._session = event.session_id
        self._usage("session.start", trigger="touch")

    def _on_session_ended(self, event: SessionEnded) -> None:
        reason = END_REASONS.get(event.reason)
        if reason is not None:
            self._emit("usage", "session.end", session=event.session_id, duration_s=event.duration_s,
                       reason=reason)
        with self._lock:
            self._session = ""

    def _printed(self, number: str, ok: bool) -> None:
        """Only the session's opinion counts (not a pre-application slip or a technician's test print)."""
        with self._lock:
            topic = self._topic if number and number == self._opinion_number else ""
        if topic:
            self._usage("opinion.printed", topic=topic, ok=ok)

    def _on_printer_state(self, event) -> None:
        state = PAPER_STATES.get(event.state)
        if state is not None and PAPER_STATES.get(event.previous) != state:
            self._emit("hw", "printer.paper", state=state)

    def _on_opinion(self, event: OpinionIssued) -> None:
        with self._lock:
            self._topic, self._opinion_number = event.topic_id, event.number
        self._usage("consult.completed", topic=event.topic_id, outcome=event.outcome_id)
        self._usage("opinion.generated", topic=event.topic_id)
        if event.topic_id == "legal_aid":
            self._usage("legal_aid.precheck", result=AID_RESULTS.get(event.legal_aid_verdict, "referral"),
                        group=event.special_group or "none")

    def _on_rating(self, event: SatisfactionRated) -> None:
        fields: dict[str, Any] = {"level": event.level}
        if event.topic_id:
            fields["topic"] = event.topic_id
        self._usage("satisfaction", **fields)

    def _on_fault(self, event: SubsystemFailed) -> None:
        device = FAULT_DEVICES.get(event.subsystem)
        if device is None:
            return
        with self._lock:
            self._fault_codes[device] = event.code
        self._emit("hw", "device.fault", device=device, code=event.code, active=True)

    def _on_recovered(self, event: SubsystemRecovered) -> None:
        device = FAULT_DEVICES.get(event.subsystem)
        with self._lock:
            code = self._fault_codes.pop(device, None) if device else None
        if code is not None:
            self._emit("hw", "device.fault", device=device, code=code, active=False)

    # ---- recording ---------------------------------------------------------------------------------------

    def _usage(self, event_type: str, **fields: Any) -> None:
        """A usage record of the current session (none outside a session: nobody is using the kiosk)."""
        with self._lock:
            session = self._session
        if session:
            self._emit("usage", event_type, session=session, **fields)

    def _emit(self, stream: str, event_type: str, **fields: Any) -> None:
        record = self._record
        if record is None:
            with self._lock:
                record = self._record
                if record is None:
                    if len(self._held) < self._held_max:
                        self._held.append((stream, event_type, fields))
                    else:
                        self.held_dropped += 1
                    return
        self._send(record, stream, event_type, fields)

    def _send(self, record: Record, stream: str, event_type: str, fields: dict[str, Any]) -> None:
        try:
            record(stream, event_type, fields)
        except ValueError as exc:  # catalogue.UnknownEvent: a programming error, never citizen data
            self.refused += 1
            logger.error("telemetry %s refused: %s", event_type, exc)
