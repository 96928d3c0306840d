"""Rolling out a content pack from the web console (issue 16 item 4, 配置与内容): an administrator picks a pack of
the console's pack directory and a region; each terminal of it gets its own signed job over the real broker, the
kiosks answer, and the rollout shows each terminal's state; a viewer may not start one, and a pack name from
outside the directory is refused."""

from __future__ import annotations

import hashlib
import json
import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from starlette.testclient import TestClient

from kiosk.fleet.console.settings import ConsoleSettings, ContentSource
from kiosk.fleet.console.web import auth
from kiosk.fleet.console.web.app import build_app
from tests.integration.fleet.conftest import REGION, wait_until

PASSWORD = "a-long-password"


def _client(app, user: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"login_token": token, "username": user, "password": PASSWORD})
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/config").text)[1]
    return client, csrf


def test_an_administrator_rolls_a_signed_pack_out_to_a_region(fleet_parts, tmp_path):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosks = [make_kiosk(kid).start() for kid in ("k-0001", "k-0002")]
    wait_until(lambda: server.scalar("SELECT COUNT(*) FROM kiosks WHERE birth IS NOT NULL") == 2, what="births")
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "content-2026.12.9.tar.gz").write_bytes(b"not really a pack, but signed all the same")
    bureau = Ed25519PrivateKey.generate()
    (tmp_path / "signing.pem").write_bytes(bureau.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    settings = ConsoleSettings(content=ContentSource(packs_dir=str(packs), base_url="http://127.0.0.1:9/packs/",
                                                     signing_key=str(tmp_path / "signing.pem")))
    for name, role in (("admin", "administrator"), ("viewer", "viewer")):
        server.db.call(lambda c, n=name, r=role: auth.add_user(c, n, PASSWORD, r, 0))
    app = build_app(server.db, server.server._broker, server.clock, settings)

    viewer, token = _client(app, "viewer")
    refused = viewer.post("/content/start", data={"csrf": token, "pack": "content-2026.12.9.tar.gz",
                                                  "version": "2026.12.9", "region": REGION})
    assert refused.status_code == 403 and server.scalar("SELECT COUNT(*) FROM jobs") == 0

    admin, token = _client(app, "admin")
    outside = admin.post("/content/start", data={"csrf": token, "pack": "../signing.pem", "version": "1",
                                                 "region": REGION})
    assert outside.status_code == 400 and server.scalar("SELECT COUNT(*) FROM jobs") == 0
    started = admin.post("/content/start", data={"csrf": token, "pack": "content-2026.12.9.tar.gz",
                                                 "version": "2026.12.9", "region": REGION})
    assert started.status_code == 200 and "k-0001 k-0002" in started.text
    rows = server.rows("SELECT kid, id, exec_ver, document FROM jobs ORDER BY kid")
    assert [(kid, job, version) for kid, job, version, _doc in rows] == [
        ("k-0001", "content-2026-12-9", 1), ("k-0002", "content-2026-12-9", 1)]
    digest = hashlib.sha256((packs / "content-2026.12.9.tar.gz").read_bytes()).digest()
    for *_rest, document in rows:
        artifact = json.loads(document)["artifact"]
        assert artifact["sha256"] == digest.hex()
        assert artifact["url"] == "http://127.0.0.1:9/packs/content-2026.12.9.tar.gz"
        bureau.public_key().verify(bytes.fromhex(artifact["signature"]), digest)
    wait_until(lambda: server.scalar("SELECT COUNT(*) FROM jobs WHERE status != 'QUEUED'") == 2, timeout_s=30,
               what="both kiosks answered their job")
    page = admin.get("/config").text
    assert page.count('<tr data-kid="k-000') >= 2 and "content-2026-12-9" in page
    audit = server.rows("SELECT action, target FROM audit WHERE action = 'job' ORDER BY target")
    assert audit == [("job", "k-0001"), ("job", "k-0002")] and len(kiosks) == 2
