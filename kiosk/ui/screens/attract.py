"""The attract screen: what a passer-by sees; any touch starts a session and goes to the home screen.

While it waits it teaches: a 普法 card of the pack turns every ATTRACT_CARD_S, a topic at a time (the rest of each
card is under 普法学习 on the home screen). Touching anywhere, the card too, starts the session on the home screen.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import ObjectProperty

from kiosk.legal.pufa import in_turns
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.screens.base import KioskScreen

ATTRACT_CARD_S = 10.0
"""Seconds each 普法 card stays on the attract screen (long enough to read its first page twice)."""
CARDS_READ_DELAY_S = 1.0
"""The cards (YAML) are read this long after the attract screen first shows, so the read never competes with the
kiosk's first frame (kiosk run's start is measured to it, tests/bench/startup.py)."""


class AttractScreen(KioskScreen):
    """Shows what the kiosk offers and a turning 普法 card; the first touch leaves it."""

    card = ObjectProperty(None, allownone=True)
    """The 普法 card on show (None until the pack's cards are read, or when it has none)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cards: list = []
        self._turn = None

    def on_enter(self, *args) -> None:
        super().on_enter(*args)
        if not self._cards:
            Clock.schedule_once(lambda _dt: run_off_ui(self.app.services.pufa.cards, self._cards_read),
                                CARDS_READ_DELAY_S)
        self._turn = Clock.schedule_interval(lambda _dt: self.next_card(), ATTRACT_CARD_S)

    def on_leave(self, *args) -> None:
        if self._turn is not None:
            self._turn.cancel()

    def _cards_read(self, cards, error) -> None:
        self._cards = in_turns(list(cards or ())) if error is None else []
        if self.card not in self._cards:
            self.next_card()

    def next_card(self) -> None:
        """The card after the one on show (the first after the last)."""
        if not self._cards:
            self.card = None
            return
        index = self._cards.index(self.card) + 1 if self.card in self._cards else 0
        self.card = self._cards[index % len(self._cards)]

    def on_touch_down(self, touch) -> bool:
        if super().on_touch_down(touch):
            return True
        self.tap("attract.start")
        self.app.show("home")
        return True
