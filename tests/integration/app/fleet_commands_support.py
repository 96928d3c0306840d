"""Real stand-ins for what the fleet's reboot, screenshot and upload_logs commands talk to outside the kiosk.

- UploadReceiver: a real HTTP server (http.server on a free loopback port, in a thread) keeping what is PUT to it;
- JournalStream: what journald makes of a service's stderr (each line an entry stamped on arrival, as journal
  JSON in a file), for the stand-in `journalctl` in standins/ to serve;
- standins: PATH starting with standins/, whose `systemctl` and `journalctl` record how they were called;
- a composed kiosk (kiosk.runtime.bootstrap.build) on the test broker, and the reference console to command it.
"""

from __future__ import annotations

import io
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.runtime.bootstrap import Kiosk, build
from kiosk.config.loader import load
from kiosk.core.clock import SystemClock
from kiosk.fleet.console import store
from kiosk.fleet.console.control import send_command
from tests.integration.fleet.conftest import (KIOSK_PASSWORD, REGION, Broker, ServerUnderTest,  # noqa: F401
                                              broker, broker_factory, wait_until)  # noqa: F401  (fixtures)

STANDINS = Path(__file__).with_name("standins")
KID = "k-0001"


class UploadReceiver:
    """A real HTTP server on a free loopback port that keeps each PUT's body and headers by path and answers
    `status` (201, or an error to try a refusal)."""

    def __init__(self, status: int = 201) -> None:
        self.status = status
        self.bodies: dict[str, bytes] = {}
        self.headers: dict[str, dict[str, str]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies[self.path] = body
                receiver.headers[self.path] = dict(self.headers)
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                """Quiet: the test reads what arrived, not the access log."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="upload-receiver", daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def start(self) -> UploadReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)


@pytest.fixture
def receiver():
    server = UploadReceiver().start()
    yield server
    server.stop()


class JournalStream(io.TextIOBase):
    """A text stream that does what journald does with a service's stderr: every line becomes an entry of
    `unit`, stamped when it arrives, appended to `path` as journal JSON (with fields an upload must leave out)."""

    def __init__(self, path: Path, unit: str = "kiosk.service") -> None:
        self.path = path
        self.unit = unit
        self._pending = ""
        self._count = 0
        self._lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            *lines, self._pending = (self._pending + text).split("\n")
            for line in lines:
                self.append(line, self.unit)
        return len(text)

    def append(self, message: str, unit: str) -> None:
        """One entry, as journald stores it."""
        self._count += 1
        entry = {"__CURSOR": f"s=standin;i={self._count}", "__REALTIME_TIMESTAMP": str(time.time_ns() // 1000),
                 "__MONOTONIC_TIMESTAMP": str(time.monotonic_ns() // 1000), "_BOOT_ID": "b" * 32,
                 "_SYSTEMD_UNIT": unit, "SYSLOG_IDENTIFIER": unit.split(".")[0], "_PID": str(os.getpid()),
                 "PRIORITY": "6", "_HOSTNAME": "kiosk-host", "_CMDLINE": "/opt/kiosk/.venv/bin/kiosk run",
                 "MESSAGE": message}
        with self.path.open("a", encoding="utf-8") as journal:
            journal.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Standins:
    """PATH with standins/ first; `calls()` are the command lines they were run with, in order."""

    def __init__(self, monkeypatch, root: Path) -> None:
        self.record = root / "standin-calls.jsonl"
        self.journal = root / "journal.jsonl"
        self.journal.touch()
        monkeypatch.setenv("PATH", f"{STANDINS}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setenv("STANDIN_RECORD", str(self.record))
        monkeypatch.setenv("STANDIN_JOURNAL", str(self.journal))

    def calls(self) -> list[list[str]]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines()]


@pytest.fixture
def standins(monkeypatch, tmp_path) -> Standins:
    return Standins(monkeypatch, tmp_path)


@pytest.fixture
def make_kiosk(broker, clean_env, monkeypatch, tmp_path):
    """`make(**env)`: the composed kiosk (bootstrap.build, started) on the test broker as k-0001, with
    KIOSK_* settings in `env` over no devices; stopped at teardown."""
    made: list[Kiosk] = []

    def make(**env: str) -> Kiosk:
        password = tmp_path / "kiosk-password"
        password.write_text(KIOSK_PASSWORD)
        settings = {"KIOSK_KIOSK__ID": KID, "KIOSK_KIOSK__REGION": REGION, "KIOSK_FLEET__ENABLED": "true",
                    "KIOSK_FLEET__HOST": "127.0.0.1", "KIOSK_FLEET__PORT": str(broker.port),
                    "KIOSK_FLEET__TLS": "false", "KIOSK_FLEET__PASSWORD_FILE": str(password),
                    "KIOSK_FLEET__START_JITTER_S": "0", "KIOSK_FLEET__BATCHES_PER_S": "1000",
                    "KIOSK_IDCARD__KIND": "none", "KIOSK_PRINTER__KIND": "none", **env}
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        composed = build(load(), clock=SystemClock())
        made.append(composed)
        composed.start()
        assert composed.wait_started(30)
        return composed

    yield make
    for composed in made:
        composed.stop()


@pytest.fixture
def console(broker, tmp_path):
    server = ServerUnderTest(tmp_path / "console.db", broker).start()
    yield server
    server.stop()


def wait_online(console: ServerUnderTest) -> None:
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM kiosks WHERE kid=? AND online=1", KID) == 1,
               what="kiosk online at the console")


def command(console: ServerUnderTest, broker: Broker, name: str, args: dict, timeout_s: float = 30.0) -> dict:
    """Send `name` from the console to k-0001 and wait for its final reply: {code, result, error}."""
    sent = send_command(console.db, broker.settings(), console.clock, KID, name, args)

    def row() -> dict:
        return console.db.call(lambda d: store.command_row(d, sent.id)) or {}

    wait_until(lambda: row().get("phase") == "final", timeout_s, what=f"final reply to {name}")
    final = row()
    return {"code": final["code"], "result": json.loads(final["result"] or "{}"), "error": final["error"]}
