"""日志: the kiosk unit's journal on the panel, filtered by level and time, newest first."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.ui.bridge import run_off_ui
from kiosk.ui.maintenance import facts
from kiosk.ui.maintenance.page import MaintenancePage

PRIORITY_KEYS = {0: "error", 1: "error", 2: "error", 3: "error", 4: "warning", 5: "info", 6: "info", 7: "info"}
"""Syslog priority → the word shown (maintenance.logs.priority.*)."""


class LogsPage(MaintenancePage):
    """Read on demand (the journal is a subprocess); the filters re-read it."""

    level = StringProperty("warning")
    span = StringProperty("day")
    text = StringProperty("")

    def shown(self) -> None:
        self.reload()

    def choose(self, *, level: str | None = None, span: str | None = None) -> None:
        """A filter button was tapped."""
        self.level, self.span = level or self.level, span or self.span
        self.reload()

    def reload(self) -> None:
        _ = self.app._
        self.text = _("maintenance.logs.reading")
        clock = self.app.services.clock
        level, span = self.level, self.span
        run_off_ui(lambda: facts.journal_entries(level, span, clock.now().timestamp()), self._show)

    def _show(self, found, error) -> None:
        _ = self.app._
        if error is not None:
            self.text = _("maintenance.logs.unreadable", reason=type(error).__name__)
            return
        entries, warning = found
        if not entries:
            self.text = _("maintenance.logs.none") + (f"\n{warning}" if warning else "")
            return
        self.text = "\n".join(f"{e.at}  {_('maintenance.logs.priority.' + PRIORITY_KEYS[e.priority])}  {e.message}"
                              for e in entries)


Builder.load_file(str(Path(__file__).with_name("logs.kv")))
