"""Content jobs on the kiosk: download a pack (resuming), check it, install it beside the old one, swap, or roll back.

Why: a rural link drops mid-download, a tampered or truncated file must never be loaded, and a pack that
fails to load must leave the kiosk on the one it had. Layout under `root`:

    downloads/<job>-<exec_ver>.part   the partial download, resumed with an HTTP Range request
    packs/<version>-<job>/            each installed pack in its own directory
    current -> packs/…                the pack to load at the next start, swapped atomically (rename of a link)

The health check is the caller's `install(path)` (ConsultationService.install: load and validate the pack,
make it current for new sessions only if valid; interviews in progress keep the pack they started on).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tarfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.fleet import protocol

logger = logging.getLogger(__name__)

CHUNK_BYTES = 65536
DOWNLOAD_ATTEMPTS = 5
"""Connections tried per download; each resumes where the previous one stopped."""
HTTP_TIMEOUT_S = 30.0
PROGRESS_EVERY_BYTES = 1 << 20
"""Bytes between two DOWNLOADING progress reports."""
PACKS_KEPT = 2
"""Installed packs kept on disk: the current one and the one before it."""

Report = Callable[[str, protocol.Progress | None, str | None], None]
"""`report(status, progress, error)`: one state of the execution, in order."""


class JobFailed(Exception):
    """The job ends in `status` (FAILED or ROLLED_BACK) for `reason`."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def download(job: protocol.Job, downloads: Path, report: Report) -> Path:
    """Fetch a job's artifact into a .part file in `downloads`, resuming from its length on every new connection
    (content packs and releases alike)."""
    part = downloads / f"{job.job}-{job.exec_ver}.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    size = job.artifact.size
    last_error = ""
    for _attempt in range(DOWNLOAD_ATTEMPTS):
        have = part.stat().st_size if part.exists() else 0
        if have >= size:
            return part
        report("DOWNLOADING", protocol.Progress(cnt=have, of=size), None)
        request = urllib.request.Request(job.artifact.url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
                mode = "ab" if have and response.status == 206 else "wb"
                done = have if mode == "ab" else 0
                reported = done
                with part.open(mode) as out:
                    while chunk := response.read(CHUNK_BYTES):
                        if done + len(chunk) > size:
                            raise JobFailed("FAILED", f"artifact larger than the announced {size} bytes")
                        out.write(chunk)
                        done += len(chunk)
                        if done - reported >= PROGRESS_EVERY_BYTES:
                            report("DOWNLOADING", protocol.Progress(cnt=done, of=size), None)
                            reported = done
        except (urllib.error.URLError, OSError) as exc:
            last_error = f"download: {exc}"
            logger.info("download of %s interrupted (%s); resuming", job.job, exc)
    if part.exists() and part.stat().st_size == size:
        return part
    raise JobFailed("FAILED", last_error or "download incomplete")


def check(job: protocol.Job, part: Path, key_file: Path) -> None:
    """The sha256 must match and the bureau's Ed25519 key must have signed that digest; else the file goes."""
    digest = hashlib.sha256()
    with part.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    try:
        if digest.hexdigest() != job.artifact.sha256:
            raise JobFailed("FAILED", "sha256 mismatch")
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_file.read_text().strip()))
        key.verify(bytes.fromhex(job.artifact.signature), digest.digest())
    except InvalidSignature:
        part.unlink(missing_ok=True)
        raise JobFailed("FAILED", "signature does not verify with the bureau's key") from None
    except JobFailed:
        part.unlink(missing_ok=True)
        raise
    except (OSError, ValueError) as exc:
        raise JobFailed("FAILED", f"signing key unusable: {exc}") from None


class ContentInstaller:
    """Runs one content job at a time on the caller's thread (the agent's worker), reporting every state."""

    def __init__(self, root: Path, public_key_file: Path, install: Callable[[Path], object]) -> None:
        self._root = Path(root)
        self._key_file = Path(public_key_file)
        self._install = install

    @property
    def current(self) -> Path:
        """The link to the pack the kiosk starts on (absent until the first job succeeded)."""
        return self._root / "current"

    def run(self, job: protocol.Job, report: Report) -> str:
        """Download, check, install, health-check and commit `job`; returns the final status it reported."""
        try:
            part = download(job, self._root / "downloads", report)
            check(job, part, self._key_file)
            report("DOWNLOADED", None, None)
            report("INSTALLING", None, None)
            target = self._unpack(job, part)
            report("VERIFYING", None, None)
            self._commit(target)
        except JobFailed as exc:
            logger.warning("content job %s failed: %s", job.job, exc.reason)
            report(exc.status, None, exc.reason[:500])
            return exc.status
        part.unlink(missing_ok=True)
        self._prune(target)
        report("SUCCEEDED", None, None)
        return "SUCCEEDED"

    # ---- steps -------------------------------------------------------------------------------------------

    def _unpack(self, job: protocol.Job, part: Path) -> Path:
        """Extract into a fresh directory next to the others (never over a pack in use)."""
        target = self._root / "packs" / f"{job.version}-{job.job}"
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            with tarfile.open(part, "r:gz") as archive:
                archive.extractall(staging, filter="data")
        except (tarfile.TarError, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise JobFailed("FAILED", f"unpack: {exc}") from None
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        return target

    def _commit(self, target: Path) -> None:
        """Health-check by installing; then point `current` at it. Any failure leaves the old pack in force."""
        previous = self.current.resolve() if self.current.is_symlink() else None
        try:
            self._install(target)
        except Exception as exc:
            shutil.rmtree(target, ignore_errors=True)
            raise JobFailed("ROLLED_BACK", f"health check: {exc}") from None
        link = self._root / "current.new"
        try:
            link.unlink(missing_ok=True)
            link.symlink_to(target.relative_to(self._root))
            os.replace(link, self.current)
        except OSError as exc:
            if previous is not None:
                self._install(previous)
            raise JobFailed("ROLLED_BACK", f"switch: {exc}") from None

    def _prune(self, keep: Path) -> None:
        """Remove installed packs beyond the newest PACKS_KEPT (never the current one)."""
        packs = sorted((p for p in (self._root / "packs").iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for old in packs[PACKS_KEPT:]:
            if old != keep:
                shutil.rmtree(old, ignore_errors=True)
