"""上报积压: per telemetry stream, what waits for the bureau's acknowledgement and what the disk cap dropped."""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.ui.maintenance.page import MaintenancePage

REFRESH_S = 1.0
"""Seconds between refreshes while shown (memory reads), so a technician watches the backlog drain."""


class BacklogPage(MaintenancePage):
    text = StringProperty("")
    _timer = None

    def shown(self) -> None:
        self.refresh()
        self._timer = Clock.schedule_interval(lambda _dt: self.refresh(), REFRESH_S)

    def hidden(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def refresh(self) -> None:
        _ = self.app._
        services = self.app.services
        if not services.config.fleet.enabled:
            self.text = _("maintenance.fleet.off")
            return
        if services.fleet is None:
            self.text = _("maintenance.fleet.not_running")
            return
        status = services.fleet.status()
        lines = [_("maintenance.fleet.connected" if status["connected"] else "maintenance.fleet.disconnected") + "，"
                 + _("maintenance.fleet.server_online" if status["server_online"]
                     else "maintenance.fleet.server_offline")]
        for stream, position in sorted(status["streams"].items()):
            lines.append(_("maintenance.backlog.stream", stream=_(f"maintenance.backlog.name.{stream}"),
                           backlog=position["backlog"], last=position["last_seq"], acked=position["acked_seq"],
                           dropped=position["dropped"]))
        self.text = "\n".join(lines)


Builder.load_file(str(Path(__file__).with_name("backlog.kv")))
