"""网络: addresses, gateway, DNS, whether the bureau's broker answers, the certificate's expiry, the clock."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.ui.bridge import run_off_ui
from kiosk.ui.maintenance import facts
from kiosk.ui.maintenance.page import MaintenancePage

CERTIFICATE_WARN_DAYS = 30
"""Days before expiry from which the certificate line says to have it renewed."""


class NetworkPage(MaintenancePage):
    """Looked at on demand (a broker probe takes up to facts.BROKER_TIMEOUT_S); 刷新 looks again."""

    text = StringProperty("")

    def shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        services = self.app.services
        self.text = self.app._("maintenance.network.checking")
        fleet, now_s = services.config.fleet, services.clock.now().timestamp()
        run_off_ui(lambda: facts.network_facts(fleet, now_s), self._show)

    def _show(self, found: facts.NetworkFacts | None, error) -> None:
        _ = self.app._
        if error is not None:
            self.text = _("maintenance.network.failed", reason=type(error).__name__)
            return
        fleet = self.app.services.config.fleet
        unknown = _("maintenance.network.unknown")
        lines = [_("maintenance.network.addresses", value="；".join(found.addresses) or _("maintenance.network.none")),
                 _("maintenance.network.gateway", value=found.gateway or _("maintenance.network.none")),
                 _("maintenance.network.dns", value="，".join(found.dns) or _("maintenance.network.none"))]
        if not fleet.enabled:
            lines.append(_("maintenance.fleet.off"))
        else:
            lines.append(_("maintenance.network.broker_ok", host=fleet.host, port=fleet.port, ms=round(found.broker_ms))
                         if found.broker_ms is not None else
                         _("maintenance.network.broker_failed", host=fleet.host, port=fleet.port,
                           reason=found.broker_error))
            lines.append(self._certificate_line(found) if fleet.tls else _("maintenance.network.no_tls"))
        synced = found.clock_synchronised
        lines.append(_("maintenance.network.clock", value=unknown if synced is None else
                       _("maintenance.network.clock_synced" if synced else "maintenance.network.clock_not_synced"),
                       now=self.app.services.clock.now().astimezone().strftime("%Y-%m-%d %H:%M")))
        self.text = "\n".join(lines)

    def _certificate_line(self, found: facts.NetworkFacts) -> str:
        _ = self.app._
        days = found.certificate_days
        if days is None:
            return _("maintenance.network.certificate_unreadable", reason=found.certificate_error)
        if days < 0:
            return _("maintenance.network.certificate_expired", days=-days)
        key = "maintenance.network.certificate_soon" if days < CERTIFICATE_WARN_DAYS else "maintenance.network.certificate"
        return _(key, days=days)


Builder.load_file(str(Path(__file__).with_name("network.kv")))
