"""The diagnostic bundle: what a support call asks about a terminal, in one zip a technician carries away.

Why: a village terminal is often offline, so the bureau's `upload_logs` cannot reach it; the technician on site
taps 导出诊断包 (or runs `kiosk diag bundle`) and takes the zip on a USB stick. It holds:

- `summary.json`: versions (software, release and trial, content pack, Python, libraries), the devices' ports and
  the health board, the fleet link and the outbox's counts per stream, print jobs and pre-applications by state
  (counts only), the printer's wear counters, the technicians' recent actions, the recent errors;
- `config.json`: the effective configuration with each value's origin, secrets removed (SECRET_SUFFIXES);
- `journal.jsonl`: the kiosk unit's journal of the last JOURNAL_SPAN_S, read as the fleet's `upload_logs`
  reads it (this unit only, the few fields of kiosk.runtime.journal.FIELDS, newest kept under its byte cap).

No personal data: the logs carry codes and ids only (kiosk.runtime.logging_setup), slips and pre-applications are
counted, never read (kiosk.storage.diagnostics). The zip is written beside its final name and renamed after
fsync, so a stick pulled out early holds no half bundle under that name.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import platform
import sqlite3
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import __version__
from kiosk.runtime.bootstrap import content_root
from kiosk.runtime.journal import MAX_LOG_BYTES, read_journal
from kiosk.runtime.usb_stick import NoStick, stick_directory
from kiosk.config.loader import LoadedConfig, effective_items
from kiosk.config.schema import KioskConfig
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.fleet.protocol import Rejected
from kiosk.release.durable import fsync_dir
from kiosk.release.tree import CURRENT, GOOD, running_tree
from kiosk.storage import diagnostics

if TYPE_CHECKING:
    from kiosk.runtime.bootstrap import Kiosk

DIAG_NO_STICK = ErrorCode("DIA-001", "no USB stick to write the diagnostic bundle to", "maintenance.diag.no_stick")
DIAG_FULL = ErrorCode("DIA-002", "USB stick full", "maintenance.diag.full")
DIAG_READ_ONLY = ErrorCode("DIA-003", "USB stick read-only or not writable by the kiosk",
                           "maintenance.diag.read_only")
DIAG_FAILED = ErrorCode("DIA-004", "diagnostic bundle not written", "maintenance.diag.failed")

JOURNAL_SPAN_S = 7 * 24 * 3600
"""How far back the bundle's journal reaches, in seconds (the widest range `upload_logs` may ask for)."""
RECENT_ERRORS = 50
"""Newest error lines of the journal listed in the summary."""
ERROR_PRIORITY = 3
"""Syslog priority of an error (0-3 are errors and worse)."""
SECRET_SUFFIXES = ("pin_hash", "password", "secret", "token")
"""A setting whose last name part ends so is a secret: its value stays on the terminal."""
REMOVED = "<removed>"
LIBRARIES = ("kivy", "paho-mqtt", "pyserial", "sqlite-utils", "pydantic", "cryptography")
"""Libraries whose versions the summary names (the ones a device or link problem is most often about)."""
_WRITE_ERRORS = {errno.ENOSPC: DIAG_FULL, errno.EDQUOT: DIAG_FULL, errno.EFBIG: DIAG_FULL,
                 errno.EROFS: DIAG_READ_ONLY, errno.EACCES: DIAG_READ_ONLY, errno.EPERM: DIAG_READ_ONLY}


@dataclass(frozen=True, slots=True)
class Written:
    """A bundle on the stick: where, how many bytes, which files it holds."""

    path: Path
    size: int
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Running:
    """What only the running app knows (absent when `kiosk diag bundle` runs beside it)."""

    boot_id: str
    safe_mode: bool
    pack_root: Path
    """The content pack in force (a fleet job may have installed another since start)."""
    health: list[dict[str, Any]]
    recent_problems: list[str]
    fleet: dict[str, Any] | None


def running(kiosk: Kiosk) -> Running:
    """The running app's part of the summary (memory reads, any thread)."""
    fleet = None
    if kiosk.fleet is not None:
        fleet = {k: v for k, v in kiosk.fleet.status().items() if k != "streams"}  # streams: counted from the db
    problems = kiosk.recent_problems.lines(RECENT_ERRORS) if kiosk.recent_problems is not None else []
    return Running(boot_id=kiosk.boot_id, safe_mode=kiosk.safe_mode, pack_root=kiosk.consultations.root,
                   health=[{"name": h.name, "ok": h.ok, "code": h.code, "detail": h.detail}
                           for h in kiosk.health.snapshot()],
                   recent_problems=problems, fleet=fleet)


def export_from_app(kiosk: Kiosk, target: Path | None = None) -> Written:
    """The maintenance menu's 导出诊断包: gather (off the UI thread: the journal is a subprocess) and write."""
    config = kiosk.config
    directory = target or _stick(config)
    files = gather(kiosk.loaded_config, kiosk.clock.now(), running(kiosk), kiosk.db.call(diagnostics.counts))
    return write(files, directory, bundle_name(config, kiosk.clock.now()))


def export_from_files(loaded: LoadedConfig, now: datetime, target: Path | None = None) -> Written:
    """`kiosk diag bundle`: the same bundle beside (or without) a running kiosk, its database read read-only."""
    config = loaded.config
    directory = target or _stick(config)
    try:
        counts = diagnostics.read_only(Path(config.paths.data_dir) / config.storage.db_filename, diagnostics.counts)
    except (OSError, sqlite3.Error) as exc:
        counts = {"error": f"{type(exc).__name__}: {exc}"}
    return write(gather(loaded, now, None, counts), directory, bundle_name(config, now))


def _stick(config: KioskConfig) -> Path:
    try:
        return stick_directory(config.maintenance.bundle_dir)
    except NoStick as exc:
        raise KioskError(DIAG_NO_STICK, str(exc)) from None


def bundle_name(config: KioskConfig, now: datetime) -> str:
    """kiosk-diag-<kiosk id>-<UTC time>.zip: sortable, and one terminal's bundles apart from another's."""
    return f"kiosk-diag-{config.kiosk.id}-{now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}.zip"


def gather(loaded: LoadedConfig, now: datetime, live: Running | None, counts: dict[str, Any]) -> dict[str, bytes]:
    """The bundle's files by name."""
    config = loaded.config
    until_ms = int(now.timestamp() * 1000)
    journal: dict[str, Any] = {"span_s": JOURNAL_SPAN_S}
    lines: list[bytes] = []
    try:
        span = read_journal(until_ms - JOURNAL_SPAN_S * 1000, None, MAX_LOG_BYTES)
        lines = span.lines
        journal.update(entries=len(lines), truncated=span.truncated, warning=span.warning)
    except Rejected as exc:
        journal["error"] = exc.reason
    summary = {
        "kiosk": {"id": config.kiosk.id, "region": config.kiosk.region, "site": config.kiosk.site_name},
        "written_at": now.isoformat(),
        "versions": versions(live.pack_root if live is not None else content_root(config)),
        "devices": device_ports(config),
        "running": None if live is None else {"boot_id": live.boot_id, "safe_mode": live.safe_mode,
                                              "health": live.health, "fleet": live.fleet,
                                              "recent_problems": live.recent_problems},
        "storage": counts,
        "journal": journal,
        "recent_errors": recent_errors(lines),
    }
    return {"summary.json": _json(summary), "config.json": _json(config_without_secrets(loaded)),
            "journal.jsonl": b"".join(lines)}


def versions(pack_root: Path) -> dict[str, Any]:
    """Software, release, content pack, Python and the libraries that talk to devices and the bureau."""
    tree = running_tree()
    release = None
    if tree is not None:
        history = tree.history()[-10:]
        release = {"current": tree.linked(CURRENT), "good": tree.linked(GOOD), "trial": tree.trial(),
                   "history": [event.__dict__ for event in history]}
    libraries = {}
    for name in LIBRARIES:
        try:
            libraries[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            libraries[name] = None
    return {"kiosk": __version__, "release": release,
            "content": _pack_version(pack_root),
            "python": sys.version.split()[0], "platform": platform.platform(), "libraries": libraries}


def _pack_version(root: Path) -> str:
    """The version line of a pack's pack.yaml (read without loading the pack)."""
    import yaml

    try:
        return str(yaml.safe_load((root / "pack.yaml").read_text(encoding="utf-8")).get("version", ""))
    except (OSError, AttributeError, yaml.YAMLError):
        return ""


def device_ports(config: KioskConfig) -> list[dict[str, Any]]:
    """Each configured device: how it is reached, its port, and whether the port exists now (and what it names)."""
    found = []
    for role, device in (("printer", config.printer), ("idcard", config.idcard)):
        entry: dict[str, Any] = {"role": role, "kind": device.kind, "port": device.port}
        if device.kind == "serial" and "://" not in device.port:
            path = Path(device.port)
            entry["present"] = path.exists()
            entry["target"] = str(path.resolve()) if entry["present"] else None
        found.append(entry)
    return found


def config_without_secrets(loaded: LoadedConfig) -> list[dict[str, Any]]:
    """Every effective setting with its origin; a secret's value replaced by REMOVED."""
    return [{"key": key, "value": REMOVED if key.rsplit(".", 1)[-1].endswith(SECRET_SUFFIXES) else value,
             "origin": origin} for key, value, origin in effective_items(loaded)]


def recent_errors(lines: list[bytes]) -> list[str]:
    """The newest RECENT_ERRORS error messages of journal JSON lines (oldest first)."""
    found = []
    for line in reversed(lines):
        try:
            entry = json.loads(line)
            if int(entry.get("PRIORITY", 6)) <= ERROR_PRIORITY and isinstance(entry.get("MESSAGE"), str):
                found.append(entry["MESSAGE"])
        except (ValueError, TypeError, AttributeError):
            continue
        if len(found) == RECENT_ERRORS:
            break
    return found[::-1]


def write(files: dict[str, bytes], directory: Path, name: str) -> Written:
    """Zip `files` into `directory/name` through a synced temporary file; KioskError DIA-002/003/004 when the
    stick is full, read-only or fails (nothing is left behind)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for file_name, data in files.items():
            bundle.writestr(file_name, data)
    data = buffer.getvalue()
    final = directory / name
    partial = directory / f".{name}.part"
    try:
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
        fsync_dir(directory)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise KioskError(_WRITE_ERRORS.get(exc.errno, DIAG_FAILED), f"{directory}: {exc.strerror or exc}") from None
    return Written(final, len(data), tuple(files))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str).encode("utf-8")
