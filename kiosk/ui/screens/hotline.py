"""The 12348 screen: the hotline and the local legal aid centre from configuration."""

from __future__ import annotations

from kiosk.ui.screens.base import KioskScreen


class HotlineScreen(KioskScreen):
    """Shows how to reach a person: the 12348 hotline and the legal aid centre's address, hours and phone."""

    def centre_text(self) -> str:
        """The centre's details as configured for this province and county."""
        centre = self.app.services.config.legal_aid.centre
        return self.app._("hotline.centre", name=centre.name, address=centre.address, hours=centre.hours,
                          phone=centre.phone)
