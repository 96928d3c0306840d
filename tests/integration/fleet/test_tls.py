"""The deploy broker configuration's TLS listeners on a real Mosquitto: the kiosk's certificate is its identity.

The config under test is deploy/mosquitto/mosquitto.conf itself, with only ports, file paths and logging
rewritten for a temp dir: kiosks on the `require_certificate` + `use_identity_as_username` listener, the
console on the password listener. A throwaway CA, broker and client certificates are made with `cryptography`.
"""

from __future__ import annotations

import datetime
import getpass
import ipaddress
import re
import ssl
import subprocess
import threading
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.fleet.console.server import BrokerSettings
from tests.integration.fleet.conftest import (DEPLOY_ACL, SERVER_PASSWORD, SERVER_USER, Broker, KioskUnderTest,
                                              ServerUnderTest, free_port, wait_until)

DEPLOY_CONF = DEPLOY_ACL.parent / "mosquitto.conf"
KIOSK_LISTENER, SERVER_LISTENER = 8883, 8884


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _cert(subject: str, key, issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None = None, *,
          ca: bool = False, ip: str | None = None) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    issuer_name, issuer_key = issuer or (name, key)
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(path: Path, cert: x509.Certificate, key) -> tuple[str, str]:
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                           serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    return str(path.with_suffix(".pem")), str(path.with_suffix(".key"))


class TlsBroker(Broker):
    """Mosquitto running deploy/mosquitto/mosquitto.conf with ports and paths moved into a temp dir."""

    def __init__(self, root: Path, pki: Path) -> None:
        super().__init__(root, [])
        self.kiosk_port, self.port = free_port(), free_port()
        conf = "\n".join(line for line in DEPLOY_CONF.read_text().splitlines() if not line.startswith("#"))
        conf = conf.replace(f"listener {KIOSK_LISTENER}", f"listener {self.kiosk_port} 127.0.0.1")
        conf = conf.replace(f"listener {SERVER_LISTENER}", f"listener {self.port} 127.0.0.1")
        for name, path in (("ca.pem", pki / "ca.pem"), ("broker.pem", pki / "broker.pem"),
                           ("broker.key", pki / "broker.key"), ("passwd", root / "passwd"), ("acl", root / "acl")):
            conf = conf.replace(f"/etc/mosquitto/kiosk/{name}", str(path))
        conf = conf.replace("/var/lib/mosquitto/", f"{root / 'data'}/")
        conf = re.sub(r"^log_dest .*$", f"log_dest file {root / 'mosquitto.log'}", conf, flags=re.M)
        self.conf.write_text(f"user {getpass.getuser()}\n{conf}")
        assert "/etc/" not in conf and "/var/" not in conf


@pytest.fixture
def pki(tmp_path) -> Path:
    pki = tmp_path / "pki"
    pki.mkdir()
    ca_key, rogue_key = _key(), _key()
    ca = _cert("Bureau fleet CA", ca_key, ca=True)
    rogue_ca = _cert("Bureau fleet CA", rogue_key, ca=True)
    _write(pki / "ca", ca, ca_key)
    broker_key = _key()
    _write(pki / "broker", _cert("broker", broker_key, (ca.subject, ca_key), ip="127.0.0.1"), broker_key)
    for kid, issuer in (("k-0001", (ca.subject, ca_key)), ("rogue", (rogue_ca.subject, rogue_key))):
        key = _key()
        _write(pki / kid, _cert("k-0001", key, issuer), key)
    return pki


@pytest.fixture
def tls_broker(tmp_path, pki):
    broker = TlsBroker(tmp_path / "broker", pki)
    subprocess.run(["mosquitto_passwd", "-b", str(broker.root / "passwd"), SERVER_USER, SERVER_PASSWORD],
                   check=True, capture_output=True, timeout=30)
    broker.start()
    yield broker
    broker.stop()


def _connack(port: int, ca: Path, cert: Path | None, key: Path | None) -> str:
    """What a bare TLS client gets from the kiosk listener: the CONNACK reason, or how the link failed."""
    outcome: list[str] = []
    done = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="k-0001", protocol=mqtt.MQTTv5)
    client.tls_set(ca_certs=str(ca), certfile=cert and str(cert), keyfile=key and str(key))
    client.on_connect = lambda _c, _u, _f, rc, _p: (outcome.append(str(rc)), done.set())
    client.on_disconnect = lambda _c, _u, _f, rc, _p: (outcome.append(f"disconnected: {rc}"), done.set())
    try:
        client.connect("127.0.0.1", port, keepalive=10)
    except (ssl.SSLError, OSError) as exc:
        return f"refused: {type(exc).__name__}"
    client.loop_start()
    try:
        done.wait(10)
    finally:
        client.disconnect()
        client.loop_stop()
    return outcome[0] if outcome else "no answer"


def test_agent_connects_with_its_certificate_and_the_console_with_its_password(tmp_path, tls_broker, pki):
    settings = BrokerSettings(port=tls_broker.port, username=SERVER_USER, password=SERVER_PASSWORD,
                              ca_file=str(pki / "ca.pem"))
    tls_broker.settings = lambda: settings
    server = ServerUnderTest(tmp_path / "console.db", tls_broker).start()
    kiosk = KioskUnderTest(tmp_path / "k-0001", tls_broker, port=tls_broker.kiosk_port, tls=True, password_file="",
                           ca_file=str(pki / "ca.pem"), cert_file=str(pki / "k-0001.pem"),
                           key_file=str(pki / "k-0001.key")).start()
    try:
        kiosk.outbox.record("ui", "ui.view", {"screen": "home"})
        wait_until(lambda: server.event_count() == 1, what="an event through both TLS listeners")
        assert server.scalar("SELECT online FROM kiosks WHERE kid = 'k-0001'") == 1
    finally:
        kiosk.stop()
        server.stop()


def test_a_kiosk_without_a_valid_certificate_is_refused(tls_broker, pki):
    ca = pki / "ca.pem"
    assert _connack(tls_broker.kiosk_port, ca, pki / "k-0001.pem", pki / "k-0001.key") == "Success"
    for cert, key in ((pki / "rogue.pem", pki / "rogue.key"), (None, None)):
        outcome = _connack(tls_broker.kiosk_port, ca, cert, key)
        assert outcome.startswith(("refused:", "disconnected:")), (cert, outcome)
