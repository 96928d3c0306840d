"""The console in its own process, for benchmarks: as in production it does not share the kiosks' interpreter.

Run as `python -m tests.integration.fleet.console_process DB PORT EVENTS [CLIENT_ID]` (DB: a SQLite file or a
database URL; CLIENT_ID: the worker's, when several share the uplinks). Prints `online T` once connected and
announced, `stored T` once EVENTS events are committed (when EVENTS > 0), where T is CLOCK_MONOTONIC (shared
by every process of the machine); then runs until its stdin closes, and stops cleanly.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.integration.fleet.conftest import ServerUnderTest, wait_until
from tests.integration.fleet.kiosk_process import PortOnly


def main() -> None:
    db, port, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    client_id = sys.argv[4] if len(sys.argv) > 4 else "fleet-ingest-1"
    server = ServerUnderTest(db if "://" in db else Path(db), PortOnly(port), client_id).start()
    print("online", time.monotonic(), flush=True)
    if events > 0:
        wait_until(lambda: server.server.counters["stored"] >= events, timeout_s=600, what="events stored",
                   poll_s=0.001)
        print("stored", time.monotonic(), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
