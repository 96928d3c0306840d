"""Technician device tests, the same from the maintenance menu and from the fleet's `printer_test` command.

Why one place: "does the printer print?" must get the same answer whether a technician taps 测试打印 at the
kiosk or the bureau sends the command from the centre; the answer is what the printer actually did.
"""

from __future__ import annotations

import threading
from typing import Any

from kiosk.core.clock import Clock
from kiosk.core.events import EventBus
from kiosk.services.printing import PRN_STALLED, PrintingService, PrintJobFailed, PrintJobPrinted
from kiosk.services.slip_layout import CENTER, Gap, Line

TEST_PRINT_TIMEOUT_S = 60.0
"""Seconds to wait for the test slip to come out (a long slip on a slow 58 mm head takes ~15 s)."""


def print_test_slip(printing: PrintingService, bus: EventBus, clock: Clock, kiosk_id: str,
                    timeout_s: float = TEST_PRINT_TIMEOUT_S) -> dict[str, Any]:
    """Print a short slip (Chinese text, digits, a cut) and wait for the outcome; never on the UI thread."""
    number = f"TEST-{kiosk_id}-{clock.now():%Y%m%d%H%M%S}"
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def on_printed(event: PrintJobPrinted) -> None:
        if event.number == number:
            outcome.update(ok=True, bytes=event.bytes_sent)
            done.set()

    def on_failed(event: PrintJobFailed) -> None:
        if event.number == number:
            outcome.update(ok=False, code=event.code)
            done.set()

    unsubscribers = [bus.subscribe(PrintJobPrinted, on_printed), bus.subscribe(PrintJobFailed, on_failed)]
    try:
        texts = printing.texts
        blocks = (Line(texts("printer_test.title"), CENTER, True, 2), Gap(), Line(f"{texts('slip.kiosk')}：{kiosk_id}"),
                  Line(texts("printer_test.time", time=f"{clock.now():%Y-%m-%d %H:%M:%S}")),
                  Line(texts("printer_test.sample")), Gap())
        job_id = printing.submit_blocks(number, blocks)
        if not done.wait(timeout_s):
            outcome.update(ok=False, code=PRN_STALLED.code)  # nothing came out in time
        if not outcome["ok"]:
            printing.discard(job_id)  # a test slip is never offered again to the next citizen
    finally:
        for unsubscribe in unsubscribers:
            unsubscribe()
    outcome["state"] = printing.state.value
    return outcome
