"""Start-up bookkeeping that survives crashes: the crash-loop counter that sends the kiosk to safe mode.

Why: a kiosk that crashes during start-up would restart forever under systemd, showing citizens nothing and
technicians nothing. Each start increments a counter in a small file before anything else is built and
clears it once the app is up; after `threshold` failed starts in a row the next boot is safe mode (maintenance
screen only) so a technician can read the logs and fix the settings. A plain file, not SQLite, because the
database may be what is failing.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

ATTEMPTS_FILE = "startup_attempts"


class StartupGuard:
    """Counts unfinished starts in `data_dir` and decides whether this boot is safe mode."""

    def __init__(self, data_dir: Path, threshold: int) -> None:
        self._attempts = Path(data_dir) / ATTEMPTS_FILE
        self._threshold = threshold

    def failed_starts(self) -> int:
        """Starts that began and never reached `mark_started()`."""
        try:
            return int(self._attempts.read_text(encoding="ascii").strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def begin(self) -> bool:
        """Record a start attempt; returns True when this boot must be safe mode."""
        previous = self.failed_starts()
        self._attempts.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._attempts.with_suffix(".tmp")
        tmp.write_text(str(previous + 1), encoding="ascii")
        os.replace(tmp, self._attempts)
        safe = previous >= self._threshold
        if safe:
            logger.error("safe mode: %d unfinished starts in a row (threshold %d)", previous, self._threshold)
        return safe

    def mark_started(self) -> None:
        """The app is up and interactive: the crash-loop counter goes back to zero."""
        try:
            self._attempts.unlink()
        except FileNotFoundError:
            pass
