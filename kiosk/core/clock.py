"""Injectable time: wall time for documents and telemetry, monotonic time for timeouts.

Why: session timeouts, limitation-period deadlines and outbox timestamps must be testable without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time (UTC+8, no daylight saving): the legal dates on slips are in this zone."""


class Clock(Protocol):
    """What the code asks of time."""

    def now(self) -> datetime:
        """Aware wall-clock time in China Standard Time."""

    def today(self) -> date:
        """The calendar date in China Standard Time."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never go back (for timeouts and durations)."""


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(CHINA_TZ)

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock tests move by hand; thread-safe so device threads may read it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._wall = start or datetime(2026, 11, 22, 9, 0, tzinfo=CHINA_TZ)
        self._mono = 1000.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._wall

    def today(self) -> date:
        return self.now().date()

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        """Move both clocks forward by `seconds`."""
        with self._lock:
            self._wall += timedelta(seconds=seconds)
            self._mono += seconds
