"""App update jobs on the kiosk: download and check a signed release, have it installed, restart when no citizen is
at the screen, and report what the release guard decided.

Why: the kiosk runs unprivileged under a read-only /opt, so it only downloads the artifact (resuming, like a content
pack) and checks the bureau's signature before it asks the root installer (kiosk.release.update, started by
kiosk-update.path) to install it beside the running release. The switch happens at the next start, between two
runs of the app, and that start is asked for only while nobody uses the kiosk. The job's outcome survives the
restart in the release tree itself: the installer's update.json and the history's pending, committed and
rolled_back lines name the job execution. The server keeps the job retained until it is done, so it arrives again
after the restarted process connects; that process, the new release once the guard committed it or the old one
put back, reads the tree and reports SUCCEEDED, or FAILED with the guard's reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.fleet import protocol
from kiosk.fleet.content_job import JobFailed, Report, check, download
from kiosk.release import update
from kiosk.release.tree import GOOD, ReleaseTree
from kiosk.release.unpack import STEP_TIMEOUT_S

logger = logging.getLogger(__name__)

INSTALL_WAIT_S = 3 * STEP_TIMEOUT_S + 60
"""Longest the root installer may take (a venv, the dependencies and the bytecode, each up to its step timeout)."""
COMMIT_WAIT_S = 150.0
"""How long the new release waits to be committed after it connected: the unit's TimeoutStartSec (90 s) and the
guard's wait for the start report (20 s), with margin. A release the guard does not commit is stopped anyway."""
POLL_S = 1.0
"""Seconds between looks at the installer's outcome, the guard's links and whether the kiosk is idle."""


class AppUpdater:
    """Runs app_update jobs on the agent's job thread (one at a time), reporting every state."""

    def __init__(self, tree: ReleaseTree | None, running: str | None, *, updates: Path, key_file: Path,
                 is_idle: Callable[[], bool], restart: Callable[[], None]) -> None:
        """`tree` and `running` (the release this process runs) are None in a development checkout, which refuses
        app updates; `restart` closes the app so systemd starts it again."""
        self._tree = tree
        self._running = running
        self._updates = Path(updates)
        self._key_file = Path(key_file)
        self._is_idle = is_idle
        self._restart = restart
        self._stopping = threading.Event()

    def stop(self) -> None:
        """The app is closing: a job waiting for the installer, for idle or for the commit gives up quietly (it
        runs again from the tree's state when the retained job comes back after the next connect)."""
        self._stopping.set()

    def run(self, job: protocol.Job, report: Report) -> str:
        """Take `job` as far as this process can; returns the status reported last ("" when it stopped waiting)."""
        try:
            return self._run(job, report)
        except JobFailed as exc:
            logger.warning("app update %s#%d: %s", job.job, job.exec_ver, exc.reason)
            report(exc.status, None, exc.reason[:500])
            return exc.status

    def _run(self, job: protocol.Job, report: Report) -> str:
        if self._tree is None or self._running is None:
            raise JobFailed("REJECTED", "this kiosk does not run from a release tree (development checkout)")
        label = f"{job.job}#{job.exec_ver}"
        verdict = update.decision(self._tree, label, job.version)
        if verdict is not None and verdict[0] == "rolled_back":
            raise JobFailed("FAILED", f"{job.version} rolled back: {verdict[1]}")
        if self._running == job.version:
            return self._await_commit(job.version, report)
        outcome = update.read_outcome(self._tree)
        if outcome.get("job") != label or outcome.get("state") != "installed":
            self._install(job, label, report)
        report("VERIFYING", None, None)
        if not self._wait_for(self._is_idle, timeout_s=None):
            return ""
        logger.info("app update %s: restarting into %s", label, job.version)
        self._restart()
        return "VERIFYING"

    def _install(self, job: protocol.Job, label: str, report: Report) -> None:
        """Download and check the artifact, ask the root installer for it and wait for its answer."""
        part = download(job, self._updates, report)
        check(job, part, self._key_file)
        report("DOWNLOADED", None, None)
        report("INSTALLING", None, None)
        update.write_request(self._updates, update.Request(
            job=job.job, exec_ver=job.exec_ver, version=job.version, artifact=part.name, size=job.artifact.size,
            sha256=job.artifact.sha256, signature=job.artifact.signature))

        def answered() -> bool:
            outcome = update.read_outcome(self._tree)
            return outcome.get("job") == label and outcome.get("state") in ("installed", "failed")

        if not self._wait_for(answered, INSTALL_WAIT_S):
            if self._stopping.is_set():
                raise JobFailed("FAILED", "the kiosk stopped while its release was being installed")
            raise JobFailed("FAILED", f"the installer did not answer within {INSTALL_WAIT_S} s "
                                      "(is kiosk-update.path enabled?)")
        outcome = update.read_outcome(self._tree)
        if outcome["state"] == "failed":
            raise JobFailed("FAILED", f"install: {outcome.get('error', '')}")
        part.unlink(missing_ok=True)  # the installer keeps its own copy

    def _await_commit(self, version: str, report: Report) -> str:
        """This process is `version`: SUCCEEDED once the guard made it the good release."""
        if not self._wait_for(lambda: self._tree.linked(GOOD) == version, COMMIT_WAIT_S):
            logger.warning("release %s not committed within %.0f s; the guard decides", version, COMMIT_WAIT_S)
            return ""
        report("SUCCEEDED", None, None)
        return "SUCCEEDED"

    def _wait_for(self, condition: Callable[[], bool], timeout_s: float | None) -> bool:
        """Poll `condition` until true (True), `timeout_s` passes or the app stops (False)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while not condition():
            if self._stopping.wait(POLL_S) or (deadline is not None and time.monotonic() >= deadline):
                return False
        return True
