"""设置: the settings a technician may change, each a row with its value and a switch, a stepper or a choice."""

from __future__ import annotations

import json
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.core.errors import KioskError
from kiosk.ui.maintenance import settings_model
from kiosk.ui.maintenance.page import MaintenancePage


class SettingRow(BoxLayout):
    """One setting: its key, its value, and the buttons that change it (kv: settings.kv)."""

    setting = ObjectProperty(None)
    page = ObjectProperty(None)

    def value_text(self, setting: settings_model.Setting | None) -> str:
        """The value as the row shows it (switches in words)."""
        if setting is None:
            return ""
        if setting.kind == "switch":
            return self.page.app._("maintenance.settings.on" if setting.value else "maintenance.settings.off")
        return str(setting.value)


class SettingsPage(MaintenancePage):
    """Rows generated from the schema; each tap is written at once, read back by the loader, and audited."""

    message = StringProperty("")

    def shown(self) -> None:
        self.message = self.app._("maintenance.settings.hint")
        self._rows()

    def _rows(self) -> None:
        """One row per setting, made on first show; later only their values change (a row whose button is being
        released must outlive the tap)."""
        rows = self.ids.rows
        now = settings_model.editable(self.app.services.config)
        if [row.setting.key for row in reversed(rows.children)] != [setting.key for setting in now]:
            rows.clear_widgets()
            for setting in now:
                rows.add_widget(SettingRow(setting=setting, page=self))
            return
        for row, setting in zip(reversed(rows.children), now):
            row.setting = setting

    def change(self, setting: settings_model.Setting, direction: int) -> None:
        """A row's button was tapped: save the next value, or say why it was refused."""
        services = self.app.services
        value = settings_model.changed(setting, direction)
        if value == setting.value:
            self.message = self.app._("maintenance.settings.at_bound", name=setting.key)
            return
        try:
            services.loaded_config = settings_model.save(services.loaded_config, setting.key, value)
        except KioskError as exc:
            self.message = self.app._("maintenance.settings.refused", name=setting.key, reason=exc.detail)
            return
        shown = json.dumps(value, ensure_ascii=False)
        services.audit("setting_changed", f"{setting.key}={shown}")
        self.message = self.app._("maintenance.settings.saved", name=setting.key, value=shown)
        self._rows()


Builder.load_file(str(Path(__file__).with_name("settings.kv")))
