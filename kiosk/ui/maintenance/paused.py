"""暂停服务: what a citizen sees while the kiosk is in safe mode, calmly, with where else to get help.

Why: in safe mode the devices are off and no consultation can run, but someone may still walk up; they must not
meet a PIN pad or a fault, only a plain sign that the terminal is paused and the staff here, the 12348 hotline and
the legal-aid centre. The technician's way in is the hidden gesture as everywhere; the safe-mode banner, which is
for technicians, is hidden while this page is shown.
"""

from __future__ import annotations

from kivy.properties import ObjectProperty

from kiosk.runtime import safe_mode
from kiosk.ui.qr import qr_texture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.hotline import HOTLINE_NUMBER


class PausedScreen(KioskScreen):
    """The safe mode's citizen page (registered as a maintenance screen: no session, no citizen bar)."""

    hotline = HOTLINE_NUMBER
    phone_qr = ObjectProperty(None)
    """QR code that dials 12348 from a phone."""

    def on_kv_post(self, base_widget) -> None:
        self.phone_qr = qr_texture(f"tel:{HOTLINE_NUMBER}")

    def on_pre_enter(self, *args) -> None:
        self.app.safe_mode_text = ""

    def on_leave(self, *args) -> None:
        """Towards the PIN pad: the banner tells the technician why the kiosk is in safe mode."""
        services = self.app.services
        asked = safe_mode.requested(services.config.paths.data_dir) is not None
        self.app.safe_mode_text = self.app._("safe_mode.banner_requested" if asked else "safe_mode.banner")

    def staff_text(self) -> str:
        """Where this site's staff are and when."""
        handoff = self.app.services.config.handoff
        return self.app._("paused.staff", location=handoff.staff_location, hours=handoff.staff_hours)

    def centre_text(self) -> str:
        """The legal-aid centre's details as configured for this province and county."""
        centre = self.app.services.config.legal_aid.centre
        return self.app._("hotline.centre", name=centre.name, address=centre.address, hours=centre.hours,
                          phone=centre.phone)
