"""The composed kiosk (bootstrap, not hand-wired parts) on a real Mosquitto with the reference console.

A citizen's session is counted at the console; a desired configuration change reaches the kiosk, is persisted
in the overrides layer and applies to the session timer; a restart command is refused mid-session (409) and
carried out when idle.
"""

import threading

import pytest

from kiosk.config.loader import load
from kiosk.core.events import ControlTapped, RestartRequested
from kiosk.fleet.console.control import send_command, send_desired
from kiosk.services.session import EndReason
from tests.integration.app.fleet_commands_support import (broker, broker_factory, console,  # noqa: F401
                                                          make_kiosk, wait_until)  # noqa: F401  (fixtures)

pytestmark = pytest.mark.broker


@pytest.fixture
def kiosk(make_kiosk):
    return make_kiosk()


def kinds(console):
    return [kind for (kind,) in console.rows("SELECT kind FROM events WHERE kid='k-0001'")]


def test_a_session_is_counted_at_the_console(kiosk, console):
    kiosk.session.touch()
    kiosk.bus.publish(ControlTapped("home", "tile.topics"))
    kiosk.citizen.begin("labor")
    kiosk.session.end(EndReason.FINISHED)
    wanted = ["session.start", "ui.tap", "consult.started", "session.end"]
    wait_until(lambda: all(k in kinds(console) for k in wanted), what="session events at the console")
    assert sorted(kinds(console)) == sorted(wanted)


def test_desired_config_is_applied_persisted_and_used(kiosk, console, broker):
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM kiosks WHERE kid='k-0001' AND online=1") == 1,
               what="kiosk online at the console")
    send_desired(console.db, broker.settings(), console.clock, "k-0001", {"session": {"idle_timeout_s": 42.0}})
    wait_until(lambda: kiosk.config.session.idle_timeout_s == 42.0, what="desired config applied")
    assert load().origin("session.idle_timeout_s") == "fleet"
    assert kiosk.loaded_config.desired_file.exists() and not kiosk.loaded_config.overrides_file.exists()
    assert kiosk.session._idle_timeout_s == 42.0
    wait_until(lambda: console.scalar("SELECT applied_version FROM kiosks WHERE kid='k-0001'") == 1,
               what="applied version reported")


def test_restart_is_refused_mid_session_and_done_when_idle(kiosk, console, broker):
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM kiosks WHERE kid='k-0001' AND online=1") == 1,
               what="kiosk online at the console")
    restarted = threading.Event()
    kiosk.bus.subscribe(RestartRequested, lambda e: restarted.set())
    kiosk.session.touch()
    busy = send_command(console.db, broker.settings(), console.clock, "k-0001", "restart_app", {})
    wait_until(lambda: console.scalar("SELECT code FROM commands WHERE id=?", busy.id) == 409,
               what="409 while a citizen is at the screen")
    assert not restarted.is_set()
    kiosk.session.end(EndReason.FINISHED)
    idle = send_command(console.db, broker.settings(), console.clock, "k-0001", "restart_app", {})
    wait_until(lambda: console.scalar("SELECT phase FROM commands WHERE id=?", idle.id) == "final",
               what="final reply")
    assert console.scalar("SELECT code FROM commands WHERE id=?", idle.id) == 200
    assert restarted.wait(5)


def test_printer_test_without_a_printer_is_503(kiosk, console, broker):
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM kiosks WHERE kid='k-0001' AND online=1") == 1,
               what="kiosk online at the console")
    command = send_command(console.db, broker.settings(), console.clock, "k-0001", "printer_test", {})
    wait_until(lambda: console.scalar("SELECT phase FROM commands WHERE id=?", command.id) == "final",
               what="final reply")
    assert console.scalar("SELECT code FROM commands WHERE id=?", command.id) == 503
