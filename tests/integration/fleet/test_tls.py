"""The deploy broker configuration's TLS listeners on a real Mosquitto: the kiosk's certificate is its identity.

The broker fixture runs deploy/mosquitto/mosquitto.conf itself, with only ports, file paths and logging moved to a
temp dir, and a test CA made by the provisioning code: kiosks on the `require_certificate` +
`use_identity_as_username` listener, the console on the password listener.
"""

from __future__ import annotations

from kiosk.fleet.console import pki
from tests.integration.fleet.conftest import KioskUnderTest, ServerUnderTest, wait_until
from tests.integration.fleet.mqtt_probe import Probe


def test_agent_connects_with_its_certificate_and_the_console_with_its_password(tmp_path, broker):
    server = ServerUnderTest(tmp_path / "console.db", broker, tls=True).start()
    kiosk = KioskUnderTest(tmp_path / "k-0001", broker, **broker.kiosk_tls("k-0001")).start()
    try:
        kiosk.outbox.record("ui", "ui.view", {"screen": "home"})
        wait_until(lambda: server.event_count() == 1, what="an event through both TLS listeners")
        assert server.scalar("SELECT online FROM kiosks WHERE kid = 'k-0001'") == 1
    finally:
        kiosk.stop()
        server.stop()


def _outcome(probe: Probe) -> str:
    """The CONNACK reason, or how the link failed."""
    try:
        return probe.connect()
    except OSError as exc:
        return f"refused: {type(exc).__name__}"
    finally:
        probe.close()


def test_a_kiosk_without_a_valid_certificate_is_refused(broker, tmp_path):
    rogue_ca = pki.make_ca("Test bureau fleet CA")
    pki.write(pki.issue(rogue_ca, "k-0001"), tmp_path / "rogue")
    ca = str(broker.pki / "ca.pem")
    assert _outcome(Probe.kiosk(broker, "k-0001")) == "Success"
    for cert, key in ((tmp_path / "rogue.pem", tmp_path / "rogue.key"), (None, None)):
        probe = Probe("k-0001", broker.kiosk_port, tls={"ca_file": ca, "cert_file": cert and str(cert),
                                                        "key_file": key and str(key)})
        outcome = _outcome(probe)
        assert outcome.startswith(("refused:", "disconnected:")), (cert, outcome)
