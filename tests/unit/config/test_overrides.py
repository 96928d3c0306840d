"""Run-time changes land in the overrides layer, merged, atomically, and are read back by the loader."""

import dataclasses

from kiosk.config.loader import load
from kiosk.config.overrides import changed_values, write_overrides
from kiosk.config.schema import KioskConfig


def test_only_changed_leaves_are_written_and_reloaded_with_their_origin(clean_env):
    (clean_env / "overrides.toml").write_text("[ui]\nwindow_scale = 0.5\n")
    before = load().config
    after = dataclasses.replace(before, session=dataclasses.replace(before.session, idle_timeout_s=45.0))
    changes = changed_values(before, after)
    assert changes == {"session": {"idle_timeout_s": 45.0}}
    write_overrides(clean_env / "overrides.toml", changes)
    loaded = load()
    assert loaded.config.session.idle_timeout_s == 45.0
    assert loaded.config.ui.window_scale == 0.5  # the technician's earlier change is kept
    assert loaded.origin("session.idle_timeout_s") == str(clean_env / "overrides.toml")
    assert not (clean_env / "overrides.toml.tmp").exists()


def test_no_change_is_an_empty_diff():
    assert changed_values(KioskConfig(), KioskConfig()) == {}
