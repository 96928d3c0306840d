"""The printing service: slips to the printer off the UI thread, status watched, failed jobs kept and re-offered.

Why: the citizen must leave with a slip or, when the printer cannot, be told calmly and shown the QR code on
screen. The service wraps the firmware_bridge driver, turns its callbacks into bus events, records every job
(metadata only) in SQLite, keeps a failed job's bytes in memory until it is printed, discarded or wiped, and
offers it again when the printer recovers. Status is checked before a job, after it and on a schedule. A job is
recorded as printing before its first byte leaves, so one a power cut broke off is found at the next start as
INTERRUPTED (it may have printed), not as lost, and is never printed again by itself.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from firmware_bridge.errors import DeviceError
from firmware_bridge.escpos import errors as prn
from firmware_bridge.escpos.driver import PrinterDriver, PrinterFault
from firmware_bridge.escpos.job import DEFAULT_FONT, PrintJob
from firmware_bridge.escpos.profile import PrinterModel
from firmware_bridge.escpos.status import FAULT_STATES, READY_STATES, PrinterState, StatusReport
from firmware_bridge.transport.base import Transport
from kiosk.config.schema import PrinterConfig, PrinterProfile
from kiosk.config.sections import as_dict
from kiosk.legal.document import OpinionDocument
from kiosk.core.clock import Clock
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.core.events import Event, EventBus, SubsystemFailed, SubsystemRecovered
from kiosk.core.ids import new_id
from kiosk.services.slip_layout import Block, Texts, layout
from kiosk.services.slip_render import to_print_job
from kiosk.storage import print_jobs
from kiosk.storage.print_jobs import JobState
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)

# ---- error catalogue of the printer area (the device's codes are firmware_bridge's, the kiosk's own are here) --

PRN_OFFLINE = ErrorCode(prn.OFFLINE, "printer not reachable", "printing.offline")
PRN_BAD_REPLY = ErrorCode(prn.INVALID_REPLY, "printer status reply invalid", "printing.error")
PRN_COVER_OPEN = ErrorCode(prn.COVER_OPEN, "printer cover open", "printing.cover_open")
PRN_PAPER_OUT = ErrorCode(prn.PAPER_OUT, "printer out of paper", "printing.paper_out")
PRN_PAPER_NEAR_END = ErrorCode(prn.PAPER_NEAR_END, "printer paper near end", "printing.paper_low")
PRN_ERROR = ErrorCode(prn.PRINTER_ERROR, "printer error (cutter, head or unknown offline cause)", "printing.error")
PRN_LINK_LOST = ErrorCode(prn.LINK_LOST, "printer link lost during a job", "printing.interrupted")
PRN_STALLED = ErrorCode(prn.STALLED, "printer stopped accepting data", "printing.interrupted")
PRN_NOT_READY = ErrorCode(prn.NOT_READY, "printer not ready", "printing.offline")
PRN_PROFILE_UNKNOWN = ErrorCode("PRN-051", "printer profile unknown", "printing.unavailable")
PRN_JOB_UNKNOWN = ErrorCode("PRN-052", "print job unknown or already done", "printing.unavailable")
ERROR_CODES = {e.code: e for e in (PRN_OFFLINE, PRN_BAD_REPLY, PRN_COVER_OPEN, PRN_PAPER_OUT, PRN_PAPER_NEAR_END,
                                   PRN_ERROR, PRN_LINK_LOST, PRN_STALLED, PRN_NOT_READY,
                                   PRN_PROFILE_UNKNOWN, PRN_JOB_UNKNOWN)}
SUBSYSTEM = "printer"
RECORD_BEFORE_PRINT_TIMEOUT_S = 2.0
"""Seconds a job waits for its PRINTING record to be written before it prints anyway (a stuck disk must not keep
a citizen's slip; a power cut in that job then finds it queued and calls it lost)."""


# ---- events -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrinterStateChanged(Event):
    """The printer's state changed (values of firmware_bridge.escpos.status.PrinterState)."""

    state: str
    previous: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class PrintJobQueued(Event):
    """A slip was accepted for printing."""

    job_id: str
    number: str


@dataclass(frozen=True, slots=True)
class PrintJobPrinted(Event):
    """A slip came out; `bytes_sent` on the wire, `attempts` including this one, `paper_mm` of paper it took and
    whether the cutter cut it off (the printer's wear counters, kiosk.services.printer_counters)."""

    job_id: str
    number: str
    bytes_sent: int
    attempts: int
    paper_mm: float = 0.0
    cut: bool = False


@dataclass(frozen=True, slots=True)
class PrintJobFailed(Event):
    """A slip could not be printed: tell the citizen (`citizen_key`) and show `verify_url` as a QR on screen."""

    job_id: str
    number: str
    code: str
    citizen_key: str
    verify_url: str


@dataclass(frozen=True, slots=True)
class PrintJobsOffered(Event):
    """The printer recovered and these failed jobs can be printed again (`retry(job_id)`)."""

    job_ids: tuple[str, ...]


@dataclass
class _Pending:
    """A job the service holds in memory (bytes are personal: never on disk)."""

    job_id: str
    number: str
    verify_url: str
    job: PrintJob
    attempts: int = 0


def model_from_profile(name: str, profile: PrinterProfile) -> PrinterModel:
    """The firmware_bridge view of a configured printer profile."""
    return PrinterModel(name=name, **as_dict(profile))


def printer_model(config: PrinterConfig, profiles: dict[str, PrinterProfile]) -> PrinterModel:
    """The model of the configured printer; KioskError PRN-051 when its profile is not among `profiles`."""
    if config.profile not in profiles:
        raise KioskError(PRN_PROFILE_UNKNOWN, f"{config.profile!r} not in printer_profiles")
    return model_from_profile(config.profile, profiles[config.profile])


class PrintingService:
    """Owns the printer on its link (kiosk.runtime.devices): construct (no I/O), `start()`, `submit(document)`,
    `retry(job_id)`, `stop()`."""

    def __init__(self, config: PrinterConfig, model: PrinterModel, link: Transport, bus: EventBus,
                 database: Database, clock: Clock, *, texts: Texts, font_path: str = DEFAULT_FONT) -> None:
        self.config = config
        self.model = model
        self.font_path = font_path
        self.texts = texts
        self._bus = bus
        self._db = database
        self._clock = clock
        self._tasks: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._previous_state = PrinterState.UNKNOWN
        self.orphans_at_start: dict[JobState, int] = {}
        """Jobs the previous run left unfinished, by what `start()` recorded them as (LOST, INTERRUPTED)."""
        # A simulator's pty has no RTS/CTS lines: "rtscts" there would mean no flow control at all.
        line_paces = config.flow_control == "xonxoff" or (config.flow_control == "rtscts" and config.kind != "sim")
        self.driver = PrinterDriver(link, model, status_timeout_s=config.status_timeout_s, paced=not line_paces,
                                    on_state=self._on_state)

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Record orphaned jobs, start the worker and the poll (the driver opens the link on its first use)."""
        if self._thread is not None:
            return
        self.orphans_at_start = self._db.call(print_jobs.settle_orphans(self._now()))
        if self.orphans_at_start.get(JobState.INTERRUPTED):
            logger.warning("%d print job(s) cut off mid-print by the last stop: recorded as interrupted "
                           "(may have printed)", self.orphans_at_start[JobState.INTERRUPTED])
        self._thread = threading.Thread(target=self._run, name="printing", daemon=True)
        self._thread.start()
        self.check_now()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Finish the current task, close the link."""
        if self._thread is None:
            return
        self._tasks.put(None)
        self._thread.join(timeout_s)
        self._thread = None
        self.driver.link.close()

    # ---- API (any thread; never blocks on the printer) -----------------------------------------------------

    @property
    def state(self) -> PrinterState:
        """The last known printer state (UNKNOWN before the first check)."""
        return self.driver.state

    def submit(self, document: OpinionDocument) -> str:
        """Queue the slip of `document` (the pocket slip, or with the full texts where the site wants them:
        printer.slip_full_texts); returns the job id. The outcome arrives as an event."""
        blocks = layout(document, self.columns, self.texts, full_texts=self.config.slip_full_texts)
        return self.submit_blocks(document.number, blocks, verify_url=document.verify_url)

    @property
    def columns(self) -> int:
        """Half-width columns of a line on this printer's paper (what the slip layouts wrap to)."""
        return self.model.chars_per_line_cjk * 2

    def submit_blocks(self, number: str, blocks: tuple[Block, ...], *, verify_url: str = "") -> str:
        """Queue any slip already laid out (e.g. a legal-aid pre-application) under `number`; returns the job id."""
        pending = _Pending(new_id(), number, verify_url, to_print_job(blocks, self.model, self.font_path))
        with self._lock:
            self._pending[pending.job_id] = pending
        self._record(pending, JobState.QUEUED)
        self._bus.publish(PrintJobQueued(pending.job_id, pending.number))
        self._tasks.put(lambda: self._print(pending))
        return pending.job_id

    def retry(self, job_id: str) -> None:
        """Print a kept job again; raises KioskError PRN-052 if it is not held."""
        with self._lock:
            pending = self._pending.get(job_id)
        if pending is None:
            raise KioskError(PRN_JOB_UNKNOWN, job_id)
        self._tasks.put(lambda: self._print(pending))

    def discard(self, job_id: str) -> None:
        """Drop a kept job (the citizen took the QR code instead)."""
        with self._lock:
            pending = self._pending.pop(job_id, None)
        if pending is not None:
            self._record(pending, JobState.DISCARDED)

    def wipe(self) -> None:
        """Privacy wipe at session end: every kept slip leaves memory."""
        with self._lock:
            job_ids = list(self._pending)
        for job_id in job_ids:
            self.discard(job_id)

    def kept_jobs(self) -> tuple[str, ...]:
        """Ids of jobs held for a retry."""
        with self._lock:
            return tuple(self._pending)

    def check_now(self) -> None:
        """Queue a status check (maintenance menu, after a technician's fix)."""
        self._tasks.put(self._check)

    # ---- worker thread -----------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            try:
                task = self._tasks.get(timeout=self.config.status_poll_interval_s)
            except queue.Empty:
                task = self._check
            if task is None:
                return
            try:
                task()
            except Exception:
                logger.exception("printing task failed")

    def _check(self) -> None:
        self.driver.check_status()

    def _print(self, pending: _Pending) -> None:
        pending.attempts += 1
        self._record(pending, JobState.PRINTING, durable=True)
        try:
            self.driver.print_job(pending.job)
        except PrinterFault as exc:
            self._fail(pending, ERROR_CODES.get(exc.code, PRN_ERROR), exc.detail)
            return
        except DeviceError as exc:
            self._fail(pending, PRN_ERROR, exc.detail)
            return
        with self._lock:
            self._pending.pop(pending.job_id, None)
        self._record(pending, JobState.PRINTED)
        self._bus.publish(PrintJobPrinted(pending.job_id, pending.number, len(pending.job.data), pending.attempts,
                                          pending.job.paper_mm, self.model.has_cutter))

    def _fail(self, pending: _Pending, error: ErrorCode, detail: str = "") -> None:
        logger.warning("print job %s failed: %s %s", pending.job_id, error.code, detail)
        self._record(pending, JobState.FAILED, error.code)
        self._bus.publish(PrintJobFailed(pending.job_id, pending.number, error.code, error.citizen_key,
                                         pending.verify_url))

    def _on_state(self, state: PrinterState, report: StatusReport) -> None:
        """Driver callback (worker thread): publish the change, and recovery with the jobs to offer."""
        previous = self._previous_state
        self._previous_state = state
        self._bus.publish(PrinterStateChanged(state.value, previous.value, report.code))
        if state in FAULT_STATES:
            self._bus.publish(SubsystemFailed(SUBSYSTEM, report.code or PRN_ERROR.code, state.value))
        elif state in READY_STATES and previous in FAULT_STATES:
            self._bus.publish(SubsystemRecovered(SUBSYSTEM))
            kept = self.kept_jobs()
            if kept:
                self._bus.publish(PrintJobsOffered(kept))

    def _record(self, pending: _Pending, state: JobState, error_code: str = "", *, durable: bool = False) -> None:
        """Write the job's row; `durable`: wait until it is committed (at most RECORD_BEFORE_PRINT_TIMEOUT_S)."""
        written = self._db.submit(print_jobs.record(pending.job_id, number=pending.number, at=self._now(),
                                                    state=state, error_code=error_code, attempts=pending.attempts,
                                                    size=len(pending.job.data)))
        if durable:
            try:
                written.result(timeout=RECORD_BEFORE_PRINT_TIMEOUT_S)
            except Exception as exc:  # the slip matters more than its record: print anyway, and say so
                logger.warning("print job %s not recorded as %s before printing: %s", pending.job_id, state,
                               type(exc).__name__)

    def _now(self) -> str:
        return self._clock.now().isoformat()
