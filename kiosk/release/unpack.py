"""Unpack a wheel as a new release beside the running one: its own venv, bytecode compiled, marked complete last.

Why: an update must never touch the release that runs, and a power cut mid-unpack must leave a directory the next
attempt recognises as incomplete and redoes, never a half release that `current` could be switched to. The venv
is made in its final place (its scripts carry their own path), so completeness is the marker, written after a sync.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from kiosk.core.errors import KioskError
from kiosk.release.durable import fsync_dir, write_atomic
from kiosk.release.tree import MARKER, RELEASE_BAD, RELEASES, ReleaseTree

DISTRIBUTION = "legal_kiosk"
"""The wheel's distribution name (PEP 427 file name, first field)."""
UPDATE_LOCK = ".update.lock"
"""Held for a whole install: never two updates at once."""
SYSTEM_PYTHON = "/usr/bin/python3"
"""The interpreter releases' venvs are made from: Debian's, which outlives every release."""
STEP_TIMEOUT_S = 900
"""Longest a venv creation or a pip install may take (a slow SD card and Kivy's 60 MB)."""
KEPT_WHEELHOUSE = "wheelhouse"
"""Under the release root: every dependency wheel a bundle brought, so a later update needs only the kiosk's own
wheel (a few MB over a rural link) and no registry."""


def wheel_version(wheel: Path) -> str:
    """The version in a kiosk wheel's file name (PEP 427: name-version[-build]-python-abi-platform.whl)."""
    parts = wheel.name.removesuffix(".whl").split("-")
    if not wheel.name.endswith(".whl") or len(parts) not in (5, 6) or parts[0] != DISTRIBUTION:
        raise KioskError(RELEASE_BAD, f"not a {DISTRIBUTION} wheel: {wheel.name}")
    return parts[1]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _run(argv: list[str]) -> None:
    """Run one installation step; its own output is the technician's detail when it fails. PYTHONPATH (the wheel
    this installer may be running from) is not passed on: the new venv must stand on its own."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(argv, capture_output=True, text=True, timeout=STEP_TIMEOUT_S, env=env)
    if result.returncode != 0:
        raise KioskError(RELEASE_BAD, f"{' '.join(argv[:4])}… failed: {(result.stderr or result.stdout)[-2000:]}")


def install_release(tree: ReleaseTree, wheel: Path, *, wheelhouse: Path | None = None,
                    python: str = SYSTEM_PYTHON) -> tuple[str, bool]:
    """Install `wheel` as release <version> under the tree; returns (version, whether it was installed now).

    With `wheelhouse`, its dependency wheels are kept in the tree's wheelhouse first. Once the tree keeps one,
    dependencies come from it only (no registry); a release needing a wheel it lacks is refused (send a bundle).
    The same wheel twice is a no-op; another wheel under a version already installed is refused (bump the version).
    """
    wheel = Path(wheel).resolve()
    version = wheel_version(wheel)
    digest = sha256_of(wheel)
    with tree.locked(UPDATE_LOCK, wait=False):
        existing = tree.marker(version)
        if existing is not None:
            if existing.get("sha256") != digest:
                raise KioskError(RELEASE_BAD, f"{version} is installed from another wheel; give the new one a new version")
            return version, False
        target = tree.release_dir(version)
        if target.exists():
            shutil.rmtree(target)  # an install a power cut interrupted
        target.mkdir(parents=True)
        venv_python = target / "venv" / "bin" / "python"
        _run([python, "-m", "venv", str(target / "venv")])
        kept = tree.root / KEPT_WHEELHOUSE
        if wheelhouse is not None:
            _keep_wheels(Path(wheelhouse), kept)
        source = ["--no-index", "--find-links", str(kept)] if kept.is_dir() else []
        _run([str(venv_python), "-m", "pip", "install", "--quiet", "--no-cache-dir", "--disable-pip-version-check",
              *source, str(wheel)])
        # The service cannot write beside its code (ProtectSystem=strict): every module is compiled now.
        _run([str(venv_python), "-m", "compileall", "-q", "-j", "0", str(target / "venv" / "lib")])
        os.sync()
        record = {"version": version, "wheel": wheel.name, "sha256": digest,
                  "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        write_atomic(target / MARKER, (json.dumps(record, indent=1) + "\n").encode())
        fsync_dir(tree.root / RELEASES)
        tree.record("installed", version, wheel.name)
        return version, True


def _keep_wheels(wheelhouse: Path, kept: Path) -> None:
    """Copy the dependency wheels `kept` lacks (a wheel's name pins its content); each appears whole or not at all."""
    kept.mkdir(exist_ok=True)
    for wheel in sorted(wheelhouse.glob("*.whl")):
        if wheel.name.startswith(f"{DISTRIBUTION}-") or (kept / wheel.name).exists():
            continue
        partial = kept / f".{wheel.name}.part"
        shutil.copyfile(wheel, partial)
        os.replace(partial, kept / wheel.name)


def remove_old(tree: ReleaseTree, keep: int) -> list[str]:
    """Delete all but the newest `keep` releases besides `current` and `good`; returns those removed."""
    protected = {tree.linked("current"), tree.linked("good")}
    others = [v for v in tree.versions() if v not in protected]
    removed = others[:max(0, len(others) - keep)]
    for version in removed:
        shutil.rmtree(tree.release_dir(version))
        tree.record("removed", version)
    return removed
