"""A fleet release installed as root from the kiosk's request: checked on the installer's own copy, pending until the
next start's boot-check switches to it, and the guard's decision read back per job execution."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.core.errors import KioskError
from kiosk.release import guard, update
from kiosk.release.health import REPORT_FILE
from kiosk.release.tree import CURRENT, GOOD, ReleaseTree
from kiosk.release.unpack import KEPT_WHEELHOUSE
from tests.unit.release.test_guard import add_release, report_from

pytestmark = pytest.mark.timeout(300)


def tiny_wheel(version: str, requires: str = "") -> bytes:
    """A kiosk wheel with nothing in it but its metadata (and one dependency when `requires`), quick to install."""
    info = f"legal_kiosk-{version}.dist-info"
    files = {f"{info}/METADATA": f"Metadata-Version: 2.1\nName: legal_kiosk\nVersion: {version}\n"
                                 + (f"Requires-Dist: {requires}\n" if requires else ""),
             f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)  # same bytes every time
    return buffer.getvalue()


def dependency_wheel() -> tuple[str, bytes]:
    """A dependency only a bundle brings."""
    info = "kiosk_test_dep-1.0.dist-info"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as wheel:
        wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: kiosk-test-dep\nVersion: 1.0\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        wheel.writestr(f"{info}/RECORD", f"{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n")
    return "kiosk_test_dep-1.0-py3-none-any.whl", buffer.getvalue()


def bundle(wheels: dict[str, bytes]) -> bytes:
    """deploy/bundle.sh's output as a tar: wheelhouse/ with the kiosk wheel and its dependencies."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in wheels.items():
            info = tarfile.TarInfo(f"kiosk-bundle/wheelhouse/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Bureau:
    """The bureau's signing key and the kiosk's updates directory with what the kiosk would leave there."""

    def __init__(self, base: Path) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.key_file = base / "content-signing.pub"
        self.key_file.write_text(self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex())
        self.updates = base / "var-lib-kiosk" / update.UPDATES_DIR
        self.updates.mkdir(parents=True)

    def request(self, job: str, version: str, data: bytes, exec_ver: int = 1,
                signer: Ed25519PrivateKey | None = None) -> update.Request:
        """The downloaded artifact and the request the kiosk writes for it."""
        name = f"{job}-{exec_ver}.artifact"
        (self.updates / name).write_bytes(data)
        digest = hashlib.sha256(data)
        request = update.Request(job=job, exec_ver=exec_ver, version=version, artifact=name, size=len(data),
                                 sha256=digest.hexdigest(),
                                 signature=(signer or self.key).sign(digest.digest()).hex())
        update.write_request(self.updates, request)
        return request

    def apply(self, tree: ReleaseTree) -> str:
        return update.apply(tree, self.updates / update.REQUEST_FILE, self.key_file, python=sys.executable)


@pytest.fixture
def bureau(tmp_path: Path) -> Bureau:
    return Bureau(tmp_path)


@pytest.fixture
def tree(tmp_path: Path) -> ReleaseTree:
    """A terminal on release 1.0 (good)."""
    tree = ReleaseTree(tmp_path / "opt-kiosk")
    add_release(tree, "1.0", "2026-01-01T00:00:00Z")
    guard.switch(tree, "1.0")
    return tree


def test_signed_wheel_is_installed_pending_and_switched_to_at_the_next_start(tree, bureau, tmp_path) -> None:
    request = bureau.request("app-2", "2.0", tiny_wheel("2.0"))
    assert bureau.apply(tree) == "app-2#1: 2.0 installed, switched to at the next start"
    assert tree.marker("2.0") is not None and tree.linked(CURRENT) == "1.0"
    assert update.read_outcome(tree)["state"] == "installed" and update.pending(tree) == "2.0"
    assert not (tree.root / update.INCOMING / "app-2-1").exists()
    assert bureau.apply(tree) == "app-2#1: already installed"  # systemd may start it again for the same file
    assert update.decision(tree, request.label, "2.0") is None

    assert "2.0 on trial, start 1 of 3" in guard.boot_check(tree, tmp_path)
    assert (tree.linked(CURRENT), tree.linked(GOOD), update.pending(tree)) == ("2.0", "1.0", None)
    pid = report_from(tree, tmp_path / REPORT_FILE, "2.0")
    guard.commit(tree, tmp_path, pid, wait_s=1)
    assert update.decision(tree, request.label, "2.0") == ("committed", "healthy; previous good 1.0")


def test_a_release_that_never_comes_up_is_decided_rolled_back_with_the_reason(tree, bureau, tmp_path) -> None:
    request = bureau.request("app-3", "3.0", tiny_wheel("3.0"))
    bureau.apply(tree)
    for _start in range(guard.MAX_STARTS):
        guard.boot_check(tree, tmp_path)
    assert guard.boot_check(tree, tmp_path).startswith("rolled back 3.0 -> 1.0")
    assert update.decision(tree, request.label, "3.0") == ("rolled_back", "not healthy after 3 starts")
    # The same release sent again is a new execution: the earlier rollback does not decide it.
    again = bureau.request("app-3", "3.0", tiny_wheel("3.0"), exec_ver=2)
    assert bureau.apply(tree).startswith("app-3#2: 3.0 installed")
    assert update.decision(tree, again.label, "3.0") is None


@pytest.mark.parametrize("tamper, reason", [
    (lambda r, b: replace(r, signature=Ed25519PrivateKey.generate().sign(bytes.fromhex(r.sha256)).hex()),
     "REL-005 signature does not verify"),
    (lambda r, b: replace(r, sha256="0" * 64), "sha256 mismatch"),
    (lambda r, b: replace(r, size=r.size + 1), "has"),
    (lambda r, b: replace(r, version="9.9"), "the artifact holds release 2.0, the job names 9.9"),
])
def test_what_the_kiosk_wrote_is_checked_again_and_a_failure_is_recorded(tree, bureau, tamper, reason) -> None:
    request = tamper(bureau.request("app-4", "2.0", tiny_wheel("2.0")), bureau)
    update.write_request(bureau.updates, request)
    with pytest.raises(KioskError):
        bureau.apply(tree)
    outcome = update.read_outcome(tree)
    assert outcome["state"] == "failed" and reason in outcome["error"], outcome
    assert tree.versions() == ["1.0"] and update.pending(tree) is None


def test_links_planted_by_the_kiosk_are_not_followed(tree, bureau, tmp_path) -> None:
    secret = tmp_path / "root-only"
    secret.write_bytes(tiny_wheel("2.0"))
    request = bureau.request("app-5", "2.0", secret.read_bytes())
    os.unlink(bureau.updates / request.artifact)
    os.symlink(secret, bureau.updates / request.artifact)
    with pytest.raises(KioskError, match="REL-003"):
        bureau.apply(tree)
    os.replace(bureau.updates / update.REQUEST_FILE, tmp_path / "request.json")
    os.symlink(tmp_path / "request.json", bureau.updates / update.REQUEST_FILE)
    with pytest.raises(KioskError, match="REL-003"):
        bureau.apply(tree)


def test_malformed_requests_name_the_bad_field(tree) -> None:
    good = {"job": "app-1", "exec_ver": 1, "version": "2.0", "artifact": "a.whl", "size": 1, "sha256": "a" * 64,
            "signature": "b" * 128}
    assert update.parse_request(json.dumps(good).encode()).label == "app-1#1"
    for field, value in [("artifact", "../../etc/shadow"), ("version", "2.0/../x"), ("exec_ver", 0),
                         ("signature", "zz"), ("job", "a b")]:
        with pytest.raises(KioskError, match=f"bad {field}"):
            update.parse_request(json.dumps({**good, field: value}).encode())
    with pytest.raises(KioskError, match="unreadable"):
        update.parse_request(b"{")


def test_a_bundle_keeps_its_wheels_so_a_later_wheel_alone_installs_offline(tree, bureau) -> None:
    dep_name, dep = dependency_wheel()
    needs_dep = tiny_wheel("2.0", requires="kiosk-test-dep")
    bureau.request("app-7", "2.0", bundle({"legal_kiosk-2.0-py3-none-any.whl": needs_dep, dep_name: dep}))
    assert bureau.apply(tree).startswith("app-7#1: 2.0 installed")
    assert sorted(p.name for p in (tree.root / KEPT_WHEELHOUSE).iterdir()) == [dep_name]
    bureau.request("app-8", "2.1", tiny_wheel("2.1", requires="kiosk-test-dep"))
    assert bureau.apply(tree).startswith("app-8#1: 2.1 installed")
    # Once a wheelhouse is kept, no registry is asked: a wheel needing what it lacks is refused, saying what.
    bureau.request("app-9", "2.2", tiny_wheel("2.2", requires="kiosk-test-missing"))
    with pytest.raises(KioskError, match="kiosk-test-missing"):
        bureau.apply(tree)
