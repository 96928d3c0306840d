"""The printer driver: real status from DLE EOT 1/2/4, and jobs paced so the receive buffer never overflows.

Why: a kiosk must know it cannot print before it promises a slip, and a long slip must not overrun a cheap
printer's buffer. Without flow control the driver keeps an estimate of what the printer still holds (bytes
in, paper out at the profile's speed) and waits for room, checking status while it waits; with flow control
it relies on the line and treats a write that stalls as a fault to diagnose. It reports state changes through
a plain callback (the kiosk's printing service turns them into bus events).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from firmware_bridge.errors import DeviceError, TransportError, TransportTimeout
from firmware_bridge.escpos import commands as cmd
from firmware_bridge.escpos import errors as prn
from firmware_bridge.escpos.job import CUT_TIME_S, PrintJob
from firmware_bridge.escpos.profile import PrinterModel
from firmware_bridge.escpos.status import FAULT_STATES, PrinterState, StatusReport
from firmware_bridge.transport.base import Transport

BUFFER_FILL_LIMIT = 0.75
"""Fraction of the receive buffer the pacer fills at most (room for estimate error)."""
PACING_SPEED_FACTOR = 0.8
"""The pacer assumes the mechanism runs at this fraction of its rated speed (dense lines, weak supply)."""
STATUS_POLL_WHILE_WAITING_S = 0.25
"""Seconds between status checks while waiting for buffer room or for the last line to print."""

StateListener = Callable[[PrinterState, StatusReport], None]


class PrinterFault(DeviceError):
    """A job could not be printed; `code` names why, `state` is what the printer said, `sent` bytes got out."""

    code = prn.PRINTER_ERROR

    def __init__(self, detail: str, *, code: str, state: PrinterState, sent: int = 0) -> None:
        super().__init__(detail, code=code)
        self.state = state
        self.sent = sent


class PrinterDriver:
    """ESC/POS over a Transport: `check_status()` and `print_job()`; thread-safe, blocking, off the UI thread."""

    def __init__(self, link: Transport, model: PrinterModel, *, status_timeout_s: float = 0.5,
                 paced: bool = True, on_state: StateListener | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.link = link
        self.model = model
        self.status_timeout_s = status_timeout_s
        self.paced = paced
        self.on_state = on_state
        self._sleep = sleep
        self._monotonic = monotonic
        self._lock = threading.RLock()
        self.state = PrinterState.UNKNOWN
        self.last_report: StatusReport | None = None

    # ---- status ------------------------------------------------------------------------------------------

    def check_status(self) -> StatusReport:
        """Query DLE EOT 1, 2, 4; no reply to a query means OFFLINE; notifies on a change of state."""
        with self._lock:
            replies = [self._query(cmd.STATUS_PRINTER)]
            if replies[0] is not None:
                replies += [self._query(cmd.STATUS_OFFLINE_CAUSE), self._query(cmd.STATUS_PAPER)]
            else:
                replies += [None, None]
            report = StatusReport(*replies)
            self._set_state(report)
            return report

    def _query(self, n: int) -> int | None:
        """One real-time query. Its write waits the link's write timeout (a busy printer holding XOFF lets
        go within it); if it still stalls, queued job bytes are dropped and held output resumed, so the
        request bypasses flow control the way real-time commands are meant to."""
        request = cmd.status_request(n)
        try:
            self.link.flush_input()
            try:
                self.link.write(request)
            except TransportTimeout:
                self._abort_output()
                self.link.write(request, self.status_timeout_s)
            reply = self.link.read(1, self.status_timeout_s)
        except TransportError:
            return None
        return reply[0] if reply else None

    def _abort_output(self) -> None:
        abort = getattr(self.link, "abort_write", None)
        if abort is not None:
            abort()

    def _set_state(self, report: StatusReport) -> None:
        self.last_report = report
        if report.state != self.state:
            self.state = report.state
            if self.on_state is not None:
                self.on_state(report.state, report)

    # ---- printing ----------------------------------------------------------------------------------------

    def print_job(self, job: PrintJob) -> StatusReport:
        """Print `job` after a status check, pacing it; returns the report after it printed or raises a fault."""
        with self._lock:
            before = self.check_status()
            if before.state in FAULT_STATES:
                raise PrinterFault(f"printer not ready: {before.state.value}", code=before.code or prn.NOT_READY,
                                   state=before.state)
            printed_by = self._send(job)
            while self._monotonic() < printed_by:
                self._sleep(min(STATUS_POLL_WHILE_WAITING_S, printed_by - self._monotonic()))
                if self.paced:   # with flow control a query could queue behind XOFF: only check at the end
                    self._raise_on_fault(len(job.data), "while printing")
            return self._raise_on_fault(len(job.data), "after the job")

    def _send(self, job: PrintJob) -> float:
        """Write every segment, waiting for buffer room when paced; returns when printing should be done."""
        budget = int(self.model.receive_buffer_bytes * BUFFER_FILL_LIMIT)
        in_flight: deque[tuple[float, int]] = deque()
        printer_free_at = self._monotonic()
        speed_mm_s = self.model.print_speed_mm_s * (PACING_SPEED_FACTOR if self.paced else 1.0)
        sent = 0
        for segment in job.segments:
            while self.paced and in_flight:
                now = self._monotonic()
                while in_flight and in_flight[0][0] <= now:
                    in_flight.popleft()
                if not in_flight or sum(n for _, n in in_flight) + len(segment.data) <= budget:
                    break
                self._raise_on_fault(sent, "while waiting for buffer room")
                self._sleep(min(STATUS_POLL_WHILE_WAITING_S, max(0.0, in_flight[0][0] - now)))
            self._write(segment.data, sent)
            sent += len(segment.data)
            start = max(self._monotonic(), printer_free_at)
            printer_free_at = start + self.model.dots_to_mm(segment.paper_dots) / speed_mm_s
            in_flight.append((printer_free_at, len(segment.data)))
        return printer_free_at + (CUT_TIME_S if self.model.has_cutter else 0.0)

    def _write(self, data: bytes, sent: int) -> None:
        try:
            self.link.write(data)
        except TransportTimeout as exc:
            self._abort_output()
            report = self.check_status()
            code = report.code if report.state in FAULT_STATES else prn.STALLED
            raise PrinterFault(f"write stalled after {sent} bytes: {report.state.value}", code=code or prn.STALLED,
                               state=report.state, sent=sent) from exc
        except TransportError as exc:
            report = self.check_status()
            raise PrinterFault(f"link lost after {sent} bytes: {exc.detail}", code=prn.LINK_LOST,
                               state=report.state, sent=sent) from exc

    def _raise_on_fault(self, sent: int, when: str) -> StatusReport:
        report = self.check_status()
        if report.state in FAULT_STATES:
            silent_mid_job = report.state is PrinterState.OFFLINE and sent > 0
            raise PrinterFault(f"printer fault {when}: {report.state.value}",
                               code=prn.LINK_LOST if silent_mid_job else report.code or prn.STALLED,
                               state=report.state, sent=sent)
        return report
