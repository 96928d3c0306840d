"""好差评: the five-level satisfaction rating offered when a citizen finishes; only the level is reported."""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import NumericProperty

from kiosk.core.events import SatisfactionRated
from kiosk.services.session import EndReason
from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen

LEVELS = (5, 4, 3, 2, 1)
"""Shown best first, as on government service counters."""
THANKS_S = 2.0
"""Seconds the thank-you stays on screen after a level is tapped, before the session ends."""


class RatingScreen(KioskScreen):
    """Five big buttons with faces and a skip; a level is thanked for, then the session ends with its wipe."""

    rated = NumericProperty(0)
    """The level just tapped (its thank-you is showing), 0 while none is."""
    _ending = None
    """The scheduled end of the session after the thank-you (a Kivy ClockEvent), until it runs or is cancelled."""

    def on_kv_post(self, base_widget) -> None:
        box = self.ids.levels
        for level in LEVELS:
            button = Factory.IconButton(text=self.app._(f"rating.{level}"), icon=icon_path(f"rating.{level}"))
            button.bind(on_release=lambda _w, level=level: self.rate(level))
            box.add_widget(button)

    def on_pre_enter(self, *args) -> None:
        self.rated = 0

    def on_leave(self, *args) -> None:
        """Left early (快速离开, maintenance): the pending end must not reach the next citizen's session."""
        if self._ending is not None:
            self._ending.cancel()
            self._ending = None

    def rate(self, level: int) -> None:
        """Report the level (with the topic just consulted, if any) once, thank the citizen, then end the session
        (on Kivy's clock, so the thank-you is drawn first)."""
        if self.rated:
            return
        self.tap(f"level.{level}")
        opinion = self.app.services.citizen.opinion
        self.app.services.bus.publish(SatisfactionRated(level, opinion.topic_id if opinion else ""))
        self.rated = level
        self._ending = Clock.schedule_once(lambda _dt: self._end(), THANKS_S)

    def skip(self) -> None:
        """No rating; end the session."""
        self.tap("skip")
        self._end()

    def _end(self) -> None:
        self._ending = None
        citizen = self.app.services.citizen
        self.app.services.session.end(EndReason.PRINTED if citizen.printed else EndReason.FINISHED)
