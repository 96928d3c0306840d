"""The health board: each subsystem's latest state, for the maintenance menu and the fleet's birth message.

Why: a technician must see at a glance which part of the kiosk is down and with what code, without logs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.events import EventBus, SubsystemFailed, SubsystemRecovered


@dataclass(frozen=True, slots=True)
class SubsystemHealth:
    """One line of the board."""

    name: str
    ok: bool
    code: str = ""
    detail: str = ""


class HealthBoard:
    """Keeps the last state of every subsystem it heard about through the bus."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._states: dict[str, SubsystemHealth] = {}
        self._lock = threading.Lock()
        self._unsubscribers: list[Callable[[], None]] = []

    def start(self) -> None:
        """Listen for failures and recoveries."""
        self._unsubscribers = [self._bus.subscribe(SubsystemFailed, self._on_failed),
                               self._bus.subscribe(SubsystemRecovered, self._on_recovered)]

    def stop(self) -> None:
        """Stop listening."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()

    def report_ok(self, name: str, detail: str = "") -> None:
        """Record a subsystem that came up fine, unless its own thread already reported a fault (kept)."""
        with self._lock:
            self._states.setdefault(name, SubsystemHealth(name, True, detail=detail))

    def snapshot(self) -> list[SubsystemHealth]:
        """Every subsystem's state, sorted by name."""
        with self._lock:
            return sorted(self._states.values(), key=lambda h: h.name)

    def _on_failed(self, event: SubsystemFailed) -> None:
        with self._lock:
            self._states[event.subsystem] = SubsystemHealth(event.subsystem, False, event.code, event.detail)

    def _on_recovered(self, event: SubsystemRecovered) -> None:
        with self._lock:
            self._states[event.subsystem] = SubsystemHealth(event.subsystem, True)
