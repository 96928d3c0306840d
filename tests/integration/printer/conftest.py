"""Fixtures of the printer area: a simulator on a real pty behind a stable link, and a driver over pyserial."""

from __future__ import annotations

import dataclasses

import pytest

from firmware_bridge.escpos.driver import PrinterDriver
from firmware_bridge.escpos.profile import GENERIC_58MM
from firmware_bridge.sim.printer_sim import PrinterSimulator
from firmware_bridge.transport.serial_port import SerialTransport

FAST_58MM = dataclasses.replace(GENERIC_58MM, print_speed_mm_s=800.0)
"""The 58 mm profile with a fast mechanism so tests stay quick; buffer stays 1 KiB, the small one."""
SIM_SPEED_MM_S = 1600.0
"""The simulated mechanism beats the profile's rated speed, as real printers beat datasheet minimums."""


@pytest.fixture
def sim(tmp_path):
    simulator = PrinterSimulator(FAST_58MM, speed_mm_s=SIM_SPEED_MM_S, link_path=str(tmp_path / "printer"))
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def xon_sim(tmp_path):
    simulator = PrinterSimulator(FAST_58MM, speed_mm_s=SIM_SPEED_MM_S, link_path=str(tmp_path / "printer"), xonxoff=True)
    simulator.start()
    yield simulator
    simulator.stop()


def make_driver(port: str, *, flow_control: str = "none", status_timeout_s: float = 0.3,
                write_timeout_s: float = 1.0) -> PrinterDriver:
    """A driver over real pyserial; paced unless the line has flow control."""
    link = SerialTransport(port, baudrate=115200, flow_control=flow_control, write_timeout_s=write_timeout_s,
                           first_backoff_s=0.05, max_backoff_s=0.2)
    return PrinterDriver(link, FAST_58MM, status_timeout_s=status_timeout_s, paced=flow_control == "none")
