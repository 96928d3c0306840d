"""The deploy broker's authorisation (deploy/mosquitto: the dynamic-security plugin with one role per kiosk) on a
real Mosquitto over TLS: what a kiosk certificate may publish and subscribe to, which client ids each identity
may use, and that provisioning a kiosk gives a running broker its identity."""

from __future__ import annotations

import subprocess

import pytest

from kiosk.cli.main import main
from kiosk.fleet import protocol
from kiosk.fleet.console import broker_auth, pki
from tests.integration.fleet.conftest import ADMIN_PASSWORD, KIOSK_PASSWORD, REGION, SERVER_PASSWORD, SERVER_USER
from tests.integration.fleet.mqtt_probe import Probe

OWN, NEIGHBOUR = protocol.Topics(REGION, "k-0001"), protocol.Topics(REGION, "k-0002")
ELSEWHERE = protocol.Topics("r999999", "k-0001")
ACCEPTED = ("Success", "No matching subscribers")


@pytest.fixture
def kiosk_probe(broker):
    probe = Probe.kiosk(broker, "k-0001")
    assert probe.connect() == "Success"
    yield probe
    probe.close()


def test_a_kiosk_publishes_only_its_own_state_and_uplinks_in_its_region(kiosk_probe):
    for topic in (OWN.state, OWN.tel("ui"), OWN.up("birth"), OWN.up("res")):
        assert kiosk_probe.publish(topic) in ACCEPTED, topic
    for topic in (NEIGHBOUR.tel("ui"), NEIGHBOUR.state, NEIGHBOUR.up("birth"), OWN.down("cmd"), OWN.down("ack"),
                  ELSEWHERE.tel("ui"), ELSEWHERE.state, ELSEWHERE.up("birth"), protocol.SERVER_STATE_TOPIC,
                  f"{protocol.ROOT}/{REGION}/{protocol.ALL_KIOSKS}/down/cmd", broker_auth.CONTROL_TOPIC, "k-0001"):
        assert kiosk_probe.publish(topic) == "Not authorized", topic


def test_a_kiosk_subscribes_only_to_its_downlinks_its_region_broadcast_and_the_server_state(kiosk_probe):
    for topic_filter in OWN.subscriptions:
        assert kiosk_probe.subscribe(topic_filter) == "Granted QoS 1", topic_filter
    refused = ("#", "kiosk/v1/#", f"$share/{broker_auth.INGEST_GROUP}/kiosk/v1/+/+/up/#", "$share/ingest/#",
               "$share/mine/kiosk/v1/r320100/k-0001/down/#", "kiosk/v1/+/+/up/#", "kiosk/v1/+/+/state",
               f"{NEIGHBOUR.base}/down/#", f"{protocol.ROOT}/{REGION}/+/down/#", f"{ELSEWHERE.base}/down/#",
               f"{protocol.ROOT}/r999999/{protocol.ALL_KIOSKS}/down/#", f"{OWN.base}/up/#", "$SYS/#",
               f"{broker_auth.CONTROL_TOPIC}/response")
    for topic_filter in refused:
        assert kiosk_probe.subscribe(topic_filter) == "Not authorized", topic_filter


def test_a_password_identity_may_use_only_its_bound_client_id(broker):
    """On a password listener the plugin binds kiosks and the administrator to their client ids."""
    cases = [("k-0001", "k-0001", KIOSK_PASSWORD, "Success"), ("k-0002", "k-0001", KIOSK_PASSWORD, "Not authorized"),
             ("fleet-ingest-1", "k-0001", KIOSK_PASSWORD, "Not authorized"),
             ("fleet-ingest-1", broker_auth.ADMIN_USER, ADMIN_PASSWORD, "Not authorized"),
             ("fleet-ingest-1", SERVER_USER, SERVER_PASSWORD, "Success"),
             ("k-0001", "k-0001", "wrong", "Not authorized")]
    for client_id, username, password, expected in cases:
        probe = Probe(client_id, broker.console_settings().port, username=username, password=password,
                      tls={"ca_file": str(broker.pki / "ca.pem"), "cert_file": None, "key_file": None})
        try:
            assert probe.connect() == expected, (client_id, username)
        finally:
            probe.close()


def test_a_certificate_signed_by_the_ca_is_nobody_until_provisioned(broker, tmp_path):
    pki.write(pki.issue(broker.ca, "k-0009"), broker.pki / "k-0009")
    unprovisioned = Probe.kiosk(broker, "k-0009")
    try:
        assert unprovisioned.connect() == "Success"
        assert unprovisioned.subscribe(protocol.Topics("r320200", "k-0009").subscriptions[0]) == "Not authorized"
        assert unprovisioned.publish(protocol.Topics("r320200", "k-0009").state) == "Not authorized"
    finally:
        unprovisioned.close()


def test_provisioning_a_kiosk_adds_its_identity_to_the_running_broker(broker, tmp_path, capsys):
    admin_password = tmp_path / "admin-password"
    admin_password.write_text(ADMIN_PASSWORD)
    provision = ["provision", "kiosk", "k-0009", "--region", "r320200", "--ca-dir", str(broker.pki),
                 "--admin-password-file", str(admin_password), "--port", str(broker.console_port),
                 "--ca-file", str(broker.pki / "ca.pem")]
    assert main([*provision, "--out", str(tmp_path / "issued")]) == 0
    new = protocol.Topics("r320200", "k-0009")
    tls = {"ca_file": str(broker.pki / "ca.pem"), "cert_file": str(tmp_path / "issued" / "k-0009.pem"),
           "key_file": str(tmp_path / "issued" / "k-0009.key")}
    for restarted in (False, True):
        if restarted:
            broker.restart()
        probe = Probe("k-0009", broker.kiosk_port, tls=tls)
        try:
            assert probe.connect() == "Success"
            assert [probe.subscribe(f) for f in new.subscriptions] == ["Granted QoS 1"] * 3
            assert probe.publish(new.tel("ui")) in ACCEPTED
            assert probe.publish(protocol.Topics(REGION, "k-0009").tel("ui")) == "Not authorized"
        finally:
            probe.close()
    capsys.readouterr()
    assert main([*provision, "--out", str(tmp_path / "again")]) == 1
    assert "PRV-002" in capsys.readouterr().err
    assert not (tmp_path / "again" / "k-0009.pem").exists()


def test_revoking_a_kiosk_disconnects_it_and_leaves_its_certificate_no_rights(broker):
    """The README's revocation: delete the kiosk's identity and role with mosquitto_ctrl as the administrator."""
    probe = Probe.kiosk(broker, "k-0002")
    assert probe.connect() == "Success"
    ctrl = ["mosquitto_ctrl", "-h", "127.0.0.1", "-p", str(broker.console_port), "--cafile",
            str(broker.pki / "ca.pem"), "-u", broker_auth.ADMIN_USER, "-i", broker_auth.ADMIN_USER,
            "-P", ADMIN_PASSWORD, "dynsec"]
    try:
        for command in (["deleteClient", "k-0002"], ["deleteRole", broker_auth.kiosk_role_name("k-0002")]):
            subprocess.run(ctrl + command, check=True, capture_output=True, timeout=30)
        assert probe.next_answer() == "disconnected: Administrative action"
    finally:
        probe.close()
    again = Probe.kiosk(broker, "k-0002")
    try:
        assert again.connect() == "Success"
        assert again.publish(NEIGHBOUR.state) == "Not authorized"
        assert again.subscribe(NEIGHBOUR.subscriptions[0]) == "Not authorized"
    finally:
        again.close()
