"""电源: restart the kiosk software, reboot the terminal, and enter or leave safe mode (the last two tapped twice)."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.runtime import safe_mode
from kiosk.runtime.reboot import reboot
from kiosk.core.events import RestartRequested
from kiosk.fleet.protocol import Rejected
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.maintenance.page import MaintenancePage


class PowerPage(MaintenancePage):
    """Every action is audited; a reboot and entering safe mode ask for a second tap, since each takes the terminal
    away from citizens."""

    message = StringProperty("")
    confirming = StringProperty("")
    """The action ("reboot" or "safe_mode") whose confirming second tap is awaited; "" when none."""

    def shown(self) -> None:
        self.confirming = ""
        self.message = self._mode_text()

    def _mode_text(self) -> str:
        """Whether the kiosk is in safe mode, and why: a crash loop, or someone asked for it."""
        _ = self.app._
        services = self.app.services
        if not services.safe_mode:
            return _("maintenance.power.safe_mode_off")
        request = safe_mode.requested(services.config.paths.data_dir)
        if request is None:
            return _("maintenance.power.safe_mode_on")
        by = request.get("by") if request.get("by") in safe_mode.WHO else "unknown"
        return _("maintenance.power.safe_mode_requested", by=_(f"maintenance.power.by.{by}"),
                 at=str(request.get("at", ""))[:16].replace("T", " "))

    def _confirmed(self, action: str, question_key: str) -> bool:
        """The first tap of `action` asks (`question_key`); the second returns True."""
        if self.confirming != action:
            self.confirming = action
            self.message = self.app._(question_key)
            return False
        self.confirming = ""
        return True

    def restart(self) -> None:
        """Close the app so systemd starts it afresh; in safe mode this leaves it."""
        services = self.app.services
        if services.safe_mode:
            services.audit("leave_safe_mode", "")
            run_off_ui(lambda: safe_mode.leave(services, "technician"), self._done)
            return
        services.audit("restart_app", "")
        services.bus.publish(RestartRequested("technician"))

    def enter_safe_mode(self) -> None:
        """First tap: say what safe mode does. Second tap: restart into it (devices off, citizens see 暂停服务)."""
        if not self._confirmed("safe_mode", "maintenance.power.safe_mode_confirm"):
            return
        services = self.app.services
        services.audit("enter_safe_mode", "")
        self.message = self.app._("maintenance.power.entering_safe_mode")
        run_off_ui(lambda: safe_mode.enter(services, "technician"), self._done)

    def reboot(self) -> None:
        """First tap: ask again. Second tap: have systemd reboot the terminal."""
        if not self._confirmed("reboot", "maintenance.power.reboot_confirm"):
            return
        services = self.app.services
        services.audit("reboot", "")
        self.message = self.app._("maintenance.power.rebooting")
        run_off_ui(lambda: reboot(services.notifier), self._rebooted)

    def _rebooted(self, _result, error) -> None:
        if error is not None:
            reason = error.reason if isinstance(error, Rejected) else type(error).__name__
            self.message = self.app._("maintenance.power.reboot_failed", reason=reason)

    def _done(self, _result, error) -> None:
        """Safe mode's file could not be written or removed (the restart was not asked for)."""
        if error is not None:
            self.message = self.app._("maintenance.power.safe_mode_failed", reason=type(error).__name__)


Builder.load_file(str(Path(__file__).with_name("power.kv")))
