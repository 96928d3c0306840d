"""Taps are ignored for a moment after something new appears under the citizen's finger.

Why: a double tap (two taps about 250 ms apart) answered two questions, and a tap meant for the keyboard that had
just folded away could pick one of the topics shown in its place. The moment is measured on Kivy's clock from the
first frame that shows the new content, so a slow frame cannot shorten it.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty
from kivy.uix.boxlayout import BoxLayout

SETTLE_S = 0.4
"""How long new content ignores taps once it is on screen, in seconds (longer than a double tap's gap)."""


class Settling:
    """Mixin for a widget: call `settle()` when its content changes; touches on it are swallowed until then."""

    accepts_input = BooleanProperty(True)
    """False from `settle()` until SETTLE_S after the next frame is drawn."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._settled = Clock.create_trigger(lambda _dt: setattr(self, "accepts_input", True), SETTLE_S)
        self._drawn = Clock.create_trigger(lambda _dt: self._settled())

    def settle(self) -> None:
        """New content: ignore taps until it has been drawn and shown for SETTLE_S."""
        self.accepts_input = False
        self._settled.cancel()
        self._drawn()

    def on_touch_down(self, touch) -> bool:
        if not self.accepts_input and self.collide_point(*touch.pos):
            return True  # swallowed: not passed on to what lies under it either
        return super().on_touch_down(touch)


class SettlingBox(Settling, BoxLayout):
    """A box of buttons that appear at once (e.g. the topics smart consultation offers)."""


Factory.register("SettlingBox", cls=SettlingBox)
