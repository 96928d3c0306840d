"""The kiosk's side of an app_update job decided from the release tree alone: what the process that comes up after
the restart reports (the download and the root installer are exercised in tests/integration/deploy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.app_update import AppUpdater
from kiosk.release import guard
from kiosk.release.health import REPORT_FILE
from kiosk.release.tree import ReleaseTree
from tests.unit.release.test_guard import add_release, report_from


def job(version: str, exec_ver: int = 1) -> protocol.Job:
    return protocol.Job(job="app-1", exec_ver=exec_ver, type="app_update", version=version, expires=2**40,
                        artifact=protocol.Artifact(url="http://127.0.0.1:9/x.whl", size=1, sha256="0" * 64,
                                                   signature="0" * 128))


@pytest.fixture
def tree(tmp_path: Path) -> ReleaseTree:
    tree = ReleaseTree(tmp_path / "opt-kiosk")
    for n, version in enumerate(["1.0", "2.0"]):
        add_release(tree, version, f"2026-01-0{n + 1}T00:00:00Z")
    guard.switch(tree, "1.0")
    return tree


def run(updater: AppUpdater, work: protocol.Job) -> list[tuple]:
    reports: list[tuple] = []
    updater.run(work, lambda *state: reports.append(state))
    return reports


def updater(tree: ReleaseTree | None, running: str | None, tmp_path: Path, restarts: list) -> AppUpdater:
    return AppUpdater(tree, running, updates=tmp_path / "updates", key_file=tmp_path / "key.pub",
                      is_idle=lambda: True, restart=lambda: restarts.append(True))


def test_a_development_checkout_refuses_app_updates(tmp_path) -> None:
    assert run(updater(None, None, tmp_path, []), job("2.0")) == [
        ("REJECTED", None, "this kiosk does not run from a release tree (development checkout)")]


def test_the_new_release_reports_success_once_committed(tree, tmp_path) -> None:
    tree.record("pending", "2.0", "app-1#1")
    guard.switch(tree, "2.0")
    guard.boot_check(tree, tmp_path)
    guard.commit(tree, tmp_path, report_from(tree, tmp_path / REPORT_FILE, "2.0"), wait_s=1)
    restarts: list = []
    assert run(updater(tree, "2.0", tmp_path, restarts), job("2.0")) == [("SUCCEEDED", None, None)]
    assert restarts == []


def test_the_release_put_back_reports_the_rollback_and_its_reason(tree, tmp_path) -> None:
    tree.record("pending", "2.0", "app-1#1")
    guard.switch(tree, "2.0")
    for _start in range(guard.MAX_STARTS + 1):
        guard.boot_check(tree, tmp_path)
    restarts: list = []
    assert run(updater(tree, "1.0", tmp_path, restarts), job("2.0")) == [
        ("FAILED", None, "2.0 rolled back: not healthy after 3 starts")]
    # A later execution of the same release is not decided by that rollback: it starts over (here: the download).
    reports = run(updater(tree, "1.0", tmp_path, restarts), job("2.0", exec_ver=2))
    assert reports[0][0] == "DOWNLOADING" and reports[-1][0] == "FAILED" and restarts == []
