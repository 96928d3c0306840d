"""The one crossing from service threads to the Kivy thread: bus events and finished work arrive by Clock.

Why: device, storage and MQTT threads publish events on their own threads; widgets may only be touched on
the Kivy thread. Everything the UI hears goes through `UiBridge.on()` or `run_off_ui()`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from kivy.app import App
from kivy.clock import Clock

from kiosk.core.events import EventBus

logger = logging.getLogger(__name__)

E = TypeVar("E")


class UiBridge:
    """Subscribes UI handlers to bus events so they run on the Kivy thread; `close()` removes them all."""

    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._unsubscribers: list[Callable[[], None]] = []

    def on(self, event_type: type[E], handler: Callable[[E], None]) -> None:
        """Call `handler(event)` on the Kivy thread for every `event_type` published anywhere."""

        def post(event: E) -> None:
            Clock.schedule_once(lambda _dt: handler(event), 0)

        self._unsubscribers.append(self._bus.subscribe(event_type, post))

    def close(self) -> None:
        """Remove every subscription this bridge made."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()


def run_off_ui(work: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]) -> None:
    """Run `work` on a worker thread, then `on_done(result, error)` on the Kivy thread, unless the app has
    stopped meanwhile (the widgets' kv rules need the running app)."""

    def deliver(result: Any, error: BaseException | None) -> None:
        if App.get_running_app() is not None:
            on_done(result, error)

    def worker() -> None:
        try:
            result, error = work(), None
        except BaseException as exc:  # handed to the UI, which shows a calm message
            result, error = None, exc
        Clock.schedule_once(lambda _dt: deliver(result, error), 0)

    threading.Thread(target=worker, name="ui-offload", daemon=True).start()
