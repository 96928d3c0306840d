"""A small typed event bus: events are frozen dataclasses, handlers are keyed by event class.

Why: devices, storage, fleet and UI talk without importing each other. `subscribe()` returns the unsubscribe
callable so each owner removes exactly what it added; a handler that raises is logged and contained so one
bad subscriber never breaks the publisher (a device thread or the UI loop).

Handlers run on the publisher's thread. The UI subscribes through `kiosk.ui.bridge`, which re-posts to the
Kivy thread with `Clock.schedule_once`; nothing here knows about Kivy.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

E = TypeVar("E", bound="Event")
Handler = Callable[[Any], None]
Unsubscribe = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event; subclasses are frozen dataclasses named for what happened."""


class EventBus:
    """Synchronous publish/subscribe keyed by event class (a handler of a base class sees subclasses)."""

    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = {}
        self._lock = threading.Lock()
        self.handler_failures = 0
        """Count of handler exceptions contained since start (health telemetry)."""

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Unsubscribe:
        """Register `handler` for `event_type` and its subclasses; returns the callable that removes it."""
        with self._lock:
            self._handlers.setdefault(event_type, []).append(handler)

        def unsubscribe() -> None:
            with self._lock:
                handlers = self._handlers.get(event_type, [])
                if handler in handlers:
                    handlers.remove(handler)

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Deliver `event` to every matching handler on this thread; failures are logged, never raised."""
        with self._lock:
            targets = [h for cls in type(event).__mro__ for h in self._handlers.get(cls, ())]
        for handler in targets:
            try:
                handler(event)
            except Exception:
                self.handler_failures += 1
                logger.exception("event handler %r failed on %s", handler, type(event).__name__)


# ---- lifecycle and health events shared across subsystems -------------------------------------------------


@dataclass(frozen=True, slots=True)
class AppStarted(Event):
    """The composition root finished starting every service; `safe_mode` if only maintenance runs."""

    safe_mode: bool = False


@dataclass(frozen=True, slots=True)
class AppStopping(Event):
    """Shutdown began; services flush and close."""


@dataclass(frozen=True, slots=True)
class SubsystemFailed(Event):
    """An optional subsystem failed soft (printer, reader, fleet, storage); shown in maintenance, counted."""

    subsystem: str
    code: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class SubsystemRecovered(Event):
    """A subsystem that had failed is working again."""

    subsystem: str


@dataclass(frozen=True, slots=True)
class ScreenShown(Event):
    """A screen became current; telemetry counts views by screen id."""

    screen: str


@dataclass(frozen=True, slots=True)
class ControlTapped(Event):
    """A control was tapped; telemetry counts taps by screen and control id (never what was typed)."""

    screen: str
    control: str


@dataclass(frozen=True, slots=True)
class StorageDatabaseMovedAside(Event):
    """The database was corrupt or unreadable at start and was renamed for a technician; a fresh one is used."""

    original: str
    moved_to: str
    reason: str


@dataclass(frozen=True, slots=True)
class ConfigApplied(Event):
    """A new effective configuration is in force (technician or fleet change)."""

    source: str
    changed_keys: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class TriageChosen(Event):
    """The citizen chose a topic offered by smart consultation (only the id: routing quality in the field)."""

    topic_id: str
    rank: int
    """1-based position of the chosen topic among those offered (the referral fallback counts after them)."""
    via: str
    """`text` when the citizen typed, `menu` when they tapped a common question."""


@dataclass(frozen=True, slots=True)
class ConsultationStarted(Event):
    """A consultation flow began for the citizen at the screen."""

    topic_id: str


@dataclass(frozen=True, slots=True)
class OpinionIssued(Event):
    """A consultation finished and its opinion was signed (the bureau's "opinions issued" count)."""

    topic_id: str
    outcome_id: str
    legal_aid_verdict: str
    special_group: str
    number: str = ""
    """The opinion's number, so its print job (and not another slip's) counts as the opinion printed."""


@dataclass(frozen=True, slots=True)
class SatisfactionRated(Event):
    """The citizen rated the service on the five-level 好差评 scale (1 非常不满意 … 5 非常满意)."""

    level: int
    topic_id: str = ""


@dataclass(frozen=True, slots=True)
class RestartRequested(Event):
    """The app should close so systemd restarts it (a fleet command or a technician); `by` says who asked."""

    by: str


@dataclass(frozen=True, slots=True)
class OpinionQrShown(Event):
    """The citizen opened the opinion's QR code on screen to take it away by phone."""

    topic_id: str
