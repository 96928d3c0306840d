"""The attract screen: what a passer-by sees; any touch starts a session and goes to the home screen."""

from __future__ import annotations

from kiosk.ui.screens.base import KioskScreen


class AttractScreen(KioskScreen):
    """Shows what the kiosk offers; the first touch leaves it."""

    def on_touch_down(self, touch) -> bool:
        if super().on_touch_down(touch):
            return True
        self.tap("attract.start")
        self.app.show("home")
        return True
