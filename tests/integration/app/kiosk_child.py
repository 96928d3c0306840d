"""A kiosk started as `kiosk run` starts it (kiosk.runtime.runner.prepare: the crash-loop guard, safe mode), without
the Kivy window, in its own process: `python -m tests.integration.app.kiosk_child`.

It prints one JSON line when every subsystem has tried to start ({"safe_mode", "printer", "reader", "fleet"}: which
started), one ({"restart": by}) for every restart asked of it, and stops at the first line on its stdin. Tests run
it where a restart must be a real one (a new process reading what the last one left on disk).
"""

from __future__ import annotations

import json
import sys

from kiosk.runtime.runner import prepare
from kiosk.core.events import RestartRequested

STARTED_TIMEOUT_S = 60.0


def main() -> int:
    kiosk = prepare(dev=False)
    kiosk.bus.subscribe(RestartRequested, lambda event: print(json.dumps({"restart": event.by}), flush=True))
    kiosk.start()
    kiosk.wait_started(STARTED_TIMEOUT_S)
    kiosk.on_ui_ready()  # what the first frame does: the start counts as finished
    print(json.dumps({"safe_mode": kiosk.safe_mode, "printer": kiosk.printing is not None,
                      "reader": kiosk.identity is not None, "fleet": kiosk.fleet is not None}), flush=True)
    sys.stdin.readline()
    kiosk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
