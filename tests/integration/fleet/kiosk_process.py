"""A kiosk in its own process, for kill -9 tests: records N events, flushes, says so, then drains forever.

Run as `python -m tests.integration.fleet.kiosk_process ROOT PORT EVENTS`.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from kiosk.fleet.console.server import BrokerSettings
from tests.integration.fleet.conftest import SERVER_PASSWORD, SERVER_USER, KioskUnderTest


class PortOnly:
    """Stands in for the fixture's Broker where only its port is needed (in another process)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def settings(self) -> BrokerSettings:
        return BrokerSettings(port=self.port, username=SERVER_USER, password=SERVER_PASSWORD)


def main() -> None:
    root, port, events = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    kiosk = KioskUnderTest(root, PortOnly(port), batches_per_s=40.0, batch_max_events=50, ack_timeout_s=2.0)
    kiosk.start()
    for i in range(events):
        kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})
    kiosk.outbox.flush(60.0)
    print("flushed", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
