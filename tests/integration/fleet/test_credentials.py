"""Issue 15 item 3: under systemd the broker password comes from $CREDENTIALS_DIRECTORY (LoadCredential=), so the
file under /etc may be unreadable to the service; elsewhere the configured file is read."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.credentials import FLEET_TLS_KEY, MQTT_PASSWORD, credential_path
from tests.integration.fleet.conftest import KIOSK_PASSWORD, wait_until

UNIT = Path(__file__).resolve().parents[3] / "deploy" / "systemd" / "kiosk.service"


def test_the_agent_logs_in_with_the_password_systemd_hands_over(fleet_parts, tmp_path, monkeypatch):
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / MQTT_PASSWORD).write_text(KIOSK_PASSWORD + "\n")
    unreadable = tmp_path / "root-only-password"
    unreadable.write_text("not the password")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk(password_file=str(unreadable)).start()
    wait_until(lambda: kiosk.agent.status()["connected"], what="kiosk connected with the credential")
    wait_until(lambda: server.scalar("SELECT COUNT(*) FROM kiosks WHERE kid = 'k-0001' AND online = 1") == 1,
               what="kiosk online at the console")


def test_without_systemd_the_configured_file_is_read(tmp_path):
    assert credential_path(MQTT_PASSWORD, "/etc/kiosk/credentials/mqtt_password", {}) == \
        "/etc/kiosk/credentials/mqtt_password"
    assert credential_path(MQTT_PASSWORD, "/x", {"CREDENTIALS_DIRECTORY": str(tmp_path)}) == "/x"   # not handed over


def test_the_unit_loads_every_credential_the_kiosk_reads():
    unit = UNIT.read_text(encoding="utf-8")
    assert f"LoadCredential={MQTT_PASSWORD}:" in unit and f"LoadCredential={FLEET_TLS_KEY}:" in unit
