"""The driver and the simulator through a real pty and real pyserial, for every fault knob."""

from __future__ import annotations

import contextlib
import time

import pytest

from firmware_bridge.escpos.driver import PrinterFault
from firmware_bridge.escpos.job import JobBuilder
from firmware_bridge.escpos.status import PrinterState
from tests.integration.printer.conftest import FAST_58MM, SIM_SPEED_MM_S, make_driver


def long_job(lines: int = 150):
    builder = JobBuilder(FAST_58MM)
    builder.line("劳动报酬争议", scale=2)
    for i in range(lines):
        builder.line(f"第{i:03d}行：用人单位应当按时足额支付劳动报酬。")
    builder.qr("https://verify.example.cn/v/ABCD2345", module_dots=4)
    return builder.finish()


def test_paced_job_prints_whole_without_overflow(sim):
    driver = make_driver(sim.port_path)
    job = long_job()
    assert len(job.data) > 4 * sim.capacity
    assert driver.print_job(job).state is PrinterState.ONLINE
    assert sim.wait_until(lambda s: s.printout.count("image") >= 1 and not s._buffer, 10)
    assert sim.dropped_bytes == 0 and sim.peak_buffer_bytes <= sim.capacity
    assert sim.printout.lines[1] == "第000行：用人单位应当按时足额支付劳动报酬。"
    assert len(sim.printout.lines) == 151
    driver.link.close()


def test_xonxoff_job_prints_whole_without_overflow(xon_sim):
    driver = make_driver(xon_sim.port_path, flow_control="xonxoff")
    job = long_job()
    driver.print_job(job)
    assert xon_sim.wait_until(lambda s: len(s.printout.lines) == 151, 10)
    assert xon_sim.dropped_bytes == 0 and xon_sim.peak_buffer_bytes <= xon_sim.capacity
    driver.link.close()


def test_unpaced_job_without_flow_control_overflows_the_sim(sim):
    """The control experiment: the same job blasted at a printer with no pacing loses bytes."""
    driver = make_driver(sim.port_path)
    driver.paced = False
    with contextlib.suppress(PrinterFault):     # lost bytes may desynchronise the printer's parser too
        driver.print_job(long_job())
    assert sim.dropped_bytes > 0
    driver.link.close()


def test_paper_near_end_still_prints(sim):
    sim.faults.paper_near_end = True
    driver = make_driver(sim.port_path)
    report = driver.print_job(long_job(5))
    assert (report.state, report.code) == (PrinterState.PAPER_NEAR_END, "PRN-021")
    driver.link.close()


@pytest.mark.parametrize("flow", ["none", "xonxoff"])
def test_paper_out_mid_job_then_reload_and_retry(tmp_path, flow):
    from firmware_bridge.sim.printer_sim import PrinterSimulator

    sim = PrinterSimulator(FAST_58MM, speed_mm_s=SIM_SPEED_MM_S, link_path=str(tmp_path / "p"), xonxoff=flow == "xonxoff")
    sim.faults.paper_out_after_mm = 60
    sim.start()
    try:
        driver = make_driver(sim.port_path, flow_control=flow, write_timeout_s=0.5)
        with pytest.raises(PrinterFault) as info:
            driver.print_job(long_job())
        assert (info.value.code, info.value.state) == ("PRN-020", PrinterState.PAPER_OUT)
        assert driver.check_status().state is PrinterState.PAPER_OUT
        sim.load_paper()
        assert sim.wait_until(lambda s: not s._buffer, 5)
        assert driver.check_status().state is PrinterState.ONLINE
        before = len(sim.printout.lines)
        driver.print_job(long_job(20))
        assert sim.wait_until(lambda s: len(s.printout.lines) >= before + 21, 10)
        assert sim.printout.lines[-1] == "第019行：用人单位应当按时足额支付劳动报酬。"
        driver.link.close()
    finally:
        sim.stop()


def test_cover_open_refuses_then_prints_after_close(sim):
    sim.faults.cover_open = True
    driver = make_driver(sim.port_path)
    with pytest.raises(PrinterFault) as info:
        driver.print_job(long_job(3))
    assert info.value.code == "PRN-010" and sim.printout.items == []
    sim.close_cover()
    driver.print_job(long_job(3))
    assert sim.wait_until(lambda s: len(s.printout.lines) == 4, 5)
    driver.link.close()


def test_no_reply_is_offline(sim):
    sim.faults.no_reply = True
    driver = make_driver(sim.port_path, status_timeout_s=0.1)
    report = driver.check_status()
    assert (report.state, report.code) == (PrinterState.OFFLINE, "PRN-001")
    with pytest.raises(PrinterFault) as info:
        driver.print_job(long_job(3))
    assert info.value.code == "PRN-001"
    driver.link.close()


def test_garbage_reply_is_an_error_not_online(sim):
    sim.faults.garbage_reply = True
    driver = make_driver(sim.port_path)
    report = driver.check_status()
    assert (report.state, report.code, report.printer) == (PrinterState.ERROR, "PRN-002", 0xFF)
    driver.link.close()


def test_slow_reply_within_and_beyond_the_timeout(sim):
    driver = make_driver(sim.port_path, status_timeout_s=0.4)
    sim.faults.reply_delay_s = 0.05
    assert driver.check_status().state is PrinterState.ONLINE
    sim.faults.reply_delay_s = 0.6
    assert driver.check_status().state is PrinterState.OFFLINE
    sim.faults.reply_delay_s = 0.0
    assert sim.wait_until(lambda s: s.status_queries >= 4, 2)
    time_limit = time.monotonic() + 2
    while driver.check_status().state is not PrinterState.ONLINE and time.monotonic() < time_limit:
        continue
    assert driver.state is PrinterState.ONLINE      # the late byte was flushed, not taken for the next reply
    driver.link.close()


def test_cable_pulled_mid_job_then_reconnected(sim):
    sim.faults.drop_after_bytes = 1500
    driver = make_driver(sim.port_path)
    with pytest.raises(PrinterFault) as info:
        driver.print_job(long_job())
    assert (info.value.code, info.value.state) == ("PRN-040", PrinterState.OFFLINE)
    sim.reconnect()
    deadline = time.monotonic() + 5
    while driver.check_status().state is not PrinterState.ONLINE and time.monotonic() < deadline:
        time.sleep(0.05)
    assert driver.state is PrinterState.ONLINE
    assert driver.link.health.reconnects == 1
    driver.print_job(long_job(5))
    assert sim.wait_until(lambda s: s.printout.lines[-1:] == ["第004行：用人单位应当按时足额支付劳动报酬。"], 5)
    driver.link.close()
