"""The release tree under /opt/kiosk: complete releases, the `current` and `good` links, the trial, the history.

Why: which release runs is two symlinks, each switched atomically: `current` is what the unit starts, `good` the
last release that came up healthy. They differ only while a new release is on trial; the guard that counts the
trial's starts runs from `good`, so a broken release cannot break its own rollback.

    /opt/kiosk/releases/<version>/venv/       one virtual environment per release, bytecode compiled
    /opt/kiosk/releases/<version>/release.json written last: the release is complete
    /opt/kiosk/current -> releases/<version>  what kiosk.service runs
    /opt/kiosk/good    -> releases/<version>  the last release committed healthy (the guard runs from it)
    /opt/kiosk/trial.json                     starts counted for `current` while it is on trial
    /opt/kiosk/history.jsonl                  installs, switches, commits and rollbacks, for technicians
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.errors import ErrorCode, KioskError
from kiosk.release.durable import append_line, point, write_atomic

RELEASE_MISSING = ErrorCode("REL-001", "release not installed")
RELEASE_BUSY = ErrorCode("REL-002", "another update is in progress")
RELEASE_BAD = ErrorCode("REL-003", "release cannot be installed")
RELEASE_UNSIGNED = ErrorCode("REL-005", "release not signed by the bureau")

DEFAULT_ROOT = Path("/opt/kiosk")
RELEASES = "releases"
CURRENT = "current"
GOOD = "good"
MARKER = "release.json"
TRIAL = "trial.json"
HISTORY = "history.jsonl"
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


@dataclass(frozen=True)
class Event:
    """One line of the history: when (UTC, ISO 8601), what, which release, and why."""

    at: str
    event: str
    version: str
    detail: str = ""


class ReleaseTree:
    """Reads and switches the releases under one root (an install prefix, or a scratch root in tests)."""

    def __init__(self, root: Path = DEFAULT_ROOT) -> None:
        self.root = Path(root)

    def release_dir(self, version: str) -> Path:
        """Where release `version` lives (whether or not it is installed)."""
        if not VERSION_PATTERN.match(version):
            raise KioskError(RELEASE_BAD, f"not a release version: {version!r}")
        return self.root / RELEASES / version

    def marker(self, version: str) -> dict | None:
        """The completion record of release `version`, or None when it is absent or incomplete."""
        try:
            return json.loads((self.release_dir(version) / MARKER).read_text(encoding="utf-8"))
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return None

    def versions(self) -> list[str]:
        """Complete releases, oldest install first."""
        directory = self.root / RELEASES
        if not directory.is_dir():
            return []
        found = [(record.get("installed_at", ""), entry.name) for entry in directory.iterdir()
                 if VERSION_PATTERN.match(entry.name) and (record := self.marker(entry.name)) is not None]
        return [name for _at, name in sorted(found)]

    def linked(self, link: str) -> str | None:
        """The release that link `current` or `good` names, or None when it is missing or names no complete release."""
        try:
            target = os.readlink(self.root / link)
        except (FileNotFoundError, OSError):
            return None
        version = Path(target).name
        return version if VERSION_PATTERN.match(version) and self.marker(version) is not None else None

    def point(self, link: str, version: str) -> None:
        """Switch `current` or `good` to a complete release, atomically and durably."""
        if self.marker(version) is None:
            raise KioskError(RELEASE_MISSING, version)
        point(self.root / link, f"{RELEASES}/{version}")

    def trial(self) -> dict:
        """The release on trial: {"version", "starts", "unhealthy"} (empty when none was counted)."""
        try:
            return json.loads((self.root / TRIAL).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def set_trial(self, version: str, starts: int, unhealthy: str = "") -> None:
        """Record `starts` starts of `version` on trial, and why it is unhealthy once it was found so."""
        write_atomic(self.root / TRIAL,
                     json.dumps({"version": version, "starts": starts, "unhealthy": unhealthy}).encode())

    def end_trial(self) -> None:
        """Forget the trial counter (the release was committed or rolled back)."""
        with contextlib.suppress(FileNotFoundError):
            (self.root / TRIAL).unlink()

    def remove_leftovers(self) -> None:
        """Delete the temporary links and files a cut left before their rename (durable.point, write_atomic)."""
        for entry in self.root.glob(".*.tmp"):
            entry.unlink(missing_ok=True)

    def record(self, event: str, version: str, detail: str = "") -> Event:
        """Append one event to the history (synced)."""
        entry = Event(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), event, version, detail)
        append_line(self.root / HISTORY, json.dumps(entry.__dict__, ensure_ascii=False))
        return entry

    def history(self) -> list[Event]:
        """Every event, oldest first (a line a power cut left half-written is skipped)."""
        try:
            lines = (self.root / HISTORY).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        events = []
        for line in lines:
            try:
                events.append(Event(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return events

    @contextlib.contextmanager
    def locked(self, name: str, *, wait: bool) -> Iterator[None]:
        """Hold lock file `name` under the root: waits for it, or raises REL-002 at once when `wait` is false."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / name, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise KioskError(RELEASE_BUSY, f"{self.root / name} is held") from None
            yield
        finally:
            os.close(fd)


def running_tree(prefix: str = sys.prefix) -> ReleaseTree | None:
    """The tree this process runs from (its venv is <root>/releases/<version>/venv), or None (a development checkout)."""
    venv = Path(prefix)
    return ReleaseTree(venv.parents[2]) if venv.name == "venv" and venv.parent.parent.name == RELEASES else None


def last_event(tree: ReleaseTree, *kinds: str) -> Event | None:
    """The newest event of one of `kinds`, or None."""
    return next((e for e in reversed(tree.history()) if e.event in kinds), None)


def running_release(prefix: str = sys.prefix) -> str | None:
    """The release this process runs (its venv's directory), or None (a development checkout)."""
    return Path(prefix).parent.name if running_tree(prefix) is not None else None
