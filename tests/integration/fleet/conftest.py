"""A real Mosquitto running the deploy configuration on free loopback ports, and fleet helpers."""

from __future__ import annotations

import getpass
import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config.schema import FleetConfig, KioskConfig, KioskIdentity
from kiosk.core.clock import SystemClock
from kiosk.fleet.agent import Collaborators, FleetAgent
from kiosk.fleet.desired import preview
from kiosk.fleet.console import broker_auth, pki
from kiosk.fleet.console.server import BrokerSettings, IngestServer, open_store
from kiosk.fleet.outbox import Outbox
from kiosk.storage.db import Database
from tests.postgres import console_stores, console_target, postgres, query  # noqa: F401  (fixtures for console tests)

MOSQUITTO = "/usr/sbin/mosquitto"
DEPLOY_CONF = Path(__file__).resolve().parents[3] / "deploy" / "mosquitto" / "mosquitto.conf"
KIOSK_LISTENER, CONSOLE_LISTENER = 8883, 8884
"""The deploy configuration's listeners, moved to free ports in tests."""
SERVER_USER, SERVER_PASSWORD = broker_auth.CONSOLE_USER, "srv-secret"
ADMIN_PASSWORD = "admin-secret"
KIOSK_PASSWORD = "kiosk-secret"
REGION = "r320100"

pytestmark = pytest.mark.broker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout_s: float = 20.0, what: str = "condition",
               poll_s: float = 0.02) -> None:
    """Poll `predicate` every `poll_s` until true; fail after `timeout_s` (never a bare sleep as synchronisation)."""
    deadline = time.monotonic() + timeout_s
    done = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        done.wait(poll_s)


class Broker:
    """deploy/mosquitto/mosquitto.conf run as it is installed, with its listeners on free loopback ports, a test CA
    and broker certificate, and the dynamic-security file that provisioning writes; plus one plain loopback
    listener (`port`, test only) where the same identities log in with passwords. Restartable on the same ports
    and data."""

    def __init__(self, root: Path, kiosks: list[str], extra_conf: str = "") -> None:
        self.root = root
        self.port, self.kiosk_port, self.console_port = free_port(), free_port(), free_port()
        self.process: subprocess.Popen | None = None
        self.pki = root / "pki"
        self.pki.mkdir(parents=True, exist_ok=True)
        (root / "data").mkdir(exist_ok=True)
        self.ca = pki.make_ca("Test bureau fleet CA")
        pki.write(self.ca, self.pki / "ca")
        pki.write(pki.issue(self.ca, "broker", server_names=("127.0.0.1",)), self.pki / "broker")
        self.auth_file = root / "data" / "dynamic-security.json"
        document = broker_auth.new_document(ADMIN_PASSWORD, SERVER_PASSWORD)
        self.auth_file.write_text(json.dumps(broker_auth.with_kiosks(document, [(k, REGION) for k in kiosks],
                                                                     KIOSK_PASSWORD)))
        self.conf = root / "mosquitto.conf"
        self.conf.write_text(f"user {getpass.getuser()}\n{self._deploy_conf()}\n"
                             f"listener {self.port} 127.0.0.1\n{extra_conf}")

    def _deploy_conf(self) -> str:
        """The deploy file with only its ports, file paths and log destination moved into this broker's dir."""
        conf = "\n".join(line for line in DEPLOY_CONF.read_text().splitlines() if not line.startswith("#"))
        conf = conf.replace(f"listener {KIOSK_LISTENER}", f"listener {self.kiosk_port} 127.0.0.1")
        conf = conf.replace(f"listener {CONSOLE_LISTENER}", f"listener {self.console_port} 127.0.0.1")
        conf = conf.replace("/etc/mosquitto/kiosk/", f"{self.pki}/").replace("/var/lib/mosquitto/",
                                                                            f"{self.root / 'data'}/")
        conf = re.sub(r"^log_dest .*$", f"log_dest file {self.root / 'mosquitto.log'}", conf, flags=re.M)
        assert "/etc/" not in conf and "/var/" not in conf, conf
        return conf

    def start(self) -> None:
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10.0
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.root / "mosquitto.log"
                    raise RuntimeError(f"mosquitto did not start: {log.read_text() if log.exists() else ''}")
                threading.Event().wait(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def settings(self) -> BrokerSettings:
        """The console on the plain test listener."""
        return BrokerSettings(port=self.port, username=SERVER_USER, password=SERVER_PASSWORD)

    def console_settings(self, username: str = SERVER_USER, password: str = SERVER_PASSWORD) -> BrokerSettings:
        """A password principal on the deploy's TLS console listener (the console, or the plugin's administrator)."""
        return BrokerSettings(port=self.console_port, username=username, password=password,
                              ca_file=str(self.pki / "ca.pem"))

    def kiosk_tls(self, kid: str) -> dict:
        """FleetConfig overrides for `kid` on the deploy's certificate listener, issuing its certificate once."""
        if not (self.pki / f"{kid}.pem").exists():
            pki.write(pki.issue(self.ca, kid), self.pki / kid)
        return dict(port=self.kiosk_port, tls=True, password_file="", ca_file=str(self.pki / "ca.pem"),
                    cert_file=str(self.pki / f"{kid}.pem"), key_file=str(self.pki / f"{kid}.key"))


@pytest.fixture
def broker_factory(tmp_path):
    started: list[Broker] = []

    def make(kiosks: list[str], extra_conf: str = "") -> Broker:
        broker = Broker(tmp_path / f"broker{len(started)}", kiosks, extra_conf)
        broker.start()
        started.append(broker)
        return broker

    yield make
    for broker in started:
        broker.stop()


@pytest.fixture
def broker(broker_factory) -> Broker:
    return broker_factory(["k-0001", "k-0002"])


def fleet_config(broker: Broker, tmp_path: Path, **overrides) -> FleetConfig:
    password = tmp_path / "kiosk-password"
    password.write_text(KIOSK_PASSWORD)
    values = dict(enabled=True, host="127.0.0.1", port=broker.port, tls=False, password_file=str(password),
                  keepalive_s=10, batches_per_s=1000.0, ack_timeout_s=3.0, reconnect_base_s=0.2,
                  reconnect_cap_s=1.0, start_jitter_s=0.0)
    values.update(overrides)
    return FleetConfig(**values)


class KioskUnderTest:
    """A kiosk's database, outbox and agent wired as the composition root would, with recording fakes of
    the lead's collaborators (the config it applied, an idle flag, printer_test and safe_mode handlers)."""

    def __init__(self, root: Path, broker: Broker, kid: str = "k-0001", install_content=None,
                 **fleet_overrides) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.clock = SystemClock()
        self.identity = KioskIdentity(id=kid, region=REGION)
        self.fleet = fleet_config(broker, root, **fleet_overrides)
        self.db = Database(root / "kiosk.db", self.clock)
        self.outbox = Outbox(self.db, self.clock, boot_id=f"boot-{kid}", max_bytes=50_000_000,
                             chunk_max_events=self.fleet.batch_max_events)
        self.environ = {"KIOSK_CONFIG_FILE": str(root / "kiosk.toml"),
                        "KIOSK_OVERRIDES_FILE": str(root / "overrides.toml")}
        self.applied: list[KioskConfig] = []
        self.idle = True
        self.printer_tests = 0
        self.safe_mode_asked: list[bool] = []
        """Each safe_mode command carried out (`on`); the fake restarts nothing."""
        self.agent = FleetAgent(self.fleet, self.identity, db=self.db, outbox=self.outbox, clock=self.clock,
                                boot_id=f"boot-{kid}", sw_version="test",
                                collaborators=Collaborators(apply_desired=self._apply_desired,
                                                            is_idle=lambda: self.idle,
                                                            handlers={"printer_test": self._printer_test,
                                                                      "safe_mode": self._safe_mode},
                                                            inventory=lambda: {"printer": "sim"},
                                                            install_content=install_content))

    def _apply_desired(self, document: dict) -> None:
        """As the composition root: check the document whole over this kiosk's files, then record the result."""
        self.applied.append(preview(document, self.environ).config)

    def _printer_test(self, _args) -> dict:
        self.printer_tests += 1
        return {"printed": True}

    def _safe_mode(self, args) -> dict:
        self.safe_mode_asked.append(args.on)
        return {"safe_mode": args.on, "restarting": True}

    def start(self) -> KioskUnderTest:
        self.db.start()
        self.outbox.start()
        self.agent.start()
        return self

    def stop(self) -> None:
        self.agent.stop()
        self.outbox.stop()
        self.db.stop()


class ServerUnderTest:
    """The console's store and one ingest worker."""

    def __init__(self, path: Path | str, broker: Broker, client_id: str = "fleet-ingest-1", *, tls: bool = False,
                 **server_options) -> None:
        """`path`: a SQLite file or a database URL; `tls`: on the deploy's console listener instead of the plain
        test listener; `server_options` go to IngestServer."""
        self.clock = SystemClock()
        self.db = open_store(path, self.clock)
        self.server = IngestServer(self.db, broker.console_settings() if tls else broker.settings(), self.clock,
                                   client_id=client_id, **({"reorder_timeout_s": 2.0} | server_options))

    def start(self) -> ServerUnderTest:
        self.db.start()
        self.server.start()
        if not self.server.connected.wait(20.0):
            raise AssertionError("timed out after 20.0 s waiting for the console to connect")
        return self

    def stop(self) -> None:
        self.server.stop()
        self.db.stop()

    def scalar(self, sql: str, *params):
        """The first value of `sql` (with `?` placeholders) on the console's store, SQLite or PostgreSQL."""
        return self.rows(sql, *params)[0][0]

    def rows(self, sql: str, *params) -> list[tuple]:
        return self.db.call(lambda c: query(c, sql, *params))

    def event_count(self, kid: str = "k-0001") -> int:
        return self.scalar("SELECT COUNT(*) FROM events WHERE kid = ?", kid)


@pytest.fixture
def fleet_parts(tmp_path, broker, console_stores):
    """Factories for kiosks and servers on the test broker, the servers' stores on each backend (SQLite and
    PostgreSQL); everything started is stopped at teardown."""
    made: list = []

    def kiosk(kid: str = "k-0001", **overrides) -> KioskUnderTest:
        part = KioskUnderTest(tmp_path / kid, broker, kid, **overrides)
        made.append(part)
        return part

    def server(name: str = "console.db", client_id: str = "fleet-ingest-1") -> ServerUnderTest:
        part = ServerUnderTest(console_stores(name), broker, client_id)
        made.append(part)
        return part

    yield kiosk, server
    for part in reversed(made):
        part.stop()
