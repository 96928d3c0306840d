"""Safe mode on demand from the fleet (console → Mosquitto → a kiosk started as `kiosk run` starts it, in its own
process, its printer and reader the simulators on ptys): refused mid-session or with bad arguments, then the kiosk restarts into safe
mode, where the devices stay off and the fleet link runs (the console's birth says safe mode), and stays in it
across restarts until the fleet takes it out again; a request file a power cut tore still means safe mode."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.runtime import safe_mode
from kiosk.core.events import RestartRequested
from kiosk.fleet import protocol
from tests.integration.app.fleet_commands_support import (KID, broker, broker_factory, command,  # noqa: F401
                                                          console, make_kiosk, wait_online, wait_until)
from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION

pytestmark = pytest.mark.broker

ROOT = Path(__file__).resolve().parents[3]
LINE_TIMEOUT_S = 90.0


class Child:
    """tests/integration/app/kiosk_child.py in a process of its own; `line()` reads its next JSON line."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.integration.app.kiosk_child"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)

    def line(self) -> dict:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(LINE_TIMEOUT_S)
        assert result and result[0], "the kiosk process said nothing"
        return json.loads(result[0])

    def stop(self) -> None:
        self.process.stdin.write("stop\n")
        self.process.stdin.close()
        code = self.process.wait(LINE_TIMEOUT_S)
        self.process.stdout.close()
        assert code == 0


@pytest.fixture
def site(clean_env, broker, monkeypatch, tmp_path):  # noqa: F811
    """k-0001's settings as make_kiosk's, with the simulators for devices."""
    password = tmp_path / "kiosk-password"
    password.write_text(KIOSK_PASSWORD)
    settings = {"KIOSK_KIOSK__ID": KID, "KIOSK_KIOSK__REGION": REGION, "KIOSK_FLEET__ENABLED": "true",
                "KIOSK_FLEET__HOST": "127.0.0.1", "KIOSK_FLEET__PORT": str(broker.port), "KIOSK_FLEET__TLS": "false",
                "KIOSK_FLEET__PASSWORD_FILE": str(password), "KIOSK_FLEET__START_JITTER_S": "0",
                "KIOSK_IDCARD__KIND": "sim", "KIOSK_PRINTER__KIND": "sim"}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    return tmp_path / "data"


def birth_safe_mode(console) -> bool | None:
    birth = console.scalar("SELECT birth FROM kiosks WHERE kid = ?", KID)
    return json.loads(birth)["hw"].get("safe_mode") if birth else None


def test_the_fleet_restarts_the_kiosk_into_safe_mode_and_out_of_it(site, console, broker):  # noqa: F811
    first = Child()
    assert first.line() == {"safe_mode": False, "printer": True, "reader": True, "fleet": True}
    wait_online(console)
    done = command(console, broker, "safe_mode", {"on": True})
    assert done == {"code": 200, "result": {"safe_mode": True, "restarting": True}, "error": None}
    assert first.line() == {"restart": "fleet"}
    first.stop()
    assert safe_mode.requested(site)["by"] == "fleet"

    for _restart in range(2):  # a power cut or the watchdog in safe mode: still safe mode
        paused = Child()
        assert paused.line() == {"safe_mode": True, "printer": False, "reader": False, "fleet": True}
        wait_until(lambda: birth_safe_mode(console) is True, what="the console sees safe mode")
        if _restart == 0:
            paused.stop()
    again = command(console, broker, "safe_mode", {"on": True})
    assert again["result"] == {"safe_mode": True, "restarting": False}, "already there: nothing to do"
    out = command(console, broker, "safe_mode", {"on": False})
    assert out == {"code": 200, "result": {"safe_mode": False, "restarting": True}, "error": None}
    assert paused.line() == {"restart": "fleet"}
    paused.stop()
    assert safe_mode.requested(site) is None

    back = Child()
    assert back.line() == {"safe_mode": False, "printer": True, "reader": True, "fleet": True}
    wait_until(lambda: birth_safe_mode(console) is False, what="the console sees the kiosk out of safe mode")
    back.stop()


def test_safe_mode_is_refused_mid_session(make_kiosk, console, broker):  # noqa: F811
    kiosk = make_kiosk()
    wait_online(console)
    asked: list[str] = []
    kiosk.bus.subscribe(RestartRequested, lambda event: asked.append(event.by))
    kiosk.session.touch()
    busy = command(console, broker, "safe_mode", {"on": True})
    assert busy["code"] == 409 and "citizen session" in busy["error"]
    assert asked == [] and safe_mode.requested(kiosk.config.paths.data_dir) is None



@pytest.mark.parametrize("args", [{}, {"on": "yes please"}, {"on": True, "by": "me"}])
def test_bad_arguments_are_refused_before_anything_runs(args):
    sent = protocol.Command(id="c1", name="safe_mode", args=args, issued=1, expires=2**40)
    with pytest.raises(protocol.Rejected) as refused:
        protocol.command_args(sent, 2)
    assert refused.value.code == protocol.Code.BAD_REQUEST


def test_a_torn_request_still_means_safe_mode(tmp_path):
    (tmp_path / safe_mode.REQUEST_FILE).write_text('{"by": "techn')
    assert safe_mode.requested(tmp_path) == {"by": "unknown", "at": ""}
    assert safe_mode.requested(tmp_path / "elsewhere") is None
