"""The maintenance menu's settings without Kivy: which settings the panel offers, how a tap steps them, and a value
the loader refuses never left in the overrides file."""

from __future__ import annotations

import os

import pytest

from kiosk.config.loader import load
from kiosk.core.errors import KioskError
from kiosk.ui.maintenance import settings_model


@pytest.fixture
def loaded(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith("KIOSK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("KIOSK_CONFIG_FILE", str(tmp_path / "kiosk.toml"))
    monkeypatch.setenv("KIOSK_OVERRIDES_FILE", str(tmp_path / "overrides.toml"))
    (tmp_path / "overrides.toml").write_text('schema_version = 1\n[speech]\nrate_wpm = 160\n')
    return load()


def test_the_panel_offers_switches_numbers_and_choices_of_remote_settings(loaded) -> None:
    offered = {s.key: s for s in settings_model.editable(loaded.config)}
    assert offered["speech.enabled"].kind == "switch" and offered["logging.level"].kind == "choice"
    assert offered["speech.rate_wpm"].value == 160 and offered["speech.rate_wpm"].bounds == (80, 450)
    assert "kiosk.site_name" not in offered and "fleet.host" not in offered  # text, and not remotely settable
    assert settings_model.changed(offered["logging.level"], 1) == "WARNING"
    assert settings_model.changed(offered["speech.volume"], 1) == 1.0  # at its bound
    assert settings_model.changed(offered["speech.rate_wpm"], -1) == 159


def test_a_value_the_loader_refuses_leaves_the_file_as_it_was(loaded, tmp_path) -> None:
    before = (tmp_path / "overrides.toml").read_bytes()
    with pytest.raises(KioskError):
        settings_model.save(loaded, "session.idle_timeout_s", 1.0)  # below its bound of 5 s
    assert (tmp_path / "overrides.toml").read_bytes() == before
    saved = settings_model.save(loaded, "session.idle_timeout_s", 120.0)
    assert saved.config.session.idle_timeout_s == 120.0 and saved.config.speech.rate_wpm == 160
