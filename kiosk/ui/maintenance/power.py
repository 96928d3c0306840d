"""电源: restart the kiosk software, reboot the terminal (tapped twice), and leave safe mode."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

from kiosk.app.reboot import reboot
from kiosk.core.events import RestartRequested
from kiosk.fleet.protocol import Rejected
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.maintenance.page import MaintenancePage


class PowerPage(MaintenancePage):
    """Every action is audited; a reboot asks for a second tap, since it takes the terminal away for a minute."""

    message = StringProperty("")
    confirming = BooleanProperty(False)

    def shown(self) -> None:
        self.confirming = False
        self.message = self.app._("maintenance.power.safe_mode_on" if self.app.services.safe_mode
                                  else "maintenance.power.safe_mode_off")

    def restart(self) -> None:
        """Close the app so systemd starts it afresh; in safe mode the next healthy start leaves it."""
        services = self.app.services
        services.audit("leave_safe_mode" if services.safe_mode else "restart_app", "")
        services.bus.publish(RestartRequested("technician"))

    def reboot(self) -> None:
        """First tap: ask again. Second tap: have systemd reboot the terminal."""
        if not self.confirming:
            self.confirming = True
            self.message = self.app._("maintenance.power.reboot_confirm")
            return
        self.confirming = False
        services = self.app.services
        services.audit("reboot", "")
        self.message = self.app._("maintenance.power.rebooting")
        run_off_ui(lambda: reboot(services.notifier), self._rebooted)

    def _rebooted(self, _result, error) -> None:
        if error is not None:
            reason = error.reason if isinstance(error, Rejected) else type(error).__name__
            self.message = self.app._("maintenance.power.reboot_failed", reason=reason)


Builder.load_file(str(Path(__file__).with_name("power.kv")))
