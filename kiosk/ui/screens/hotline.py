"""找人工帮忙: where this site's staff are, 呼叫工作人员 where a bell is fitted, 12348 and the legal-aid centre.

Every site fact (where the staff sit, their hours, the bell, a video-call link, the centre) is configuration;
only the national hotline number is fixed.
"""

from __future__ import annotations

import logging

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.services.staff_call import CallOutcome, CallResult
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.cjk_label import CjkLabel  # noqa: F401  (registers the kv class)
from kiosk.ui.qr import qr_texture
from kiosk.ui.screens.base import KioskScreen

logger = logging.getLogger(__name__)

HOTLINE_NUMBER = "12348"
"""The national public legal service hotline: the same number everywhere, dialled by the QR code as `tel:`."""
CALL_MESSAGES = {CallResult.CALLED: "hotline.called", CallResult.COOLING: "hotline.call_again"}
"""What the citizen is told after a tap on 呼叫工作人员 that did not fail."""


class HotlineScreen(KioskScreen):
    """Shows how to reach a person here and by phone; rings the site's bell off the UI thread, calmly."""

    hotline = StringProperty(HOTLINE_NUMBER)
    can_call = BooleanProperty(False)
    """The site has a bell or GPIO line: the big 呼叫工作人员 button is shown."""
    has_referral = BooleanProperty(False)
    """The content pack has the referral flow (three questions that say where to go): offered at the bottom."""
    notices = ("call_message",)
    call_message = StringProperty("")
    phone_qr = ObjectProperty(None)
    """QR code that dials 12348 from a phone."""
    video_qr = ObjectProperty(None, allownone=True)
    """QR code of the site's video-call link, when it has one instead of a bell."""

    @property
    def handoff(self):
        """This site's hand-off settings."""
        return self.app.services.config.handoff

    def on_kv_post(self, base_widget) -> None:
        handoff = self.handoff
        self.can_call = self.app.services.staff_call.available
        self.phone_qr = qr_texture(f"tel:{HOTLINE_NUMBER}")
        self.video_qr = qr_texture(handoff.video_url) if handoff.call == "video" else None

    def on_pre_enter(self, *args) -> None:
        self.call_message = ""
        self.ids.scroll.scroll_y = 1  # every visit starts at the top, whatever the last citizen scrolled to
        self.has_referral = self.app.can_show("flow:referral")

    def centre_text(self) -> str:
        """The legal-aid centre's details as configured for this province and county."""
        centre = self.app.services.config.legal_aid.centre
        return self.app._("hotline.centre", name=centre.name, address=centre.address, hours=centre.hours,
                          phone=centre.phone)

    def call_staff(self) -> None:
        """Ring the site's bell or line on a worker thread; the outcome comes back as calm words."""
        self.tap("call")
        self.call_message = self.app._("hotline.calling")
        run_off_ui(self.app.services.staff_call.call, self._on_called)

    def _on_called(self, outcome: CallOutcome | None, error: BaseException | None) -> None:
        if error is not None:
            logger.error("staff call raised: %s", error)
        if outcome is not None and outcome.result in CALL_MESSAGES:
            self.call_message = self.app._(CALL_MESSAGES[outcome.result])
        else:
            self.call_message = self.app._("hotline.call_failed", location=self.handoff.staff_location)

    def to_referral(self) -> None:
        """Three questions that say which office fits a problem outside every topic (the referral flow)."""
        self.tap("referral")
        self.app.start_flow("referral")
