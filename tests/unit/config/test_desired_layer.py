"""Issue 15 items 1–2: the fleet's desired configuration is its own layer, replaced whole on each version, below the
technician's overrides; the bureau may set only what the schema marks `remote=True`."""

from __future__ import annotations

import dataclasses
import re
import typing

import pytest

from kiosk.config.loader import FLEET_SOURCE, load
from kiosk.config.overrides import write_overrides
from kiosk.config.schema import KioskConfig
from kiosk.fleet.desired import DesiredRejected, preview, write_desired


@pytest.fixture
def environ(tmp_path):
    (tmp_path / "kiosk.toml").write_text("[session]\ncountdown_s = 20.0\n", encoding="utf-8")
    return {"KIOSK_CONFIG_FILE": str(tmp_path / "kiosk.toml"), "KIOSK_OVERRIDES_FILE": str(tmp_path / "o.toml")}


def apply(environ, document):
    """As the kiosk does on a desired version: check it whole, then replace the fleet layer."""
    preview(document, environ)
    write_desired(load(environ).desired_file, document)
    return load(environ)


def test_a_key_the_next_version_leaves_out_falls_back_and_the_technician_keeps_theirs(environ, tmp_path):
    v1 = apply(environ, {"session": {"idle_timeout_s": 120.0, "countdown_s": 10.0}})
    assert (v1.config.session.idle_timeout_s, v1.config.session.countdown_s) == (120.0, 10.0)
    assert v1.origin("session.idle_timeout_s") == v1.origin("session.countdown_s") == FLEET_SOURCE
    write_overrides(tmp_path / "o.toml", {"session": {"idle_timeout_s": 60.0}})      # the technician on site
    assert load(environ).config.session.idle_timeout_s == 60.0
    v2 = apply(environ, {"speech": {"volume": 0.5}})
    assert v2.config.session.countdown_s == 20.0 and v2.origin("session.countdown_s") == str(tmp_path / "kiosk.toml")
    assert v2.config.session.idle_timeout_s == 60.0 and v2.origin("session.idle_timeout_s") == str(tmp_path / "o.toml")
    assert v2.config.speech.volume == 0.5 and v2.origin("speech.volume") == FLEET_SOURCE
    assert "session" not in (tmp_path / "desired.toml").read_text(encoding="utf-8")


def test_a_refused_document_names_every_key_and_changes_nothing(environ):
    apply(environ, {"session": {"idle_timeout_s": 120.0}})
    with pytest.raises(DesiredRejected) as info:
        preview({"session": {"idle_timeout_s": -1}, "kiosk": {"id": "other"},
                 "legal_aid": {"verification_key_file": "/tmp/k", "application_key_file": "/tmp/a",
                               "hardship_income_per_person_yuan_month": 1500.0},
                 "fleet": {"host": "evil.example"}}, environ)
    assert sorted(e.split(":")[0] for e in info.value.errors) == [
        "fleet.host", "kiosk.id", "legal_aid.application_key_file", "legal_aid.verification_key_file",
        "session.idle_timeout_s"]
    assert load(environ).config.session.idle_timeout_s == 120.0


def test_remote_settings_include_what_the_bureau_changes():
    document = {"session": {"idle_timeout_s": 100.0}, "legal_aid": {"centre": {"phone": "0000-12348"}},
                "printer": {"profile": "generic_58mm"}, "handoff": {"staff_hours": "全天"},
                "printer_profiles": {"generic_58mm": {"paper_width_dots": 384}}}
    assert preview(document, {"KIOSK_CONFIG_FILE": "/nonexistent/k.toml",
                              "KIOSK_OVERRIDES_FILE": "/nonexistent/o.toml"}).config.printer.profile == "generic_58mm"


_PATHLIKE = ("file", "path", "dir", "port", "engine", "host", "key", "password", "pin", "username")


def _remote_leaves(cls: type, prefix: str = ""):
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        key, hint = f"{prefix}{field.name}", hints[field.name]
        if field.metadata.get("remote"):
            yield key, field
        elif dataclasses.is_dataclass(hint):
            yield from _remote_leaves(hint, key + ".")


def test_no_path_device_or_credential_setting_is_remotely_writable():
    remote = dict(_remote_leaves(KioskConfig))
    assert len(remote) >= 30
    for key, field in remote.items():
        words = key.split(".")[-1].split("_")
        assert not any(w in _PATHLIKE for w in words), key
        description = field.metadata.get("description", "").lower()
        assert not re.search(r"\b(file|directory|password|secret|private key)\b", description), key
