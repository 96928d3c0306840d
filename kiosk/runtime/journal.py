"""The kiosk's own logs of a time range, read from the journal for the fleet's `upload_logs` command.

Why the journal: the kiosk logs to stderr and systemd keeps that in the journal (kiosk/runtime/logging_setup.py), with
what only the journal has: a crash's traceback, and systemd's own lines about the unit (watchdog, restarts).
`journalctl` (found on PATH, run without a shell) selects the unit, the range and the few fields an operator
needs; the kiosk reads the newest entries first up to a byte cap, so a range too large for one upload keeps its
end, where the trouble usually is, and says it was cut. The service reads the journal as a member of the
systemd-journal group (deploy/systemd/kiosk.service). The logs carry codes and ids, never citizen data
(logging_setup), which tests/integration/app/test_fleet_commands_logs.py checks on a real session's logs.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass

from kiosk.fleet.protocol import Code, Rejected

UNIT = "kiosk.service"
"""The unit deploy/install.sh installs the kiosk as."""
FIELDS = ("MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "_PID", "UNIT")
"""Journal fields uploaded, besides the timestamps, cursor and boot id that JSON output always carries."""
MAX_LOG_BYTES = 8 << 20
"""Bytes of journal JSON one upload carries at most (before compression)."""
JOURNALCTL_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class LogSpan:
    """Journal entries as JSON lines, oldest first; `truncated` when older entries of the range did not fit."""

    lines: list[bytes]
    truncated: bool
    warning: str
    """journalctl's first line on stderr (e.g. that it may not read the system journal), else empty."""

    def jsonl(self) -> bytes:
        return b"".join(self.lines)


def journal_argv(since_ms: int, until_ms: int | None) -> list[str]:
    """journalctl's arguments: this unit, whole seconds covering the range, newest first, JSON with FIELDS."""
    argv = ["journalctl", f"--unit={UNIT}", f"--since=@{since_ms // 1000}", "--reverse", "--output=json",
            f"--output-fields={','.join(FIELDS)}", "--no-pager"]
    if until_ms is not None:
        argv.append(f"--until=@{-(-until_ms // 1000)}")
    return argv


def read_journal(since_ms: int, until_ms: int | None, max_bytes: int = MAX_LOG_BYTES) -> LogSpan:
    """The unit's entries from `since_ms` to `until_ms` (None = now), newest kept when they exceed `max_bytes`.

    Rejected 503 when journalctl is missing, 500 when it fails or outlasts JOURNALCTL_TIMEOUT_S.
    """
    try:
        process = subprocess.Popen(journal_argv(since_ms, until_ms), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise Rejected("journalctl not found", Code.UNAVAILABLE) from None
    timed_out = threading.Event()

    def expire() -> None:
        timed_out.set()
        process.kill()

    timer = threading.Timer(JOURNALCTL_TIMEOUT_S, expire)
    timer.start()
    lines: list[bytes] = []
    size, truncated = 0, False
    try:
        for line in process.stdout:
            if size + len(line) > max_bytes:
                truncated = True
                process.kill()
                break
            lines.append(line)
            size += len(line)
        stderr = process.stderr.read().decode("utf-8", "replace")
        returncode = process.wait()
    finally:
        timer.cancel()
        process.stdout.close()
        process.stderr.close()
    warning = (stderr.strip().splitlines() or [""])[0][:300]
    if timed_out.is_set():
        raise Rejected(f"journalctl did not finish within {JOURNALCTL_TIMEOUT_S:.0f} s", Code.FAILED)
    if not truncated and returncode != 0:
        raise Rejected(f"journalctl failed (exit status {returncode}): {warning}", Code.FAILED)
    lines.reverse()
    return LogSpan(lines, truncated, warning)
