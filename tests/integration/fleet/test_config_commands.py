"""Desired configuration and commands end to end through a real Mosquitto."""

from __future__ import annotations

import json

from kiosk.fleet import protocol
from kiosk.fleet.console import control
from kiosk.fleet.console.control import _publish
from kiosk.fleet.console.server import publish_command
from tests.integration.fleet.conftest import REGION, wait_until


def _command(server, command_id: str) -> dict:
    return server.db.call(lambda d: control.store.command_row(d, command_id))


def _final(server, command_id: str) -> dict:
    wait_until(lambda: _command(server, command_id)["phase"] == "final", what=f"final reply to {command_id}")
    return _command(server, command_id)


def _online(server, kiosk):
    wait_until(lambda: server.scalar("SELECT COUNT(*) FROM kiosks WHERE kid = ? AND birth IS NOT NULL",
                                     kiosk.identity.id) == 1, what="birth stored")


def test_desired_config_is_applied_atomically_or_rejected_with_errors(fleet_parts):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk().start()
    _online(server, kiosk)
    broker, clock = server.server._broker, server.clock

    good = control.send_desired(server.db, broker, clock, "k-0001", {"session": {"idle_timeout_s": 120.0}})
    wait_until(lambda: kiosk.applied, what="config applied")
    assert kiosk.applied[-1].session.idle_timeout_s == 120.0
    wait_until(lambda: server.scalar("SELECT applied_version FROM kiosks WHERE kid = 'k-0001'") == good.version,
               what="applied version reported")

    bad = control.send_desired(server.db, broker, clock, "k-0001",
                               {"session": {"idle_timeout_s": -1}, "kiosk": {"id": "other"}})
    wait_until(lambda: json.loads(server.scalar("SELECT reported FROM kiosks WHERE kid = 'k-0001'"))
               ["desired_version"] == bad.version, what="rejection reported")
    reported = json.loads(server.scalar("SELECT reported FROM kiosks WHERE kid = 'k-0001'"))
    assert reported["status"] == "rejected" and reported["applied_version"] == good.version
    assert any("kiosk.id" in e for e in reported["errors"])
    assert len(kiosk.applied) == 1

    kiosk.stop()
    again = make_kiosk().start()
    _online(server, again)
    wait_until(lambda: server.scalar("SELECT applied_version FROM kiosks WHERE kid = 'k-0001'") == good.version,
               what="birth reports the persisted applied version")
    assert again.applied == []


def test_commands_two_phase_idle_gate_expiry_unknown_and_duplicates(fleet_parts):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk().start()
    _online(server, kiosk)
    broker, clock = server.server._broker, server.clock

    ping = control.send_command(server.db, broker, clock, "k-0001", "ping", {})
    final = _final(server, ping.id)
    assert final["code"] == 200 and json.loads(final["result"])["pong"] is True

    test_print = control.send_command(server.db, broker, clock, "k-0001", "printer_test", {})
    assert _final(server, test_print.id)["code"] == 200 and kiosk.printer_tests == 1

    kiosk.idle = False
    busy = control.send_command(server.db, broker, clock, "k-0001", "printer_test", {})
    assert _final(server, busy.id)["code"] == 409 and kiosk.printer_tests == 1
    kiosk.idle = True

    missing = control.send_command(server.db, broker, clock, "k-0001", "reboot", {})
    assert _final(server, missing.id)["code"] == 503

    now = int(clock.now().timestamp() * 1000)
    for name, expires, code in [("ping", now - 1000, 410), ("format_disk", now + 60_000, 404)]:
        envelope = protocol.Command(id=f"raw-{code}", name=name, issued=now - 2000, expires=expires)
        server.db.call(lambda d, e=envelope: control.store.add_command(d, REGION, "k-0001", e))
        _publish(broker, lambda c, e=envelope: publish_command(c, REGION, "k-0001", protocol.encode(e), 60))
        assert _final(server, envelope.id)["code"] == code

    _publish(broker, lambda c: c.publish(protocol.Topics(REGION, "k-0001").down("cmd"),
                                         b'{"id":"bad-args","name":"resend","args":{"stream":"x"},'
                                         b'"issued":1,"expires":99999999999999}', qos=1))
    wait_until(lambda: kiosk.db.call(lambda d: d.execute("SELECT code FROM fleet_commands WHERE id = 'bad-args'")
                             .fetchone()) == (400,), what="bad args answered 400")

    replays = kiosk.printer_tests
    _publish(broker, lambda c: publish_command(c, REGION, "k-0001", protocol.encode(protocol.Command(
        id=test_print.id, name="printer_test", issued=test_print.issued, expires=test_print.expires)), 60))
    wait_until(lambda: kiosk.agent.status()["connected"], what="still connected")
    ping2 = control.send_command(server.db, broker, clock, "k-0001", "ping", {})
    _final(server, ping2.id)
    assert kiosk.printer_tests == replays
