"""Fixtures: the ID card simulator on a real pty, and the driver on real pyserial with recorded callbacks."""

from __future__ import annotations

import queue

import pytest

from firmware_bridge.idcard.driver import DriverTimings, IdCardDriver, ReaderCallbacks
from firmware_bridge.sim.idcard_sim import IdCardSimulator
from firmware_bridge.transport.serial_port import SerialTransport

WAIT_S = 15.0
"""Seconds any test waits for one callback (generous: the CI machine is shared)."""
TIMINGS = DriverTimings(poll_interval_s=0.02, status_interval_s=0.05, reconnect_interval_s=0.05,
                        quick_timeout_s=0.5, read_timeout_s=2.0)


class Recorder:
    """The driver's callbacks as a queue the test thread waits on."""

    def __init__(self) -> None:
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.callbacks = ReaderCallbacks(
            card_presented=lambda: self.events.put(("presented",)),
            card_read=lambda record: self.events.put(("read", record)),
            card_read_failed=lambda code: self.events.put(("failed", code)),
            reader_online=lambda: self.events.put(("online",)),
            reader_offline=lambda code: self.events.put(("offline", code)))

    def next(self) -> tuple:
        return self.events.get(timeout=WAIT_S)


@pytest.fixture
def sim():
    simulator = IdCardSimulator()
    simulator.start()
    yield simulator
    simulator.stop()


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def start_driver(recorder):
    """Start a driver on a port path; stopped at the end of the test."""
    drivers = []

    def start(port: str) -> IdCardDriver:
        driver = IdCardDriver(SerialTransport(port, first_backoff_s=0.02, max_backoff_s=0.1), recorder.callbacks,
                              TIMINGS)
        drivers.append(driver)
        driver.start()
        return driver

    yield start
    for driver in drivers:
        driver.stop()
