"""A kiosk started as `kiosk run` starts it (kiosk.runtime.runner.prepare), without the Kivy window, that prints a
slip when told: `python -m tests.integration.printer.print_child`, for tests that kill it mid-print.

It prints one JSON line once every subsystem has tried to start ({"printer": started, "orphans": what the printing
service recorded of the last run's unfinished jobs}); then, for each `print` line on its stdin, submits the example
opinion and prints {"queued": job id, "number": its number}; any other line stops it.
"""

from __future__ import annotations

import json
import sys

from kiosk.legal.examples import build_example_opinion
from kiosk.runtime.runner import prepare

STARTED_TIMEOUT_S = 60.0


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


def main() -> int:
    kiosk = prepare(dev=False)
    kiosk.start()
    kiosk.wait_started(STARTED_TIMEOUT_S)
    kiosk.on_ui_ready()  # what the first frame does: the start counts as finished
    printing = kiosk.printing
    say(printer=printing is not None,
        orphans={str(state): n for state, n in (printing.orphans_at_start if printing else {}).items()})
    while sys.stdin.readline().strip() == "print" and printing is not None:
        opinion = build_example_opinion("specimen", kiosk_id=kiosk.config.kiosk.id, issued_at=kiosk.clock.now())
        say(queued=printing.submit(opinion), number=opinion.number)
    kiosk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
