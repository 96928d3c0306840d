"""The diagnostic bundle's pure parts: secrets left out of the configuration, the journal's recent errors, the zip
written whole under its name (tests/integration/app/test_diag_bundle.py writes real bundles)."""

import json
import zipfile

import pytest

from kiosk.runtime.diag_bundle import REMOVED, config_without_secrets, recent_errors, write
from kiosk.config.loader import load
from kiosk.core.errors import KioskError


def test_secret_settings_are_removed_and_the_others_kept_with_their_origin(clean_env, monkeypatch):
    monkeypatch.setenv("KIOSK_MAINTENANCE__PIN_HASH", "scrypt$secret-hash")
    monkeypatch.setenv("KIOSK_FLEET__PASSWORD_FILE", "/etc/kiosk/mqtt-password")
    entries = {e["key"]: e for e in config_without_secrets(load())}
    assert entries["maintenance.pin_hash"] == {"key": "maintenance.pin_hash", "value": REMOVED,
                                               "origin": "env"}
    assert entries["fleet.password_file"]["value"] == "/etc/kiosk/mqtt-password", "a path, not the password"
    assert entries["session.idle_timeout_s"]["origin"] == "default"


def test_recent_errors_are_the_newest_error_messages_oldest_first():
    def entry(priority, message):
        return (json.dumps({"PRIORITY": str(priority), "MESSAGE": message}) + "\n").encode()

    lines = [entry(3, "first"), entry(6, "info"), b"not json\n", entry(2, "second"), entry(4, "warning"),
             entry(3, "third")]
    assert recent_errors(lines) == ["first", "second", "third"]


def test_a_bundle_is_one_zip_under_its_name(tmp_path):
    written = write({"summary.json": b"{}", "journal.jsonl": b""}, tmp_path, "kiosk-diag-x.zip")
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk-diag-x.zip"]
    assert written.size == (tmp_path / "kiosk-diag-x.zip").stat().st_size
    with zipfile.ZipFile(written.path) as bundle:
        assert bundle.namelist() == ["summary.json", "journal.jsonl"]


def test_a_directory_that_vanished_fails_with_its_code(tmp_path):
    with pytest.raises(KioskError) as failed:
        write({"summary.json": b"{}"}, tmp_path / "pulled-out", "kiosk-diag-x.zip")
    assert failed.value.code == "DIA-004"
