"""The systemd watchdog's heartbeat comes from the UI loop: the loop blocked on purpose (as a serial read on the UI
thread would) stops WATCHDOG=1 until it runs again. tests/ui/test_watchdog.py listens on the NOTIFY_SOCKET."""

from __future__ import annotations

import time

from tests.ui.harness import Driver

FREEZE_S = 2.5
"""How long the UI loop is blocked: longer than the test's watchdog timeout (WATCHDOG_USEC 1 s)."""


async def scenario_watchdog_frozen_ui(d: Driver) -> None:
    notifier = d.kiosk.notifier
    sent: list[float] = []
    send = notifier.notify

    def counting(message: str) -> None:
        if message == "WATCHDOG=1":
            sent.append(time.monotonic())
        send(message)

    notifier.notify = counting
    # Once the idle-time screen building is done (its off-UI reads must not outlive this short run).
    await d.until(lambda: d.on_screen("attract") and d.app.screens_ready and len(sent) >= 3,
                  "screens built and three watchdog pings", timeout_s=60)
    frozen_from = time.monotonic()
    time.sleep(FREEZE_S)  # the UI loop itself blocked: nothing else of the kiosk is stopped
    frozen_to = time.monotonic()
    await d.until(lambda: sum(t > frozen_to for t in sent) >= 2, "pings again after the freeze")
    d.report["frozen"] = [frozen_from, frozen_to]


SCENARIOS = {"watchdog_frozen_ui": scenario_watchdog_frozen_ui}
