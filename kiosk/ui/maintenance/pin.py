"""The PIN pad in front of the maintenance menu; the slow hash check runs off the UI thread."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.core.errors import KioskError
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.screens.base import KioskScreen

PIN_MAX_DIGITS = 12


class PinScreen(KioskScreen):
    """Digits, clear and OK; a wrong PIN or a lock-out is shown in words, never which digit was wrong."""

    entered = StringProperty("")
    message = StringProperty("")
    checking = BooleanProperty(False)

    def on_pre_enter(self, *args) -> None:
        self.entered = ""
        self.message = "" if self.app.services.config.maintenance.pin_hash else self.app._("maintenance.pin_unset")

    def press(self, digit: str) -> None:
        """Add one digit (the PIN is never logged or reported)."""
        if len(self.entered) < PIN_MAX_DIGITS:
            self.entered += digit

    def clear(self) -> None:
        """Start the PIN again."""
        self.entered = ""

    def submit(self) -> None:
        """Check the PIN on a worker thread; open the menu or show why not."""
        if self.checking:
            return
        self.checking = True
        pin, self.entered = self.entered, ""
        run_off_ui(lambda: self.app.services.pin_gate.check(pin), self._on_checked)

    def _on_checked(self, _result, error: BaseException | None) -> None:
        self.checking = False
        if error is None:
            self.message = ""
            self.app.show("maintenance")
        elif isinstance(error, KioskError):
            self.message = self.app._(error.citizen_key)
        else:
            self.message = self.app._("error.generic")

    def leave(self) -> None:
        """Back to citizens (in safe mode: to the 暂停服务 page)."""
        self.app.leave_maintenance()
