"""The maintenance menu: version, boot id, the health board and the effective configuration with origins."""

from __future__ import annotations

import json

from kivy.properties import StringProperty

from kiosk import __version__
from kiosk.config.loader import effective_items
from kiosk.core.events import RestartRequested
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.screens.base import KioskScreen


class MaintenanceScreen(KioskScreen):
    """What a technician checks first; every visit is in the audit log."""

    health_text = StringProperty("")
    test_text = StringProperty("")
    config_text = StringProperty("")

    def on_pre_enter(self, *args) -> None:
        services = self.app.services
        services.audit("maintenance_opened", "")
        self.test_text = ""
        self.health_text = "\n".join(
            f"{'正常' if h.ok else '故障'}  {h.name}  {h.code} {h.detail}".rstrip()
            for h in services.health.snapshot())
        self.config_text = "\n".join(
            f"{key} = {json.dumps(value, ensure_ascii=False)}   [{origin}]"
            for key, value, origin in effective_items(services.loaded_config)
            if key != "maintenance.pin_hash")

    def version_text(self) -> str:
        """Version and boot id, the first two things a support call asks for."""
        services = self.app.services
        return (f"{self.app._('maintenance.version')}: {__version__}\n"
                f"{self.app._('maintenance.boot_id')}: {services.boot_id}")

    def test_print(self) -> None:
        """Print a test slip and show what the printer did (audited)."""
        services = self.app.services
        if services.printing is None:
            self.test_text = self.app._("maintenance.no_printer")
            return
        from kiosk.services.device_tests import print_test_slip

        self.test_text = self.app._("printing.printing")
        run_off_ui(lambda: print_test_slip(services.printing, services.bus, services.clock, services.config.kiosk.id),
                   self._on_test_printed)

    def _on_test_printed(self, outcome, error) -> None:
        ok = error is None and outcome["ok"]
        detail = "" if error is None else type(error).__name__
        if error is None and not ok:
            detail = outcome.get("code", "")
        self.app.services.audit("printer_test", "ok" if ok else detail)
        self.test_text = self.app._("maintenance.test_ok") if ok else self.app._("maintenance.test_failed",
                                                                                   code=detail)

    def restart(self) -> None:
        """Close the app so systemd starts it afresh (audited)."""
        self.app.services.audit("restart_app", "")
        self.app.services.bus.publish(RestartRequested("technician"))

    def leave(self) -> None:
        """Close the menu (audited)."""
        self.app.services.audit("maintenance_closed", "")
        self.app.leave_maintenance()
