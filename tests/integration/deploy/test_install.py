"""install.sh and uninstall.sh on a scratch root (tests/integration/deploy/scratch_root.py): the tree a terminal
gets from an offline bundle, a second run that changes nothing, removal that keeps the terminal's identity unless
purged; then an upgrade committed after a healthy start and a broken release rolled back by the unit's own hooks
(started as systemd would, tests/integration/deploy/unit_start.py), the kiosk drawing on Xvfb instead of KMS/DRM."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from kiosk.runtime.console import BLANK_OFF, CURSOR_OFF, CURSOR_ON
from kiosk.config.example import render_example
from kiosk.release.unpack import sha256_of
from tests.integration.deploy.scratch_root import ScratchRoot
from tests.integration.deploy.wheels import derive, read_member

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
INSTALL_TIMEOUT_S = 600
START_TIMEOUT_S = 240
UNIT_GROUPS = next(line.split("=", 1)[1].split() for line in (DEPLOY / "systemd/kiosk.service").read_text().splitlines()
                   if line.startswith("SupplementaryGroups="))


def kiosk_wheel(bundle: Path) -> Path:
    return next((bundle / "wheelhouse").glob("legal_kiosk-*.whl"))


def snapshot(root: ScratchRoot) -> dict[str, tuple]:
    """Everything the scratch root changed: kind, mode, owner and content (sha256) or link target of each entry."""
    entries = {}
    upper = root.base / "upper"
    for directory, dirs, files in os.walk(upper):
        for name in dirs + files:
            path = Path(directory) / name
            info = path.lstat()
            content = (os.readlink(path) if stat.S_ISLNK(info.st_mode)
                       else hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else "")
            entries[str(path.relative_to(upper))] = (stat.filemode(info.st_mode), info.st_uid, info.st_gid, content)
    return entries


def passwd_entry(root: ScratchRoot, name: str) -> list[str] | None:
    """The user's /etc/passwd line inside the scratch root, split (None when absent)."""
    found = root.run(["getent", "passwd", name], timeout_s=30, check=False).stdout.strip()
    return found.split(":") if found else None


def install(root: ScratchRoot, *args: str, network: bool = True, **env: str) -> str:
    return root.run(["bash", *args], timeout_s=INSTALL_TIMEOUT_S, network=network, env=env).stdout


def test_offline_install_from_bundle_is_idempotent_and_uninstalls(bundle: Path, tmp_path: Path) -> None:
    root = ScratchRoot(tmp_path / "root")
    root.brltty_flag.touch()
    missing = {"KIOSK_TEST_MISSING": "libgbm1 polkitd"}
    # No network at all: the bundle's wheelhouse is all there is.
    install(root, str(bundle / "install.sh"), network=False, **missing)

    wheel = kiosk_wheel(bundle)
    version = wheel.name.split("-")[1]
    opt = root.changed("/opt/kiosk")
    assert os.readlink(opt / "current") == os.readlink(opt / "good") == f"releases/{version}"
    marker = json.loads((opt / "releases" / version / "release.json").read_text())
    assert marker["sha256"] == sha256_of(wheel)
    site = next((opt / "releases" / version / "venv" / "lib").glob("python3.*/site-packages"))
    modules = [p for p in (site / "kiosk").rglob("*.py")]
    compiled = {p.name.split(".")[0] + p.parent.parent.as_posix() for p in (site / "kiosk").rglob("__pycache__/*.pyc")}
    assert modules and all(p.stem + p.parent.as_posix() in compiled for p in modules)
    assert [e["event"] for e in map(json.loads, (opt / "history.jsonl").read_text().splitlines())] == \
        ["installed", "committed"]

    assert root.apt_log.read_text().splitlines() == [
        "apt-get update -qq", "apt-get install -y -qq --no-install-recommends libgbm1 polkitd",
        "apt-get purge -y -qq brltty"]
    user = passwd_entry(root, "kiosk")
    assert user is not None and user[5:] == ["/var/lib/kiosk", "/usr/sbin/nologin"]
    groups = root.run(["id", "-nG", "kiosk"], timeout_s=30).stdout.split()
    assert set(UNIT_GROUPS) <= set(groups)

    for line in (DEPLOY / "files.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            source, target, mode = line.split()
            installed = root.changed(target)
            assert installed.read_bytes() == (DEPLOY / source).read_bytes()
            assert oct(installed.stat().st_mode & 0o777) == oct(int(mode, 8))
    for unit in ("kiosk.service", "kiosk-update.path"):
        assert os.readlink(root.changed(f"/etc/systemd/system/multi-user.target.wants/{unit}")) == \
            f"/etc/systemd/system/{unit}"
    assert root.changed("/etc/kiosk/kiosk.toml").read_bytes() == (DEPLOY / "kiosk.toml").read_bytes()
    assert root.changed("/etc/kiosk/kiosk.example.toml").read_text() == render_example()
    for secret in ("/etc/kiosk/credentials/mqtt_password", "/etc/kiosk/tls/kiosk.key"):
        assert stat.filemode(root.changed(secret).stat().st_mode) == "-rw-------"
    data = root.changed("/var/lib/kiosk").stat()
    assert (stat.filemode(data.st_mode), data.st_uid) == ("drwxr-x---", int(user[2]))
    # The unit as systemd reads it, with every command it names present in the installed tree.
    verify = root.run(["systemd-analyze", "verify", "/etc/systemd/system/kiosk.service",
                       "/etc/systemd/system/kiosk-update.path", "/etc/systemd/system/kiosk-update.service"],
                      timeout_s=120)
    assert verify.stderr == ""

    before = snapshot(root)
    apt_before = root.apt_log.read_text()
    again = install(root, str(bundle / "install.sh"), network=False, **missing)
    assert f"{version}: already installed" in again and f"{version}: already current" in again
    assert snapshot(root) == before
    assert root.apt_log.read_text() == apt_before  # nothing missing any more, brltty gone

    root.run(["bash", str(bundle / "uninstall.sh")], timeout_s=120)
    assert not opt.exists()
    for target in ("/etc/systemd/system/kiosk.service", "/etc/udev/rules.d/99-kiosk.rules",
                   "/etc/systemd/system/multi-user.target.wants/kiosk.service",
                   "/etc/systemd/system/multi-user.target.wants/kiosk-update.path"):
        assert not root.changed(target).exists()
    assert root.changed("/etc/kiosk/kiosk.toml").exists() and passwd_entry(root, "kiosk") is not None
    root.run(["bash", str(bundle / "uninstall.sh")], timeout_s=120)  # again: nothing left to do, no error
    root.run(["bash", str(bundle / "uninstall.sh"), "--purge"], timeout_s=120)
    assert not root.changed("/etc/kiosk").exists() and not root.changed("/var/lib/kiosk").exists()
    assert passwd_entry(root, "kiosk") is None


def start_unit(root: ScratchRoot, display: str, log: Path) -> dict:
    """One start of the installed unit (ExecStartPre, ExecStart as kiosk, READY=1, ExecStartPost, stop)."""
    result = root.run([sys.executable, "-m", "tests.integration.deploy.unit_start", "--log", str(log),
                       "--env", f"DISPLAY={display}", "--env", "SDL_VIDEODRIVER=x11"], timeout_s=START_TIMEOUT_S)
    return json.loads(result.stdout)


def hook(started: dict, phase: str, command: str) -> dict:
    """The result of the unit's hook (pre, post, stop_post) whose command line has `command`."""
    return next(h for h in started[phase] if command in h["argv"])


def links(root: ScratchRoot) -> tuple[str, str]:
    opt = root.changed("/opt/kiosk")
    return os.readlink(opt / "current").split("/")[-1], os.readlink(opt / "good").split("/")[-1]


def test_upgrade_is_committed_when_healthy_and_a_broken_release_rolls_back(bundle: Path, tmp_path: Path,
                                                                            display: str) -> None:
    root = ScratchRoot(tmp_path / "root")
    install(root, str(bundle / "install.sh"))
    wheel = kiosk_wheel(bundle)
    first = wheel.name.split("-")[1]
    healthy = derive(wheel, tmp_path, f"{first}.post1")
    runner = read_member(wheel, "kiosk/runtime/runner.py")
    broken = derive(wheel, tmp_path, f"{first}.post2",
                    replace={"kiosk/runtime/runner.py": runner + b"\nimport kiosk.module_this_release_forgot\n"})
    wheelhouse = str(bundle / "wheelhouse")

    install(root, str(bundle / "install.sh"), "--wheel", str(healthy), "--wheelhouse", wheelhouse)
    assert links(root) == (f"{first}.post1", first)
    started = start_unit(root, display, tmp_path / "healthy.log")
    assert started["outcome"] == "ready", started["log"]
    assert "start 1 of 3" in hook(started, "pre", "boot-check")["output"]
    # Around the kiosk: the console kept awake and locked while it runs, given back when it stops.
    assert started["tty"] == (BLANK_OFF + CURSOR_OFF + CURSOR_ON).decode("latin-1")
    assert hook(started, "pre", "lock")["output"].endswith("switching not changed (Inappropriate ioctl for device)")
    assert started["post"][0]["output"].startswith(f"{first}.post1 committed")
    assert links(root) == (f"{first}.post1", f"{first}.post1")

    install(root, str(bundle / "install.sh"), "--wheel", str(broken), "--wheelhouse", wheelhouse)
    assert links(root) == (f"{first}.post2", f"{first}.post1")
    for attempt in (1, 2, 3):
        started = start_unit(root, display, tmp_path / f"broken-{attempt}.log")
        assert started["outcome"] == "exited" and "module_this_release_forgot" in started["log"]
        assert f"start {attempt} of 3" in hook(started, "pre", "boot-check")["output"]
    started = start_unit(root, display, tmp_path / "rolled-back.log")
    assert hook(started, "pre", "boot-check")["output"].startswith(f"rolled back {first}.post2 -> {first}.post1")
    assert started["outcome"] == "ready", started["log"]
    assert links(root) == (f"{first}.post1", f"{first}.post1")
    report = json.loads(root.changed("/var/lib/kiosk/started.json").read_text())
    assert report["prefix"] == f"/opt/kiosk/releases/{first}.post1/venv" and report["safe_mode"] is False

    status = json.loads(root.run(["/opt/kiosk/current/venv/bin/kiosk", "release", "status", "--json"],
                                 timeout_s=60).stdout)
    assert [(e["event"], e["version"]) for e in status["history"][-4:]] == [
        ("started", f"{first}.post2"), ("started", f"{first}.post2"), ("rolled_back", f"{first}.post2"),
        ("restored", f"{first}.post1")]
    assert status["releases"] == [first, f"{first}.post1", f"{first}.post2"]
