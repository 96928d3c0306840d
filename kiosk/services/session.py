"""The citizen's session: a state machine with an idle countdown and a privacy wipe at the end.

Why: a kiosk is shared; whatever one citizen told it (their card, their answers) must be gone before the next
one walks up, whether they pressed "finish", printed, or just walked away. Every holder of personal data
registers a wipe callback; `end()` calls them all, even if one fails.

States: IDLE (attract screen) → ACTIVE (a citizen is using it) → COUNTDOWN (no touch for idle_timeout_s; the
screen counts down aloud) → back to ACTIVE on a touch, or → IDLE after countdown_s with the wipe.
`tick()` is driven by the UI's clock (once a second); it reads the injectable Clock, so tests need no sleep.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from kiosk.core.clock import Clock
from kiosk.core.events import Event, EventBus
from kiosk.core.ids import new_id

logger = logging.getLogger(__name__)


class SessionState(Enum):
    """Where the citizen's session is."""

    IDLE = "idle"
    ACTIVE = "active"
    COUNTDOWN = "countdown"


IN_USE_STATES = frozenset({SessionState.ACTIVE, SessionState.COUNTDOWN})
"""States in which a citizen may be at the screen: fleet commands that need an idle kiosk are refused (409)."""


class EndReason(Enum):
    """Why a session ended (reported in telemetry)."""

    FINISHED = "finished"
    PRINTED = "printed"
    IDLE_TIMEOUT = "idle_timeout"
    MAINTENANCE = "maintenance"
    SHUTDOWN = "shutdown"
    QUICK_EXIT = "quick_exit"
    """快速离开: the citizen left at once (someone may be watching); wiped like every other end."""


@dataclass(frozen=True, slots=True)
class SessionStarted(Event):
    """A citizen started using the kiosk."""

    session_id: str


@dataclass(frozen=True, slots=True)
class SessionCountdown(Event):
    """No touch for a while; the screen shows and speaks the seconds left."""

    session_id: str
    seconds_left: int


@dataclass(frozen=True, slots=True)
class SessionResumed(Event):
    """The citizen touched the screen during the countdown."""

    session_id: str


@dataclass(frozen=True, slots=True)
class SessionEnded(Event):
    """The session ended and every personal datum was wiped."""

    session_id: str
    reason: EndReason
    duration_s: float


class SessionService:
    """Owns the session state; UI reports touches, wipe callbacks erase personal data at the end."""

    def __init__(self, bus: EventBus, clock: Clock, *, idle_timeout_s: float, countdown_s: float) -> None:
        self._bus = bus
        self._clock = clock
        self._idle_timeout_s = idle_timeout_s
        self._countdown_s = countdown_s
        self._session_idle_timeout_s: float | None = None
        self._wipers: list[Callable[[], None]] = []
        self._lock = threading.RLock()
        self.state = SessionState.IDLE
        self.session_id = ""
        self._started_at = 0.0
        self._last_touch = 0.0
        self._last_announced = -1

    def set_timeouts(self, idle_timeout_s: float, countdown_s: float) -> None:
        """New timeouts from a configuration change; they apply from the next tick."""
        with self._lock:
            self._idle_timeout_s, self._countdown_s = idle_timeout_s, countdown_s

    def set_session_idle_timeout(self, idle_timeout_s: float | None) -> None:
        """This session's own idle time (longer for 长辈模式, shorter on a sensitive topic); None = configured.

        Forgotten when the session ends, like everything else of the citizen's.
        """
        with self._lock:
            self._session_idle_timeout_s = idle_timeout_s

    @property
    def idle_timeout_s(self) -> float:
        """Seconds without a touch before the countdown starts, for the session now running."""
        with self._lock:
            return self._session_idle_timeout_s or self._idle_timeout_s

    def add_wiper(self, wipe: Callable[[], None]) -> Callable[[], None]:
        """Register a callback that erases personal data; returns the callable that removes it."""
        with self._lock:
            self._wipers.append(wipe)
        return lambda: self._wipers.remove(wipe) if wipe in self._wipers else None

    @property
    def in_use(self) -> bool:
        """Whether a citizen may be at the screen."""
        return self.state in IN_USE_STATES

    def touch(self) -> None:
        """A touch: starts a session from IDLE, resumes from COUNTDOWN, or just resets the idle timer."""
        with self._lock:
            now = self._clock.monotonic()
            self._last_touch = now
            if self.state is SessionState.IDLE:
                self.session_id = new_id()
                self._started_at = now
                self.state = SessionState.ACTIVE
                event: Event | None = SessionStarted(self.session_id)
            elif self.state is SessionState.COUNTDOWN:
                self.state = SessionState.ACTIVE
                self._last_announced = -1
                event = SessionResumed(self.session_id)
            else:
                event = None
        if event is not None:
            self._bus.publish(event)

    def tick(self) -> None:
        """Advance timeouts from the clock: start the countdown, announce seconds, end when it runs out."""
        with self._lock:
            if self.state is SessionState.IDLE:
                return
            idle_s = self._clock.monotonic() - self._last_touch
            idle_timeout_s = self.idle_timeout_s
            if idle_s < idle_timeout_s:
                return
            left = idle_timeout_s + self._countdown_s - idle_s
            if left <= 0:
                self.end(EndReason.IDLE_TIMEOUT)
                return
            self.state = SessionState.COUNTDOWN
            seconds_left = int(left + 0.999)
            if seconds_left == self._last_announced:
                return
            self._last_announced = seconds_left
            session_id = self.session_id
        self._bus.publish(SessionCountdown(session_id, seconds_left))

    def end(self, reason: EndReason) -> None:
        """End the session now: run every wiper (failures logged, the rest still run) and go IDLE."""
        with self._lock:
            if self.state is SessionState.IDLE:
                return
            session_id = self.session_id
            duration_s = self._clock.monotonic() - self._started_at
            for wipe in list(self._wipers):
                try:
                    wipe()
                except Exception:
                    logger.exception("session wiper %r failed", wipe)
            self.state = SessionState.IDLE
            self.session_id = ""
            self._last_announced = -1
            self._session_idle_timeout_s = None
        self._bus.publish(SessionEnded(session_id, reason, round(duration_s, 1)))
