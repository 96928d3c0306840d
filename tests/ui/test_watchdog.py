"""A frozen UI loop is what systemd's watchdog restarts: the kiosk sends WATCHDOG=1 from the UI loop only, so while
the loop is blocked nothing reaches the NOTIFY_SOCKET (a datagram socket of the test's, as tests/bench/startup.py
listens for READY=1) for longer than the watchdog timeout, and after it the pings resume."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.ui.runner import run_scenario
from tests.ui.scenarios_watchdog import FREEZE_S

pytestmark = pytest.mark.ui

WATCHDOG_USEC = 1_000_000
"""The watchdog timeout the test gives the kiosk (the unit's is 30 s): pings every half of it."""
ARRIVAL_SLACK_S = 0.05
"""A ping sent just before the freeze may arrive just after it began."""


def test_a_blocked_ui_loop_stops_the_watchdog_pings(display, tmp_path):
    path = tmp_path / "notify"
    received: list[tuple[float, bytes]] = []
    done = threading.Event()
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(str(path))
        notify.settimeout(0.1)

        def listen() -> None:
            while not done.is_set():
                try:
                    data = notify.recv(4096)
                except TimeoutError:
                    continue
                received.append((time.monotonic(), data))

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        report = run_scenario("watchdog_frozen_ui", display, tmp_path,
                              env={"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": str(WATCHDOG_USEC)})
        done.set()
        listener.join(5)
    start, end = report["frozen"]
    assert end - start >= FREEZE_S
    assert any(data == b"READY=1" for _, data in received)
    pings = [at for at, data in received if data == b"WATCHDOG=1"]
    before = [at for at in pings if at < start + ARRIVAL_SLACK_S]
    during = [at for at in pings if start + ARRIVAL_SLACK_S <= at < end]
    after = [at for at in pings if at >= end]
    assert len(before) >= 3 and during == [] and len(after) >= 2, (before, during, after, start, end)
    # Across the freeze the gap outlasts the timeout: systemd would have killed (SIGABRT) and restarted the kiosk.
    assert after[0] - before[-1] > WATCHDOG_USEC / 1e6
