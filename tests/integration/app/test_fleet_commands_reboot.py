"""`reboot` through the real command path (console → Mosquitto → the composed kiosk's agent): refused with 409 while
a citizen is at the screen, like restart_app; carried out when idle by asking systemd (`systemctl` here is a
stand-in executable on PATH that records how it was called); a kiosk systemd did not start (no NOTIFY_SOCKET, a
development run) never reboots its machine (503); systemctl's refusal (polkit) is answered 500 with its reason."""

import socket

import pytest

from kiosk.services.session import EndReason
from tests.integration.app.fleet_commands_support import (broker, broker_factory, command, console,  # noqa: F401
                                                          make_kiosk, standins, wait_online)  # noqa: F401  (fixtures)

pytestmark = pytest.mark.broker

REBOOT = ["systemctl", "--no-ask-password", "reboot"]


@pytest.fixture
def started_by_systemd(monkeypatch, tmp_path):
    """A real datagram socket where systemd listens for a Type=notify service (NOTIFY_SOCKET)."""
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        yield sock


def test_reboot_is_refused_mid_session_and_asked_of_systemd_when_idle(make_kiosk, console, broker, standins,
                                                                      started_by_systemd):
    kiosk = make_kiosk()
    wait_online(console)
    kiosk.session.touch()
    busy = command(console, broker, "reboot", {})
    assert busy["code"] == 409 and "citizen session" in busy["error"]
    assert standins.calls() == []
    kiosk.session.end(EndReason.FINISHED)
    done = command(console, broker, "reboot", {})
    assert done == {"code": 200, "result": {"rebooting": True}, "error": None}
    assert standins.calls() == [REBOOT]


def test_a_refusal_by_systemd_is_answered_with_its_reason(make_kiosk, console, broker, standins, started_by_systemd,
                                                          monkeypatch):
    monkeypatch.setenv("STANDIN_REFUSE", "Failed to reboot system via logind: Access denied")
    make_kiosk()
    wait_online(console)
    refused = command(console, broker, "reboot", {})
    assert refused["code"] == 500
    assert refused["error"] == "systemctl reboot failed: Failed to reboot system via logind: Access denied"
    assert standins.calls() == [REBOOT]


def test_a_kiosk_not_started_by_systemd_never_reboots_its_machine(make_kiosk, console, broker, standins,
                                                                  monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    make_kiosk()
    wait_online(console)
    refused = command(console, broker, "reboot", {})
    assert refused["code"] == 503 and "not started by systemd" in refused["error"]
    assert standins.calls() == []
