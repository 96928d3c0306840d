"""A content job that adds a flow brings what finds it and what counts it (issue 15 item 13).

The composed kiosk (bootstrap.build, started) is sent a signed pack over the real broker and HTTP: the shipped
pack plus a `tenancy` flow, declared in pack.yaml `topics:`, with a triage model that sends questions to it (the
shipped model with its consumer class relabelled) and keyboard words for it. Once the job succeeds, smart
consultation ranks with the new model, the keyboard's dictionary is the new pack's (the one PinyinKeyboard takes
for the pack in force), and the kiosk's telemetry records the new topic, which it refused before, and the
console counts it. A pack whose model offers a topic it has no flow for rolls
back and leaves the kiosk wholly on the pack it had.
"""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import tarfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.fleet import catalogue
from kiosk.fleet.console import control, store
from kiosk.ui.ime.engine import DICT_FILE, PinyinDictionary
from tests.integration.app.fleet_commands_support import (KID, broker, broker_factory, console,  # noqa: F401
                                                          make_kiosk, wait_online, wait_until)

pytestmark = pytest.mark.broker

QUESTION = "网上买的衣服不想要了，能七天无理由退货吗"
NEW_WORD, NEW_SYLLABLES = "房东退押", ("fang", "dong", "tui", "ya")
STARTED = {"session": "0" * 32, "topic": "tenancy"}


def _add_flow(root: Path) -> None:
    """A `tenancy` flow (the consumer flow's pages under another id), declared a topic in pack.yaml."""
    text = (root / "flows" / "consumer.yaml").read_text(encoding="utf-8")
    (root / "flows" / "tenancy.yaml").write_text(re.sub(r"(?m)^id: consumer$", "id: tenancy", text),
                                                 encoding="utf-8")
    manifest = (root / "pack.yaml").read_text(encoding="utf-8")
    manifest = manifest.replace("\ntopics:\n", "\ntopics:\n  tenancy: {kind: topic, name: 房屋租赁}\n", 1)
    manifest = manifest.replace("\nflows:\n", "\nflows:\n  - tenancy\n", 1)
    (root / "pack.yaml").write_text(manifest, encoding="utf-8")


def _teach_triage(root: Path) -> None:
    """The model's consumer class answers as `tenancy` (every key and class name, whatever the model's schema)."""
    path = root / "triage" / "model.json"

    def renamed(value):
        if isinstance(value, dict):
            return {("tenancy" if key == "consumer" else key): renamed(item) for key, item in value.items()}
        if isinstance(value, list):
            return [renamed(item) for item in value]
        return "tenancy" if value == "consumer" else value

    path.write_text(json.dumps(renamed(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False),
                    encoding="utf-8")


def _teach_keyboard(root: Path) -> None:
    """The dictionary gains NEW_WORD, the heaviest word for its syllables."""
    path = root / DICT_FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    words, children = document["words"], document["children"]
    for depth, syllable in enumerate(NEW_SYLLABLES):
        parent = "'".join(NEW_SYLLABLES[:depth])
        if syllable not in children.get(parent, "").split():
            children[parent] = " ".join(filter(None, (children.get(parent, ""), syllable)))
    key = "'".join(NEW_SYLLABLES)
    words[key] = " ".join(filter(None, (f"{NEW_WORD} {document['total_weight']}", words.get(key, ""))))
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _tarball(root: Path, out: Path) -> Path:
    with tarfile.open(out, "w:gz", compresslevel=1) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                archive.add(path, str(path.relative_to(root)))
    return out


def _pack(tmp_path: Path, name: str, *, with_flow: bool) -> Path:
    """The shipped pack, relabelled `name`, with the tenancy model and words, and the flow when `with_flow`."""
    root = tmp_path / name
    shutil.copytree(DEFAULT_CONTENT_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = root / "pack.yaml"
    manifest.write_text(re.sub(r'(?m)^version: "[^"]*"', f'version: "{name}"', manifest.read_text(
        encoding="utf-8")), encoding="utf-8")
    if with_flow:
        _add_flow(root)
    _teach_triage(root)
    _teach_keyboard(root)
    return _tarball(root, tmp_path / f"{name}.tar.gz")


@pytest.fixture
def served(tmp_path):
    """An HTTP server on a free loopback port serving tmp_path."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, name="pack-server", daemon=True)
    thread.start()
    yield lambda name: f"http://127.0.0.1:{server.server_address[1]}/{name}"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:
        """Quiet: the test reads the job's outcome, not the access log."""


def _run_job(console, broker, bureau, served, pack: Path) -> dict:
    version = pack.name.removesuffix(".tar.gz")
    job = control.send_job(console.db, broker.settings(), console.clock, KID,
                           job_id="content-" + version.replace(".", "-"), version=version, pack=pack,
                           url=served(pack.name),
                           signing_key=bureau)

    def row() -> dict:
        return console.db.call(lambda d: store.job_row(d, job.job, KID)) or {}

    wait_until(lambda: row().get("status") in ("SUCCEEDED", "FAILED", "ROLLED_BACK"), 120,
               what=f"final state of {job.job}")
    return row()


def test_a_content_job_that_adds_a_flow_brings_its_triage_keyboard_words_and_telemetry(
        make_kiosk, console, broker, served, tmp_path):
    bureau = Ed25519PrivateKey.generate()
    key_file = tmp_path / "content-signing.pub"
    key_file.write_text(bureau.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
    kiosk = make_kiosk(KIOSK_FLEET__CONTENT_KEY_FILE=str(key_file), KIOSK_SPEECH__ENABLED="false")
    wait_online(console)
    assert kiosk.smart.wait_loaded(30)
    shipped = kiosk.consultations.pack
    assert kiosk.smart.rank(QUESTION).topics[0].id == "consumer"
    before = PinyinDictionary.of_pack(kiosk.consultations.root).candidates("fangdongtuiya")
    assert NEW_WORD not in [c.text for c in before]
    with pytest.raises(catalogue.UnknownEvent, match="installed pack"):
        kiosk.outbox.record("usage", "consult.started", STARTED)

    broken = _pack(tmp_path, "2027.1.1", with_flow=False)
    row = _run_job(console, broker, bureau, served, broken)
    assert row["status"] == "ROLLED_BACK" and "tenancy" in row["error"], row
    assert kiosk.consultations.pack is shipped and kiosk.smart.rank(QUESTION).topics[0].id == "consumer"

    row = _run_job(console, broker, bureau, served, _pack(tmp_path, "2027.1.2", with_flow=True))
    assert row["status"] == "SUCCEEDED", row
    root = kiosk.consultations.root
    assert root.name == "2027.1.2-content-2027-1-2" and kiosk.consultations.pack.version == "2027.1.2"
    assert "tenancy" in kiosk.consultations.pack.flows
    ranked = kiosk.smart.rank(QUESTION)
    assert ranked.topics[0].id == "tenancy"
    assert PinyinDictionary.of_pack(root).candidates("fangdongtuiya")[0].text == NEW_WORD
    kiosk.outbox.record("usage", "consult.started", STARTED)
    wait_until(lambda: console.scalar(
        "SELECT COALESCE(SUM(n), 0) FROM daily_counts WHERE kind = 'consult.started' "
        "AND json_extract(data, '$.topic') = 'tenancy'") == 1, 30, what="the new topic counted at the console")
    interview = kiosk.consultations.interview("tenancy")
    assert interview.flow.id == "tenancy"
    assert kiosk.library._pack_root() == root and kiosk.pufa._pack_root() == root   # the law library too
