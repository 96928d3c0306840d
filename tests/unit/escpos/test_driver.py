"""PrinterDriver against the scripted fake: status decoding, refusal, stalls, lost links and pacing."""

from __future__ import annotations

import pytest

from firmware_bridge.escpos import commands as cmd
from firmware_bridge.escpos.driver import PrinterDriver, PrinterFault
from firmware_bridge.escpos.job import JobBuilder
from firmware_bridge.escpos.profile import GENERIC_58MM
from firmware_bridge.escpos.status import PrinterState
from firmware_bridge.transport.fake import FakeTransport

HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}


class Printer:
    """Answers DLE EOT from a mutable table; counts job bytes."""

    def __init__(self) -> None:
        self.status = dict(HEALTHY)
        self.silent = False

    def __call__(self, data: bytes) -> bytes:
        if data[:2] == cmd.DLE_EOT and len(data) == 3 and not self.silent:
            return bytes([self.status[data[2]]])
        return b""


class Time:
    """A fake monotonic clock advanced by the driver's own sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_driver(printer: Printer, time: Time, **kwargs) -> tuple[PrinterDriver, FakeTransport, list]:
    link = FakeTransport(responder=printer)
    changes: list = []
    driver = PrinterDriver(link, GENERIC_58MM, sleep=time.sleep, monotonic=lambda: time.now,
                           on_state=lambda state, report: changes.append(state), **kwargs)
    return driver, link, changes


def small_job(lines: int = 3):
    builder = JobBuilder(GENERIC_58MM)
    for i in range(lines):
        builder.line(f"第{i}行：劳动报酬")
    return builder.finish()


def test_status_states_and_change_notifications():
    printer, time = Printer(), Time()
    driver, link, changes = make_driver(printer, time)
    assert driver.check_status().state is PrinterState.ONLINE
    assert driver.check_status().state is PrinterState.ONLINE
    printer.status[4] = 0x1E
    assert driver.check_status().state is PrinterState.PAPER_NEAR_END
    printer.silent = True
    report = driver.check_status()
    assert (report.state, report.code) == (PrinterState.OFFLINE, "PRN-001")
    assert link.writes[-1] == cmd.status_request(1)          # no further queries to a silent printer
    printer.silent = False
    printer.status[2] = 0xFF
    assert driver.check_status().code == "PRN-002"
    assert changes == [PrinterState.ONLINE, PrinterState.PAPER_NEAR_END, PrinterState.OFFLINE,
                       PrinterState.ERROR]


def test_job_is_refused_before_any_byte_when_cover_is_open():
    printer, time = Printer(), Time()
    printer.status.update({1: 0x1A, 2: 0x16})
    driver, link, _ = make_driver(printer, time)
    with pytest.raises(PrinterFault) as info:
        driver.print_job(small_job())
    assert (info.value.code, info.value.state, info.value.sent) == ("PRN-010", PrinterState.COVER_OPEN, 0)
    assert cmd.INIT not in link.written


def test_stalled_write_is_diagnosed_by_status():
    printer, time = Printer(), Time()
    driver, link, _ = make_driver(printer, time)
    driver.check_status()
    link.stall_writes = True
    printer.status.update({1: 0x1A, 2: 0x32, 4: 0x7E})
    with pytest.raises(PrinterFault) as info:
        driver._write(b"x" * 10, 123)
    assert (info.value.code, info.value.sent) == ("PRN-020", 123)


def test_lost_link_mid_job():
    printer, time = Printer(), Time()
    driver, link, _ = make_driver(printer, time)
    link.fail_writes = True
    with pytest.raises(PrinterFault) as info:
        driver._write(b"x", 0)
    assert (info.value.code, info.value.state) == ("PRN-040", PrinterState.OFFLINE)


def test_pacing_keeps_estimated_buffer_below_capacity():
    printer, time = Printer(), Time()
    driver, link, _ = make_driver(printer, time)
    job = small_job(lines=200)
    assert len(job.data) > 3 * GENERIC_58MM.receive_buffer_bytes
    report = driver.print_job(job)
    assert report.state is PrinterState.ONLINE
    assert b"".join(w for w in link.writes if not w.startswith(cmd.DLE_EOT)) == job.data
    assert sum(time.sleeps) >= job.paper_mm / GENERIC_58MM.print_speed_mm_s * 0.9


def test_paper_running_out_while_paced_stops_the_job():
    printer, time = Printer(), Time()
    driver, link, _ = make_driver(printer, time)
    original_sleep = time.sleep

    def sleep_then_run_out(seconds: float) -> None:
        original_sleep(seconds)
        if time.now > 1.0:
            printer.status.update({1: 0x1A, 2: 0x32, 4: 0x7E})

    driver._sleep = sleep_then_run_out
    with pytest.raises(PrinterFault) as info:
        driver.print_job(small_job(lines=200))
    assert info.value.code == "PRN-020"
    assert 0 < info.value.sent < len(small_job(lines=200).data)
