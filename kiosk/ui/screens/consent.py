"""Consent before the ID card is read: nothing is read until the citizen taps 刷身份证; skipping is always fine."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.identity import IdCardReaderOffline, IdCardReadFailed, IdCardReadSucceeded
from kiosk.ui.screens.base import KioskScreen


class ConsentScreen(KioskScreen):
    """Asks once per session; on consent waits for the card, then goes on to the chosen consultation."""

    notices = ("message",)
    message = StringProperty("")
    waiting = BooleanProperty(False)
    done = BooleanProperty(False)
    pending_flow = StringProperty("")
    return_screen = StringProperty("")
    """A screen that sent the citizen here only to read the card (e.g. the legal-aid pre-application)."""

    def on_kv_post(self, base_widget) -> None:
        bridge = self.app.bridge
        bridge.on(IdCardReadSucceeded, self._on_read)
        bridge.on(IdCardReadFailed, self._on_failed)
        bridge.on(IdCardReaderOffline, self._on_offline)

    def on_pre_enter(self, *args) -> None:
        self.message = ""
        self.waiting = False
        self.done = False

    def agree(self) -> None:
        """The citizen agreed: reading starts for this session only."""
        self.tap("agree")
        self.waiting = True
        self.message = self.app._("consent.place_card")
        self.app.services.identity.consent_given()

    def proceed(self) -> None:
        """Go on to the consultation (with or without the card)."""
        self.tap("skip" if not self.done else "continue")
        if self.return_screen:
            screen, self.return_screen = self.return_screen, ""
            self.app.show(screen)
            return
        self.app.start_flow(self.pending_flow, ask_card=False)

    def back(self) -> None:
        """返回: no consultation begun; back to the screen the citizen came from (the question typed in 智能咨询
        and its topics, the topic list, or home)."""
        self.tap("back")
        self.waiting = False
        citizen = self.app.services.citizen
        if self.return_screen:
            screen, self.return_screen = self.return_screen, ""
        elif citizen.asked is not None:
            screen = "smart_consult"
        else:
            screen = "topics" if self.pending_flow in dict(citizen.topics()) else "home"
        self.app.show(screen)

    def _on_read(self, _event: IdCardReadSucceeded) -> None:
        identity = self.app.services.identity.identity if self.app.services.identity else None
        if not self.waiting or identity is None:
            return
        self.app.services.citizen.set_identity(minor=identity.minor, elderly=identity.elderly,
                                               masked_id_number=identity.masked_number)
        self.waiting = False
        self.done = True
        self.message = self.app._("consent.read_ok", age=identity.age_years)

    def _on_failed(self, _event: IdCardReadFailed) -> None:
        if self.waiting:
            self.message = self.app._("consent.read_failed")

    def _on_offline(self, _event: IdCardReaderOffline) -> None:
        if self.waiting:
            self.waiting = False
            self.message = self.app._("consent.reader_offline")
