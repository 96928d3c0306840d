"""The base of every screen: a stable screen id for telemetry and a `tap()` that reports controls."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.core.events import ControlTapped, ScreenShown


class KioskScreen(Screen):
    """A screen; subclasses set `screen_id` (their registry name) and call `tap(control_id)` from kv."""

    screen_id = StringProperty("")
    notices: tuple[str, ...] = ()
    """Names of this screen's message properties (a printer fault, a card read, a call's result) whose new text
    is read aloud in 长辈模式, as the page itself is."""

    @property
    def app(self):
        """The running KioskApp (looked up at call time, never at class level)."""
        return App.get_running_app()

    def on_enter(self, *args) -> None:
        self.app.services.bus.publish(ScreenShown(self.screen_id))

    def prepare(self) -> None:
        """Build what the screen shows before it is first shown (the app calls it while the kiosk is idle)."""

    def tap(self, control_id: str) -> None:
        """Report a tap by control id (never by what it says) for the bureau's click counts."""
        self.app.services.bus.publish(ControlTapped(self.screen_id, control_id))
