"""A page of the maintenance menu beside the overview: shown in the menu's body, told when it appears and goes."""

from __future__ import annotations

from kivy.app import App
from kivy.uix.boxlayout import BoxLayout


class MaintenancePage(BoxLayout):
    """Subclasses refresh what they show in `shown()` and stop any timer in `hidden()`."""

    @property
    def app(self):
        """The running KioskApp (looked up at call time)."""
        return App.get_running_app()

    def shown(self) -> None:
        """The page was put in the menu's body."""

    def hidden(self) -> None:
        """The page left the body (another page, or the menu closed)."""
