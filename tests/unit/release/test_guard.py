"""The release guard's decisions on a tree of marked releases: trial, commit, rollback, repair, manual rollback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kiosk.core.errors import KioskError
from kiosk.release import guard
from kiosk.runtime.lifecycle import ATTEMPTS_FILE
from kiosk.release.health import REPORT_FILE, write_report
from kiosk.release.tree import CURRENT, GOOD, HISTORY, MARKER, ReleaseTree


def add_release(tree: ReleaseTree, version: str, installed_at: str) -> Path:
    """A release as the installer leaves it: a venv directory and the completion marker."""
    directory = tree.release_dir(version)
    (directory / "venv").mkdir(parents=True)
    (directory / MARKER).write_text(json.dumps({"version": version, "installed_at": installed_at}))
    return directory


@pytest.fixture
def tree(tmp_path: Path) -> ReleaseTree:
    tree = ReleaseTree(tmp_path / "opt-kiosk")
    for n, version in enumerate(["1.0", "1.1", "1.2"]):
        add_release(tree, version, f"2026-01-0{n + 1}T00:00:00Z")
    guard.switch(tree, "1.0")
    return tree


def report_from(tree: ReleaseTree, path: Path, version: str, *, safe_mode: bool = False) -> int:
    """A start report as release `version`'s process would write it; returns its pid."""
    write_report(path, safe_mode=safe_mode)
    report = json.loads(path.read_text())
    report["prefix"] = str(tree.release_dir(version) / "venv")
    path.write_text(json.dumps(report))
    return report["pid"]


def events(tree: ReleaseTree) -> list[tuple[str, str]]:
    return [(e.event, e.version) for e in tree.history()]


def test_first_release_is_good_at_once(tree: ReleaseTree) -> None:
    assert tree.linked(CURRENT) == tree.linked(GOOD) == "1.0"
    assert os.readlink(tree.root / CURRENT) == "releases/1.0"  # relative: the tree can be mounted elsewhere
    assert guard.boot_check(tree, tree.root.parent) == "1.0 (good)"
    assert guard.switch(tree, "1.0") is False


def test_trial_that_never_comes_up_is_rolled_back_after_max_starts(tree: ReleaseTree) -> None:
    guard.switch(tree, "1.1")
    assert (tree.linked(CURRENT), tree.linked(GOOD)) == ("1.1", "1.0")
    for start in range(1, guard.MAX_STARTS + 1):
        assert f"start {start} of {guard.MAX_STARTS}" in guard.boot_check(tree, tree.root.parent)
    (tree.root.parent / ATTEMPTS_FILE).write_text(str(guard.MAX_STARTS))  # the app counted them as crashes too
    message = guard.boot_check(tree, tree.root.parent)
    assert message.startswith("rolled back 1.1 -> 1.0")
    assert not (tree.root.parent / ATTEMPTS_FILE).exists()  # the good release does not boot into safe mode
    assert (tree.linked(CURRENT), tree.linked(GOOD)) == ("1.0", "1.0")
    assert tree.trial() == {}
    assert events(tree)[-2:] == [("rolled_back", "1.1"), ("restored", "1.0")]


def test_healthy_trial_is_committed_and_old_releases_pruned(tree: ReleaseTree, tmp_path: Path) -> None:
    add_release(tree, "0.9", "2025-12-01T00:00:00Z")
    add_release(tree, "0.8", "2025-11-01T00:00:00Z")
    guard.switch(tree, "1.2")
    guard.boot_check(tree, tree.root.parent)
    pid = report_from(tree, tmp_path / REPORT_FILE, "1.2")
    assert guard.commit(tree, tmp_path, pid, keep=2) == "1.2 committed; removed 0.8, 0.9"
    assert (tree.linked(CURRENT), tree.linked(GOOD)) == ("1.2", "1.2")
    assert tree.versions() == ["1.0", "1.1", "1.2"]
    assert guard.boot_check(tree, tree.root.parent) == "1.2 (good)"


@pytest.mark.parametrize("safe_mode, version, problem", [
    (True, "1.1", "safe mode"),
    (False, "1.0", "not "),  # READY=1 came from a process of another release
])
def test_unhealthy_report_fails_the_start_and_next_boot_rolls_back(tree: ReleaseTree, tmp_path: Path,
                                                                     safe_mode: bool, version: str,
                                                                     problem: str) -> None:
    guard.switch(tree, "1.1")
    guard.boot_check(tree, tree.root.parent)
    pid = report_from(tree, tmp_path / REPORT_FILE, version, safe_mode=safe_mode)
    with pytest.raises(KioskError, match=problem) as raised:
        guard.commit(tree, tmp_path, pid)
    assert raised.value.code == "REL-004"
    assert tree.linked(GOOD) == "1.0"
    assert guard.boot_check(tree, tree.root.parent).startswith("rolled back 1.1 -> 1.0")


def test_missing_report_is_unhealthy(tree: ReleaseTree, tmp_path: Path) -> None:
    guard.switch(tree, "1.1")
    with pytest.raises(KioskError, match="no start report from pid 4242"):
        guard.commit(tree, tmp_path, 4242, wait_s=0.0)


def test_commit_without_trial_does_nothing(tree: ReleaseTree, tmp_path: Path) -> None:
    assert "nothing on trial" in guard.commit(tree, tmp_path, None, wait_s=0.0)


def test_missing_current_is_repaired_from_good(tree: ReleaseTree) -> None:
    (tree.root / CURRENT).unlink()
    assert guard.boot_check(tree, tree.root.parent) == "current repaired: 1.0"
    assert tree.linked(CURRENT) == "1.0"


def test_incomplete_release_cannot_be_switched_to(tree: ReleaseTree) -> None:
    (tree.release_dir("1.2") / MARKER).unlink()  # an install a power cut interrupted
    with pytest.raises(KioskError) as raised:
        guard.switch(tree, "1.2")
    assert raised.value.code == "REL-001"
    assert tree.versions() == ["1.0", "1.1"]


def test_manual_rollback_goes_to_the_release_committed_before(tree: ReleaseTree, tmp_path: Path) -> None:
    guard.switch(tree, "1.1")
    pid = report_from(tree, tmp_path / REPORT_FILE, "1.1")
    guard.commit(tree, tmp_path, pid)
    assert guard.roll_back(tree) == "rolled back 1.1 -> 1.0"
    assert (tree.linked(CURRENT), tree.linked(GOOD)) == ("1.0", "1.0")


def test_history_survives_a_torn_last_line(tree: ReleaseTree) -> None:
    with (tree.root / HISTORY).open("a") as stream:
        stream.write('{"at": "2026-')  # a power cut in the middle of an append
    guard.switch(tree, "1.1")
    assert events(tree)[-1] == ("switched", "1.1")


def test_trial_counter_of_another_release_is_not_counted(tree: ReleaseTree) -> None:
    tree.set_trial("1.2", 99)  # left by a trial a power cut interrupted before it was forgotten
    guard.switch(tree, "1.1")
    tree.set_trial("1.2", 99)
    assert "start 1 of" in guard.boot_check(tree, tree.root.parent)


def test_running_tree_is_found_from_a_releases_venv_only(tree: ReleaseTree) -> None:
    from kiosk.release.tree import running_tree

    assert running_tree(str(tree.release_dir("1.0") / "venv")).root == tree.root
    assert running_tree("/work/main/.venv") is None
