"""Content jobs end to end: signed pack over HTTP with a resumed download, atomic install, rollback, reports."""

from __future__ import annotations

import http.server
import io
import re
import tarfile
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.config.loader import parse_config
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, ConsultationService
from kiosk.core.clock import SystemClock
from kiosk.fleet.console import control
from tests.integration.fleet.conftest import wait_until

SHIPPED_VERSION = re.search(r'(?m)^version: "([^"]*)"', (DEFAULT_CONTENT_ROOT / "pack.yaml").read_text(
    encoding="utf-8"))[1]
"""The version of the pack in the checkout, which the jobs below replace with a newer one."""


def _pack(version: str, broken: bool = False) -> bytes:
    """The shipped content directory as a .tar.gz, relabelled `version` (or with a pack.yaml that cannot load)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(DEFAULT_CONTENT_ROOT.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts:
                continue
            data = path.read_bytes()
            if path.name == "pack.yaml" and path.parent == DEFAULT_CONTENT_ROOT:
                data = b"version: [broken" if broken else re.sub(rb'(?m)^version: "[^"]*"',
                                                                      f'version: "{version}"'.encode(), data)
            info = tarfile.TarInfo(str(path.relative_to(DEFAULT_CONTENT_ROOT)))
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class PackServer(http.server.ThreadingHTTPServer):
    """Serves files from memory with Range support; the first response of each file is cut off halfway."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}
        self.cut: set[str] = set()
        self.ranges: list[str] = []

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server: PackServer = self.server
        data = server.files[self.path.lstrip("/")]
        start = 0
        if (header := self.headers.get("Range")) is not None:
            server.ranges.append(header)
            start = int(header.removeprefix("bytes=").rstrip("-"))
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        if self.path not in server.cut:
            server.cut.add(self.path)
            self.wfile.write(data[start:len(data) // 2])
            return
        self.wfile.write(data[start:])

    def log_message(self, *_args) -> None:
        return


@pytest.fixture
def pack_server():
    server = PackServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _final(server, job_id: str) -> dict:
    terminal = ("SUCCEEDED", "FAILED", "ROLLED_BACK", "REJECTED", "TIMED_OUT")
    wait_until(lambda: server.db.call(lambda d: control.store.job_row(d, job_id, "k-0001"))["status"] in terminal,
               timeout_s=60, what=f"final state of {job_id}")
    return server.db.call(lambda d: control.store.job_row(d, job_id, "k-0001"))


def test_signed_pack_resumes_installs_atomically_and_bad_ones_roll_back(fleet_parts, pack_server, tmp_path):
    bureau = Ed25519PrivateKey.generate()
    key_file = tmp_path / "content-signing.pub"
    key_file.write_text(bureau.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    config = parse_config({"legal_aid": {"verification_key_file": str(tmp_path / "opinion.key")}})
    service = ConsultationService(DEFAULT_CONTENT_ROOT, SystemClock(), config)
    service.start()
    kiosk = make_kiosk(content_dir=str(tmp_path / "content"), content_key_file=str(key_file),
                       install_content=service.install).start()
    wait_until(lambda: server.scalar("SELECT COUNT(*) FROM kiosks WHERE birth IS NOT NULL") == 1, what="birth")
    broker, clock = server.server._broker, server.clock
    running = service.interview("labor")

    pack_server.files["good.tar.gz"] = _pack("2027.1.1")
    (tmp_path / "good.tar.gz").write_bytes(pack_server.files["good.tar.gz"])
    job = control.send_job(server.db, broker, clock, "k-0001", job_id="content-1", version="2027.1.1",
                           pack=tmp_path / "good.tar.gz", url=pack_server.url("good.tar.gz"), signing_key=bureau)
    row = _final(server, job.job)
    assert row["status"] == "SUCCEEDED", row
    assert row["progress_of"] == len(pack_server.files["good.tar.gz"])
    assert pack_server.ranges and pack_server.ranges[0] != "bytes=0-", "the cut download was resumed"
    assert service.pack.version == "2027.1.1" and running.pack.version == SHIPPED_VERSION
    current = Path(kiosk.fleet.content_dir) / "current"
    assert current.is_symlink() and current.resolve().name == "2027.1.1-content-1"

    pack_server.files["broken.tar.gz"] = _pack("2026.12.2", broken=True)
    (tmp_path / "broken.tar.gz").write_bytes(pack_server.files["broken.tar.gz"])
    broken = control.send_job(server.db, broker, clock, "k-0001", job_id="content-2", version="2026.12.2",
                              pack=tmp_path / "broken.tar.gz", url=pack_server.url("broken.tar.gz"),
                              signing_key=bureau)
    assert _final(server, broken.job)["status"] == "ROLLED_BACK"
    assert service.pack.version == "2027.1.1" and current.resolve().name == "2027.1.1-content-1"

    forged = control.send_job(server.db, broker, clock, "k-0001", job_id="content-3", version="2026.12.3",
                              pack=tmp_path / "good.tar.gz", url=pack_server.url("good.tar.gz"),
                              signing_key=Ed25519PrivateKey.generate())
    row = _final(server, forged.job)
    assert row["status"] == "FAILED" and "signature" in row["error"]
    assert service.pack.version == "2027.1.1"
