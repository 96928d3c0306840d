"""Issue 14, attacks 1-3, tried with a real kiosk's credentials against the deploy broker configuration (TLS,
certificates made in the test, the dynamic-security identities that provisioning writes), while two honest kiosks
and the console go on working; their traffic is counted.

The intruder is kiosk k-0666, provisioned on the running broker by the bureau's own code; its certificate and key
are all the attacker has, which is what copying a village kiosk's disk gives.
"""

from __future__ import annotations

import json

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.console import broker_auth, control, store
from kiosk.fleet.console.provision import provision_kiosk
from tests.integration.fleet.conftest import (ADMIN_PASSWORD, REGION, KioskUnderTest, ServerUnderTest,
                                              wait_until)
from tests.integration.fleet.mqtt_probe import Probe

HONEST = ("k-0001", "k-0002")
WATCHER, INTRUDER = "k-0003", "k-0666"
EVENTS = 100
"""Events each honest kiosk records before an attack and again during it."""
CONSOLE_ID = "fleet-ingest-1"
INGEST_SHARE = f"$share/{broker_auth.INGEST_GROUP}/{protocol.ROOT}/+/+/up/#"
ACCEPTED = ("Success", "No matching subscribers")


class Fleet:
    """The console on the deploy's TLS console listener and two honest agents on its certificate listener."""

    def __init__(self, tmp_path, broker) -> None:
        self.tmp_path, self.broker = tmp_path, broker
        self.server = ServerUnderTest(tmp_path / "console.db", broker, CONSOLE_ID, tls=True).start()
        self.kiosks = {kid: self._kiosk(kid).start() for kid in HONEST}
        self.recorded = 0

    def _kiosk(self, kid: str) -> KioskUnderTest:
        return KioskUnderTest(self.tmp_path / kid, self.broker, kid, **self.broker.kiosk_tls(kid))

    def record(self, n: int = EVENTS) -> None:
        """Each honest kiosk records `n` more usage events."""
        for kiosk in self.kiosks.values():
            for i in range(n):
                kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})
        self.recorded += n

    def all_stored(self) -> None:
        """Every event the honest kiosks recorded is in the console's store, exactly once."""
        for kid in HONEST:
            wait_until(lambda kid=kid: self.server.event_count(kid) == self.recorded, timeout_s=30,
                       what=f"{self.recorded} events of {kid} at the console")
            assert self.server.event_count(kid) == self.recorded

    def restart_kiosk(self, kid: str) -> int:
        """Stop and start an honest kiosk (a new session, state and birth); returns its new session number."""
        self.kiosks[kid].stop()
        self.kiosks[kid] = self._kiosk(kid).start()
        wait_until(lambda: self.kiosks[kid].agent.status()["connected"], what=f"{kid} reconnected")
        return self.kiosks[kid].agent.status()["session"]

    def birth_session(self, kid: str) -> int | None:
        birth = self.server.scalar("SELECT birth FROM kiosks WHERE kid = ?", kid)
        return json.loads(birth)["sess"] if birth else None

    def stop(self) -> None:
        for kiosk in self.kiosks.values():
            kiosk.stop()
        self.server.stop()


@pytest.fixture
def broker(broker_factory):
    return broker_factory([*HONEST, WATCHER])


@pytest.fixture
def fleet(tmp_path, broker):
    """The fleet at work, and the intruder's identity provisioned on the running broker as the bureau does."""
    provision_kiosk(INTRUDER, REGION, broker.ca, broker.pki,
                    admin=broker.console_settings(broker_auth.ADMIN_USER, ADMIN_PASSWORD))
    parts = Fleet(tmp_path, broker)
    yield parts
    parts.stop()


@pytest.fixture
def server_state_log(broker):
    """Every `_srv/state` the fleet sees, through an honest kiosk's eyes: a kicked console shows as its Will."""
    watcher = Probe.kiosk(broker, WATCHER)
    assert watcher.connect() == "Success"
    assert watcher.subscribe(protocol.SERVER_STATE_TOPIC) == "Granted QoS 1"
    yield lambda: [json.loads(payload)["online"] for _topic, payload in watcher.messages]
    watcher.close()


def _intruder(broker, client_id: str = INTRUDER) -> Probe:
    return Probe.kiosk(broker, INTRUDER, client_id)


def test_attack_1_a_kiosk_cannot_take_over_the_console_session(fleet, broker, server_state_log):
    own = protocol.Topics(REGION, INTRUDER)
    fleet.record()
    for attempt in range(5):
        intruder = _intruder(broker, client_id=CONSOLE_ID)
        try:
            assert intruder.connect(clean_start=False, session_expiry_s=3600) == "Success"
            assert intruder.session_present is (attempt > 0), "it resumes its own session, never the console's"
            assert intruder.subscribe(INGEST_SHARE) == "Not authorized"
            assert intruder.publish(own.tel("ui")) in ACCEPTED
            assert intruder.messages == []
        finally:
            intruder.close()
    fleet.record()
    fleet.all_stored()
    assert fleet.server.server.connected.is_set()
    assert server_state_log() and all(server_state_log()), "the console was never pushed off the broker"

    # The console away: what arrives for it waits in its persistent session, which the intruder cannot resume
    # (with it, the birth below would be delivered to the intruder and lost).
    fleet.server.stop()
    fleet.record()
    new_session = fleet.restart_kiosk("k-0002")
    intruder = _intruder(broker, client_id=CONSOLE_ID)
    try:
        assert intruder.connect(clean_start=False, session_expiry_s=3600) == "Success"
        assert intruder.publish(own.tel("ui")) in ACCEPTED
        assert intruder.messages == []
    finally:
        intruder.close()
    fleet.server = ServerUnderTest(fleet.tmp_path / "console.db", broker, CONSOLE_ID, tls=True).start()
    wait_until(lambda: fleet.birth_session("k-0002") == new_session,
               what="the birth sent while the console was away, from its session queue")
    fleet.all_stored()


def test_attack_2_a_kiosk_cannot_join_the_ingest_share_group(fleet, broker):
    intruder = _intruder(broker)
    try:
        assert intruder.connect() == "Success"
        for topic_filter in (INGEST_SHARE, f"$share/{broker_auth.INGEST_GROUP}/#",
                             f"$share/{broker_auth.INGEST_GROUP}/{protocol.ROOT}/{REGION}/+/up/#",
                             f"$share/{broker_auth.INGEST_GROUP}/{protocol.ROOT}/+/+/state",
                             f"{protocol.ROOT}/+/+/up/#", "#"):
            assert intruder.subscribe(topic_filter) == "Not authorized", topic_filter
        fleet.record()
        sessions = {kid: fleet.restart_kiosk(kid) for kid in HONEST}
        commands = [control.send_command(fleet.server.db, broker.console_settings(), fleet.server.clock, kid,
                                         "ping", {}) for kid in HONEST for _ in range(3)]
        fleet.record()
        fleet.all_stored()
        for kid, session in sessions.items():
            wait_until(lambda kid=kid, session=session: fleet.birth_session(kid) == session,
                       what=f"{kid}'s birth at the console")
        for command in commands:
            wait_until(lambda command=command: fleet.server.db.call(
                lambda d: store.command_row(d, command.id))["phase"] == "final",
                what=f"the final reply to command {command.id}")
        assert fleet.server.server.counters["resend_requests"] == 0, "nothing went missing to be repaired"
        assert intruder.messages == []
    finally:
        intruder.close()


def test_attack_3_a_kiosk_cannot_publish_under_another_region(fleet, broker):
    own, spoofed = protocol.Topics(REGION, INTRUDER), protocol.Topics("r999999", INTRUDER)
    neighbour = protocol.Topics(REGION, "k-0001")
    state = protocol.encode(protocol.State(online=True, sess=7, ts=1_700_000_000_000, boot="b"))
    batch = protocol.encode_batch("ui", 1, 1, "b", [(1, 1_700_000_000_000, 1, "ui.tap",
                                                     '{"screen":"home","control":"c1"}')], protocol.ClockState())
    intruder = _intruder(broker)
    try:
        assert intruder.connect() == "Success"
        fleet.record()
        assert intruder.publish(own.state, state, retain=True) in ACCEPTED
        wait_until(lambda: fleet.server.scalar("SELECT COUNT(*) FROM kiosks WHERE kid = ?", INTRUDER) == 1,
                   what="the intruder's own presence at the console")
        for topic, payload in ((spoofed.state, state), (spoofed.up("birth"), b"{}"), (spoofed.tel("ui"), batch),
                               (spoofed.up("res"), b"{}"), (neighbour.tel("ui"), batch), (neighbour.state, state)):
            assert intruder.publish(topic, payload) == "Not authorized", topic
        assert intruder.publish(own.state, protocol.encode(protocol.State(online=False, sess=8))) in ACCEPTED
        wait_until(lambda: fleet.server.scalar("SELECT sess FROM kiosks WHERE kid = ?", INTRUDER) == 8,
                   what="the intruder's later message at the console, after the spoofed ones")
        fleet.record()
        fleet.all_stored()
        assert fleet.server.scalar("SELECT region FROM kiosks WHERE kid = ?", INTRUDER) == REGION
        assert fleet.server.scalar("SELECT COUNT(*) FROM kiosks WHERE region != ?", REGION) == 0
        assert fleet.server.scalar("SELECT COUNT(*) FROM events WHERE region != ?", REGION) == 0
    finally:
        intruder.close()
