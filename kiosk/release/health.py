"""The report a started kiosk leaves for the release guard: which release came up, as which process, in safe mode?

Why: systemd knows only that READY=1 arrived; the guard must also know that it came from the release on trial and
that the app is not in safe mode (the crash-loop guard tripped), before it commits that release as good.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from kiosk.release.durable import write_atomic

REPORT_FILE = "started.json"
"""The report's name in the kiosk's data directory (the unit's ExecStartPost names the same file)."""
POLL_S = 0.1
"""Seconds between looks while the guard waits for the report."""


def write_report(path: Path, *, safe_mode: bool) -> None:
    """Record that this process is up: its venv (the release), pid and whether only maintenance runs."""
    report = {"prefix": sys.prefix, "pid": os.getpid(), "safe_mode": safe_mode,
              "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_atomic(Path(path), json.dumps(report).encode())


def read_report(path: Path) -> dict | None:
    """The last report, or None when there is none or it cannot be read."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def wait_for_report(path: Path, pid: int | None, timeout_s: float) -> dict | None:
    """The report of process `pid` (any when None), waiting up to `timeout_s` for it to be written."""
    deadline = time.monotonic() + timeout_s
    while True:
        report = read_report(path)
        if report is not None and (pid is None or report.get("pid") == pid):
            return report
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_S)
