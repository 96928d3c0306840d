"""Switch, commit and roll back: what the installer, the fleet and the unit's start hooks decide about releases.

Why: a new release is only on trial until it comes up healthy. The unit runs `boot-check` before every start (it
counts the trial's starts and puts `good` back after too many) and `commit` after READY=1 (it makes the trial the
good release, or marks it unhealthy and fails the start so the next boot-check rolls it back). Each decision is a
few atomic renames under one lock, so a power cut at any point leaves a tree the next boot-check can read.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.runtime.lifecycle import ATTEMPTS_FILE
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.release import update
from kiosk.release.health import REPORT_FILE, wait_for_report
from kiosk.release.tree import CURRENT, GOOD, RELEASE_MISSING, ReleaseTree
from kiosk.release.unpack import remove_old

RELEASE_UNHEALTHY = ErrorCode("REL-004", "release on trial is not healthy")

SWITCH_LOCK = ".switch.lock"
"""Held for each decision (short): a switch never interleaves with a boot-check or a commit."""
MAX_STARTS = 3
"""Starts a release on trial gets before the last good one is put back. A start ends in a crash, a watchdog kill or
the unit's TimeoutStartSec without READY=1; a power cut during a trial counts as one too."""
KEEP_OLD = 2
"""Releases kept besides `current` and `good` after a commit, for a technician's manual rollback."""
REPORT_WAIT_S = 20.0
"""How long a commit waits for the app's report after READY=1 (it is written on the same UI-thread callback)."""


def switch(tree: ReleaseTree, version: str) -> bool:
    """Make `version` current. It is on trial unless it is the good release; the first release of a terminal is
    good at once (there is nothing to go back to). Returns False when it already was current."""
    with tree.locked(SWITCH_LOCK, wait=True):
        return _switch(tree, version)


def _switch(tree: ReleaseTree, version: str) -> bool:
    """`switch` with the lock held."""
    if tree.marker(version) is None:
        raise KioskError(RELEASE_MISSING, version)
    if tree.linked(CURRENT) == version:
        return False
    good = tree.linked(GOOD)
    tree.point(CURRENT, version)
    tree.end_trial()
    if good is None:
        tree.point(GOOD, version)
        tree.record("committed", version, "first release of this terminal")
    else:
        tree.record("switched", version, "on trial" if version != good else "back to the good release")
    return True


def boot_check(tree: ReleaseTree, data_dir: Path, max_starts: int = MAX_STARTS) -> str:
    """Before a start: clear what a power cut left half-written, switch to a release the fleet installed
    (kiosk.release.update), repair a missing `current`, count one more start of a trial, or roll the trial back.

    A rollback also clears the app's crash-loop counter in `data_dir`: those failed starts were the trial's, and the
    good release must not boot into safe mode for them.
    """
    with tree.locked(SWITCH_LOCK, wait=True):
        tree.remove_leftovers()
        waiting = update.pending(tree)
        if waiting is not None:
            _switch(tree, waiting)  # here, between two runs of the app: never under a citizen's session
        update.clear_pending(tree)
        good, current = tree.linked(GOOD), tree.linked(CURRENT)
        if good is None:
            return f"no good release recorded; starting {current}"
        if current is None:
            tree.point(CURRENT, good)
            tree.record("repaired", good, "current was missing or incomplete")
            return f"current repaired: {good}"
        if current == good:
            tree.end_trial()
            return f"{current} (good)"
        trial = tree.trial()
        ours = trial.get("version") == current
        starts = int(trial.get("starts", 0)) if ours else 0
        unhealthy = str(trial.get("unhealthy", "")) if ours else ""
        if unhealthy or starts >= max_starts:
            reason = unhealthy or f"not healthy after {starts} starts"
            _roll_back(tree, current, good, reason)
            (Path(data_dir) / ATTEMPTS_FILE).unlink(missing_ok=True)
            return f"rolled back {current} -> {good}: {reason}"
        tree.set_trial(current, starts + 1)
        tree.record("started", current, f"trial start {starts + 1} of {max_starts}")
        return f"{current} on trial, start {starts + 1} of {max_starts} (good: {good})"


def commit(tree: ReleaseTree, data_dir: Path, pid: int | None, wait_s: float = REPORT_WAIT_S,
           keep: int = KEEP_OLD) -> str:
    """After READY=1: commit the trial when the app reports it came up from that release and not in safe mode.

    Raises REL-004 after marking the trial unhealthy otherwise, so the unit fails this start and the next
    boot-check rolls it back.
    """
    with tree.locked(SWITCH_LOCK, wait=True):
        good, current = tree.linked(GOOD), tree.linked(CURRENT)
        if current is None or current == good:
            return f"{current} (good): nothing on trial"
    report = wait_for_report(Path(data_dir) / REPORT_FILE, pid, wait_s)
    with tree.locked(SWITCH_LOCK, wait=True):
        if tree.linked(CURRENT) != current:
            return f"{current} is no longer current"
        problem = _problem(tree, current, report, pid)
        if problem:
            trial = tree.trial()
            starts = int(trial.get("starts", 0)) if trial.get("version") == current else 0
            tree.set_trial(current, starts, unhealthy=problem)
            tree.record("unhealthy", current, problem)
            raise KioskError(RELEASE_UNHEALTHY, f"{current}: {problem}")
        tree.point(GOOD, current)
        tree.end_trial()
        tree.record("committed", current, f"healthy; previous good {good}")
        removed = remove_old(tree, keep)
        return f"{current} committed" + (f"; removed {', '.join(removed)}" if removed else "")


def _problem(tree: ReleaseTree, current: str, report: dict | None, pid: int | None) -> str:
    """Why the report does not show `current` healthy ("" when it does)."""
    if report is None:
        return f"no start report from pid {pid}" if pid else "no start report"
    venv = (tree.release_dir(current) / "venv").resolve()
    if Path(str(report.get("prefix", ""))).resolve() != venv:
        return f"the process that started runs {report.get('prefix')}, not {venv}"
    if report.get("safe_mode"):
        return "came up in safe mode (repeated failed starts)"
    return ""


def roll_back(tree: ReleaseTree, version: str | None = None, reason: str = "technician") -> str:
    """Put back `version`, or else the good release when one is on trial, or else the release committed before the
    current one; the release put back is good from now on."""
    with tree.locked(SWITCH_LOCK, wait=True):
        current, good = tree.linked(CURRENT), tree.linked(GOOD)
        if version is None:
            version = good if current != good else previous_good(tree)
        if version is None or tree.marker(version) is None:
            raise KioskError(RELEASE_MISSING, version or "no other release to go back to")
        _roll_back(tree, current, version, reason)
        return f"rolled back {current} -> {version}"


def previous_good(tree: ReleaseTree) -> str | None:
    """The newest release committed before the current one that is still installed."""
    current, installed = tree.linked(CURRENT), set(tree.versions())
    committed = [e.version for e in tree.history() if e.event in ("committed", "restored")]
    return next((v for v in reversed(committed) if v != current and v in installed), None)


def _roll_back(tree: ReleaseTree, failed: str | None, to: str, reason: str) -> None:
    """`current` and `good` to `to`, the trial forgotten, the reason in the history (caller holds the lock)."""
    tree.point(CURRENT, to)
    tree.point(GOOD, to)
    tree.end_trial()
    tree.record("rolled_back", failed or "", reason)
    tree.record("restored", to, f"instead of {failed}")
