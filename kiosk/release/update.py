"""A release the fleet sent: the kiosk's request, the installation as root, and the outcome both sides read.

Why: the kiosk runs unprivileged under a read-only /opt, so it only downloads and checks a signed release into its
data directory and writes a request beside it. systemd (kiosk-update.path) then starts `kiosk release
apply-update` as root from the good release, which trusts nothing the kiosk wrote: it copies the artifact into
/opt/kiosk, checks its digest and the bureau's signature itself, installs it beside the running release and marks
it pending. The next start's boot-check switches to it (on trial, so the guard commits or rolls it back). Files:

    /var/lib/kiosk/updates/request.json   the kiosk's request (job, version, artifact file, digest, signature)
    /var/lib/kiosk/updates/<artifact>     the artifact the kiosk downloaded
    /opt/kiosk/update.json                the installer's outcome: installing, installed or failed (with why)
    /opt/kiosk/pending.json               the release the next start switches to
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.core.errors import KioskError
from kiosk.release.durable import write_atomic
from kiosk.release.tree import RELEASE_BAD, RELEASE_UNSIGNED, VERSION_PATTERN, ReleaseTree
from kiosk.release.unpack import DISTRIBUTION, SYSTEM_PYTHON, install_release, wheel_version

UPDATES_DIR = "updates"
"""The kiosk's download directory, under its data directory."""
REQUEST_FILE = "request.json"
OUTCOME = "update.json"
PENDING = "pending.json"
INCOMING = "incoming"
"""Under the release root: the installer's own copy of the artifact while it installs."""
CHUNK_BYTES = 1 << 20
MAX_ARTIFACT_BYTES = 2**31
"""The protocol's largest artifact (kiosk.fleet.protocol.Artifact.size)."""
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_HEX = re.compile(r"^[0-9a-f]+$")


@dataclass(frozen=True)
class Request:
    """What the kiosk asks the installer to install: the job's release, where the artifact lies and its proof."""

    job: str
    exec_ver: int
    version: str
    artifact: str
    """File name of the downloaded artifact (a kiosk wheel, or a bundle: a tar with wheelhouse/) in the updates
    directory."""
    size: int
    sha256: str
    signature: str
    """The bureau's Ed25519 signature of the sha256 digest, hex."""

    @property
    def label(self) -> str:
        """The job execution this request belongs to, as the history and the outcome name it."""
        return f"{self.job}#{self.exec_ver}"


def parse_request(raw: bytes) -> Request:
    """A request as written by the kiosk; anything malformed is refused with REL-003 naming the field."""
    try:
        fields = json.loads(raw)
        request = Request(**{name: fields[name] for name in Request.__dataclass_fields__})
    except (ValueError, TypeError, KeyError) as exc:
        raise KioskError(RELEASE_BAD, f"update request unreadable: {exc}") from None
    checks = {"job": isinstance(request.job, str) and _JOB_ID.match(request.job),
              "exec_ver": isinstance(request.exec_ver, int) and request.exec_ver >= 1,
              "version": isinstance(request.version, str) and VERSION_PATTERN.match(request.version),
              "artifact": isinstance(request.artifact, str) and _FILE_NAME.match(request.artifact),
              "size": isinstance(request.size, int) and 1 <= request.size <= MAX_ARTIFACT_BYTES,
              "sha256": isinstance(request.sha256, str) and len(request.sha256) == 64 and _HEX.match(request.sha256),
              "signature": isinstance(request.signature, str) and len(request.signature) == 128
              and _HEX.match(request.signature)}
    if bad := [name for name, ok in checks.items() if not ok]:
        raise KioskError(RELEASE_BAD, f"update request: bad {', '.join(bad)}")
    return request


def write_request(updates: Path, request: Request) -> None:
    """The kiosk's side: ask for `request` (replacing any earlier request; systemd sees the file change)."""
    write_atomic(Path(updates) / REQUEST_FILE, json.dumps(asdict(request)).encode())


def verify_signature(digest: bytes, signature_hex: str, key_file: Path) -> None:
    """The bureau's Ed25519 key (hex of its 32 raw bytes in `key_file`) must have signed `digest`; REL-005 if not."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(Path(key_file).read_text().strip()))
        key.verify(bytes.fromhex(signature_hex), digest)
    except InvalidSignature:
        raise KioskError(RELEASE_UNSIGNED, "signature does not verify with the bureau's key") from None
    except (OSError, ValueError) as exc:
        raise KioskError(RELEASE_UNSIGNED, f"signing key unusable: {exc}") from None


def read_outcome(tree: ReleaseTree) -> dict:
    """The installer's last outcome {"job": label, "version", "state", "error", "at"} ({} when none)."""
    try:
        outcome = json.loads((tree.root / OUTCOME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return outcome if isinstance(outcome, dict) else {}


def _set_outcome(tree: ReleaseTree, request: Request, state: str, error: str = "") -> None:
    outcome = {"job": request.label, "version": request.version, "state": state, "error": error[:500],
               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_atomic(tree.root / OUTCOME, json.dumps(outcome, ensure_ascii=False).encode())


def pending(tree: ReleaseTree) -> str | None:
    """The installed release the next start switches to (None when none, or when the file is not one's)."""
    try:
        version = json.loads((tree.root / PENDING).read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) and VERSION_PATTERN.match(version) and tree.marker(version) else None


def clear_pending(tree: ReleaseTree) -> None:
    (tree.root / PENDING).unlink(missing_ok=True)


def apply(tree: ReleaseTree, request_file: Path, key_file: Path, python: str = SYSTEM_PYTHON) -> str:
    """Install the release the kiosk's request names and mark it pending; the outcome is left in update.json.

    A request already answered is not redone (systemd may start this again for the same file). Raises the
    KioskError that failed it, after recording it.
    """
    request = parse_request(_read_no_follow(Path(request_file), 64 * 1024))
    done = read_outcome(tree)
    if done.get("job") == request.label and done.get("state") in ("installed", "failed"):
        return f"{request.label}: already {done['state']} {done.get('error', '')}".rstrip()
    _set_outcome(tree, request, "installing")
    staging = tree.root / INCOMING / request.label.replace("#", "-")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        artifact = _copy_in(Path(request_file).parent / request.artifact, staging / "artifact", request, key_file)
        wheel, wheelhouse = _open_artifact(artifact, staging)
        found = wheel_version(wheel)
        if found != request.version:
            raise KioskError(RELEASE_BAD, f"the artifact holds release {found}, the job names {request.version}")
        version, _fresh = install_release(tree, wheel, wheelhouse=wheelhouse, python=python)
        write_atomic(tree.root / PENDING, json.dumps({"version": version, "job": request.label}).encode())
        tree.record("pending", version, request.label)
    except Exception as exc:
        _set_outcome(tree, request, "failed", f"{exc.code} {exc.detail}" if isinstance(exc, KioskError)
                     else f"{type(exc).__name__}: {exc}")
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _set_outcome(tree, request, "installed")
    return f"{request.label}: {version} installed, switched to at the next start"


def _read_no_follow(path: Path, limit: int) -> bytes:
    """Read a file the unprivileged kiosk wrote without following a link it may have planted there."""
    with os.fdopen(_open_no_follow(path), "rb") as stream:
        return stream.read(limit)


def _open_no_follow(path: Path) -> int:
    """A descriptor for reading `path`, refused (REL-003) when it is a symbolic link or cannot be opened."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise KioskError(RELEASE_BAD, f"{path.name}: {exc.strerror}") from None


def _copy_in(source: Path, target: Path, request: Request, key_file: Path) -> Path:
    """Copy the artifact into the installer's own directory, checking its size, digest and signature on the copy
    (the kiosk could change its file after the check)."""
    digest = hashlib.sha256()
    copied = 0
    with os.fdopen(_open_no_follow(source), "rb") as stream, target.open("wb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            copied += len(chunk)
            if copied > request.size:
                raise KioskError(RELEASE_BAD, f"artifact larger than the announced {request.size} bytes")
            digest.update(chunk)
            out.write(chunk)
    if copied != request.size or digest.hexdigest() != request.sha256:
        raise KioskError(RELEASE_BAD, f"artifact is not the one the job announced ({copied} bytes, sha256 mismatch)"
                         if copied == request.size else f"artifact has {copied} of {request.size} bytes")
    verify_signature(digest.digest(), request.signature, key_file)
    return target


def _open_artifact(artifact: Path, staging: Path) -> tuple[Path, Path | None]:
    """(the kiosk wheel, its wheelhouse or None) from a wheel or a bundle (a tar of deploy/bundle.sh's output)."""
    if not tarfile.is_tarfile(artifact):  # first: a tar holding a wheel looks like a zip too
        return _named_wheel(artifact, staging), None
    try:
        with tarfile.open(artifact) as archive:
            archive.extractall(staging / "bundle", filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise KioskError(RELEASE_BAD, f"bundle cannot be unpacked: {exc}") from None
    wheels = sorted((staging / "bundle").glob(f"**/wheelhouse/{DISTRIBUTION}-*.whl"))
    if len(wheels) != 1:
        raise KioskError(RELEASE_BAD, f"a bundle holds one kiosk wheel in wheelhouse/, this one {len(wheels)}")
    return wheels[0], wheels[0].parent


def _named_wheel(artifact: Path, staging: Path) -> Path:
    """The artifact under its wheel file name, rebuilt from its own metadata (the URL it came from may not say)."""
    try:
        wheel = zipfile.ZipFile(artifact)
    except (zipfile.BadZipFile, OSError):
        raise KioskError(RELEASE_BAD, "artifact is neither a wheel nor a bundle") from None
    with wheel:
        infos = [name for name in wheel.namelist() if re.fullmatch(rf"{DISTRIBUTION}-[^/]+\.dist-info/WHEEL", name)]
        if len(infos) != 1:
            raise KioskError(RELEASE_BAD, f"artifact is not a {DISTRIBUTION} wheel")
        tags = [line.split(":", 1)[1].strip() for line in wheel.read(infos[0]).decode().splitlines()
                if line.startswith("Tag:")]
    version = infos[0].split("/")[0].removeprefix(f"{DISTRIBUTION}-").removesuffix(".dist-info")
    if not tags or not VERSION_PATTERN.match(version):
        raise KioskError(RELEASE_BAD, f"artifact's wheel metadata is incomplete ({infos[0]})")
    named = staging / f"{DISTRIBUTION}-{version}-{tags[0]}.whl"
    artifact.rename(named)
    return named


def decision(tree: ReleaseTree, label: str, version: str) -> tuple[str, str] | None:
    """What the guard decided about the release that job execution `label` installed: ("committed", detail) or
    ("rolled_back", why), from the history after that job marked it pending; None while it is undecided."""
    events = tree.history()
    marked = [i for i, e in enumerate(events) if e.event == "pending" and (e.version, e.detail) == (version, label)]
    if not marked:
        return None
    for event in events[marked[-1] + 1:]:
        if event.version == version and event.event in ("committed", "rolled_back"):
            return event.event, event.detail
    return None
