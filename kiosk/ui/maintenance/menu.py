"""The maintenance menu: an overview (version and release, boot id, the devices found, the health board, the fleet
link, recent problems, the configuration, test print and read, the diagnostic bundle to a USB stick) and pages for
the journal, the network, the telemetry backlog, the settings a technician may change, restarting and safe mode
(kiosk/ui/maintenance/*.py)."""

from __future__ import annotations

import json

from kivy.clock import Clock
from kivy.properties import StringProperty

from kiosk import __version__
from kiosk.runtime.diag_bundle import device_ports, export_from_app
from kiosk.config.loader import effective_items
from kiosk.core.errors import KioskError
from kiosk.release import update
from kiosk.release.tree import CURRENT, GOOD, last_event, running_tree
from kiosk.services.identity import IDR_CODES, IdCardTestRead
from kiosk.storage.print_jobs import JobState
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.maintenance.backlog import BacklogPage
from kiosk.ui.maintenance.logs import LogsPage
from kiosk.ui.maintenance.network import NetworkPage
from kiosk.ui.maintenance.page import MaintenancePage
from kiosk.ui.maintenance.power import PowerPage
from kiosk.ui.maintenance.settings import SettingsPage
from kiosk.ui.screens.base import KioskScreen


PROBLEM_LINES = 6
"""The newest warnings and errors shown (the journal keeps them all)."""
PROBLEM_CHARS = 110
"""Characters of each shown, so one line stays one line on the panel."""
REFRESH_S = 1.0
"""Seconds between refreshes of the health board, fleet line and problems while the menu is shown (memory reads)."""
ORPHAN_NOTICES = {JobState.INTERRUPTED: "maintenance.printer.interrupted", JobState.LOST: "maintenance.printer.lost"}
"""Print jobs the last run left unfinished, told under the printer's counters (an interrupted slip may hang half out
of the printer, and the citizen may come back for it)."""
PAGES: dict[str, type[MaintenancePage]] = {"logs": LogsPage, "network": NetworkPage, "backlog": BacklogPage,
                                           "settings": SettingsPage, "power": PowerPage}
"""The pages beside the overview, by the name their tab opens."""


class MaintenanceScreen(KioskScreen):
    """What a technician checks first; every visit is in the audit log."""

    health_text = StringProperty("")
    fleet_text = StringProperty("")
    problems_text = StringProperty("")
    test_text = StringProperty("")
    config_text = StringProperty("")
    release_text = StringProperty("")
    devices_text = StringProperty("")
    printer_text = StringProperty("")
    resetting = StringProperty("")
    """The printer part ("cutter" or "head") whose counter reset waits for its confirming second tap."""
    page = StringProperty("overview")
    """The page in the body: "overview" or a key of PAGES."""
    _refresh = None

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pages: dict[str, MaintenancePage] = {}

    def open_page(self, name: str) -> None:
        """Put page `name` in the body (the overview, or one built on first use); audited."""
        if name == self.page:
            return
        self._hide_page()
        body = self.ids.body
        body.clear_widgets()
        if name == "overview":
            body.add_widget(self._overview)
        else:
            if name not in self._pages:
                self._pages[name] = PAGES[name]()
            body.add_widget(self._pages[name])
            self._pages[name].shown()
            self.app.services.audit("maintenance_page", name)
        self.page = name

    def _hide_page(self) -> None:
        if self.page in self._pages:
            self._pages[self.page].hidden()

    def on_pre_enter(self, *args) -> None:
        services = self.app.services
        services.audit("maintenance_opened", "")
        self.open_page("overview")
        self.test_text = ""
        self.resetting = ""
        self.release_text = self._release_lines()
        self.devices_text = self._device_lines()
        self.refresh()
        self.config_text = "\n".join(
            f"{key} = {json.dumps(value, ensure_ascii=False)}   [{origin}]"
            for key, value, origin in effective_items(services.loaded_config)
            if key != "maintenance.pin_hash")
        # An app that stopped while the menu was open has no running app left: returning False ends the timer.
        self._refresh = Clock.schedule_interval(lambda _dt: self.app is not None and self.refresh() is None,
                                                REFRESH_S)

    def on_kv_post(self, base_widget) -> None:
        self._overview = self.ids.overview.__self__  # kv ids are weak: held here while another page is shown
        self.app.bridge.on(IdCardTestRead, self._on_test_read)

    def on_leave(self, *args) -> None:
        self._hide_page()
        if self._refresh is not None:
            self._refresh.cancel()
            self._refresh = None
        identity = self.app.services.identity
        if identity is not None:
            identity.wipe()  # a test read still waiting for a card ends with the menu

    def refresh(self) -> None:
        """Health board, fleet link and recent problems as they are now, so a technician can watch a device or a drain
        recover."""
        _ = self.app._
        self.health_text = "\n".join(
            f"{_('maintenance.ok') if h.ok else _('maintenance.fault')}  {_(f'maintenance.subsystem.{h.name}')}  "
            f"{h.code} {h.detail}".rstrip()
            for h in self.app.services.health.snapshot())
        self.fleet_text = self._fleet_line()
        self.printer_text = self._printer_lines()
        recent = self.app.services.recent_problems
        lines = recent.lines(PROBLEM_LINES) if recent is not None else []
        self.problems_text = "\n".join(line[:PROBLEM_CHARS] for line in lines) or _("maintenance.no_problems")

    def _fleet_line(self) -> str:
        """Link, server and what waits to be reported (and was dropped over the disk cap), summed over streams."""
        _ = self.app._
        services = self.app.services
        if not services.config.fleet.enabled:
            return _("maintenance.fleet.off")
        if services.fleet is None:
            return _("maintenance.fleet.not_running")
        status = services.fleet.status()
        streams = status["streams"].values()
        return _("maintenance.fleet.status",
                 link=_("maintenance.fleet.connected" if status["connected"] else "maintenance.fleet.disconnected"),
                 server=_("maintenance.fleet.server_online" if status["server_online"]
                          else "maintenance.fleet.server_offline"),
                 backlog=sum(s["backlog"] for s in streams), dropped=sum(s["dropped"] for s in streams))

    def _printer_lines(self) -> str:
        """Cuts and paper since each part was changed, as shares of their rated life, and paper-out events."""
        _ = self.app._
        config = self.app.services.config.printer
        counts = self.app.services.printer_counters.counts()
        used = counts.used(config)
        def since(at: str) -> str:
            return _("maintenance.printer.since", date=at[:10]) if at else ""

        lines = [_("maintenance.printer.cutter", cuts=counts.cuts, percent=f"{used['cutter'] * 100:.1f}",
                   since=since(counts.cutter_since)),
                 _("maintenance.printer.head", metres=f"{counts.printed_mm / 1000:.1f}",
                   percent=f"{used['head'] * 100:.1f}", since=since(counts.head_since)),
                 _("maintenance.printer.paper_outs", count=counts.paper_outs)]
        lines += [_("maintenance.printer.due", part=_(f"maintenance.printer.part.{part}"))
                  for part in counts.due(config)]
        printing = self.app.services.printing
        orphans = printing.orphans_at_start if printing is not None else {}
        lines += [_(key, count=orphans[state]) for state, key in ORPHAN_NOTICES.items() if orphans.get(state)]
        return "\n".join(lines)

    def reset_part(self, part: str) -> None:
        """换了切刀 / 换了打印头: the first tap asks again, the second restarts that part's count (audited)."""
        _ = self.app._
        name = _(f"maintenance.printer.part.{part}")
        if self.resetting != part:
            self.resetting = part
            self.test_text = _("maintenance.printer.reset_confirm", part=name)
            return
        self.resetting = ""
        counters = self.app.services.printer_counters
        run_off_ui(lambda: counters.reset(part), lambda _result, error: self._on_reset(part, name, error))

    def _on_reset(self, part: str, name: str, error) -> None:
        _ = self.app._
        self.app.services.audit("printer_counter_reset", part if error is None else f"{part} {type(error).__name__}")
        self.test_text = (_("maintenance.printer.reset_done", part=name) if error is None else
                          _("maintenance.printer.reset_failed", part=name, reason=type(error).__name__))
        self.refresh()

    def version_text(self) -> str:
        """Version and boot id, the first two things a support call asks for."""
        services = self.app.services
        return (f"{self.app._('maintenance.version')}: {__version__}\n"
                f"{self.app._('maintenance.boot_id')}: {services.boot_id}")

    def _release_lines(self) -> str:
        """Which release runs, whether it is on trial, and the last update and rollback (kiosk.release)."""
        _ = self.app._
        tree = running_tree()
        if tree is None:
            return _("maintenance.release.checkout")
        current, good = tree.linked(CURRENT), tree.linked(GOOD)
        trial = tree.trial()
        state = (_("maintenance.release.good") if current == good else
                 _("maintenance.release.trial", starts=trial.get("starts", 0), good=good))
        lines = [f"{_('maintenance.release')}: {current}  {state}"]
        if waiting := update.pending(tree):
            lines.append(_("maintenance.release.pending", version=waiting))
        update = last_event(tree, "switched", "committed")
        rollback = last_event(tree, "rolled_back")
        lines.append(_("maintenance.release.last_update", at=update.at, version=update.version, event=update.event)
                     if update else _("maintenance.release.no_update"))
        lines.append(_("maintenance.release.last_rollback", at=rollback.at, version=rollback.version,
                       reason=rollback.detail) if rollback else _("maintenance.release.no_rollback"))
        return "\n".join(lines)

    def _device_lines(self) -> str:
        """Where the configured printer and card reader are, and whether the device is there now."""
        _ = self.app._
        lines = []
        for device in device_ports(self.app.services.config):
            if "present" not in device:
                found = device["kind"]
            elif device["present"]:
                found = _("maintenance.device.found", target=device["target"])
            else:
                found = _("maintenance.device.missing")
            lines.append(f"{_('maintenance.subsystem.' + device['role'])}  {device['port']}  {found}")
        return "\n".join(lines)

    def export_bundle(self) -> None:
        """导出诊断包: logs, health, versions and the configuration without secrets to the USB stick (audited)."""
        services = self.app.services
        self.test_text = self.app._("maintenance.diag.writing")
        run_off_ui(lambda: export_from_app(services), self._on_bundle_written)

    def _on_bundle_written(self, written, error) -> None:
        _ = self.app._
        if error is None:
            self.app.services.audit("diag_bundle", written.path.name)
            self.test_text = _("maintenance.diag.written", name=written.path.name, kb=max(1, written.size // 1024))
            return
        coded = isinstance(error, KioskError)
        self.app.services.audit("diag_bundle", error.code if coded else type(error).__name__)
        self.test_text = _(error.citizen_key if coded else "maintenance.diag.failed",
                           reason=error.detail if coded else type(error).__name__)

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

    def test_read(self) -> None:
        """Wait for a card on the reader and show its kind or why it failed (audited; nothing of the card kept)."""
        identity = self.app.services.identity
        if identity is None or not identity.test_read():
            self.test_text = self.app._("maintenance.no_reader")
            return
        self.test_text = self.app._("maintenance.reader_waiting")

    def _on_test_read(self, event) -> None:
        _ = self.app._
        self.app.services.audit("reader_test", event.kind_id or event.code)
        if event.kind_id:
            self.test_text = _("maintenance.reader_ok", card=_(f"maintenance.card.{event.kind_id}"))
            return
        error = IDR_CODES.get(event.code)
        self.test_text = _("maintenance.reader_failed", code=event.code,
                           message=_(error.citizen_key) if error else "")

    def leave(self) -> None:
        """Close the menu (audited)."""
        self.app.services.audit("maintenance_closed", "")
        self.app.leave_maintenance()
