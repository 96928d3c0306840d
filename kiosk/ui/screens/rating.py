"""好差评: the five-level satisfaction rating offered when a citizen finishes; only the level is reported."""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.core.events import SatisfactionRated
from kiosk.services.session import EndReason
from kiosk.ui.screens.base import KioskScreen

LEVELS = (5, 4, 3, 2, 1)
"""Shown best first, as on government service counters."""


class RatingScreen(KioskScreen):
    """Five big buttons and a skip; either ends the session with its wipe."""

    def on_kv_post(self, base_widget) -> None:
        box = self.ids.levels
        for level in LEVELS:
            button = Factory.BigButton(text=self.app._(f"rating.{level}"))
            button.bind(on_release=lambda _w, level=level: self.rate(level))
            box.add_widget(button)

    def rate(self, level: int) -> None:
        """Report the level (with the topic just consulted, if any) and end the session."""
        self.tap(f"level.{level}")
        opinion = self.app.services.citizen.opinion
        self.app.services.bus.publish(SatisfactionRated(level, opinion.topic_id if opinion else ""))
        self._end()

    def skip(self) -> None:
        """No rating; end the session."""
        self.tap("skip")
        self._end()

    def _end(self) -> None:
        citizen = self.app.services.citizen
        self.app.services.session.end(EndReason.PRINTED if citizen.printed else EndReason.FINISHED)
