"""The agent's side of jobs: a job (a content pack, or an app update) runs once on its own thread, its progress and
outcome are reported.

Why (§3.7): the server retains a job until it is done, so the same execution arrives again after every connect;
a finished one is only reported again (its outcome survives a restart), one still running is left alone, and an
expired one never starts. The work itself (download, verify, install, roll back) is kiosk.fleet.content_job and
kiosk.fleet.app_update.
"""

from __future__ import annotations

from kiosk.fleet import device_store, protocol
from kiosk.fleet.agent_context import AgentContext
from kiosk.fleet.app_update import AppUpdater
from kiosk.fleet.content_job import ContentInstaller
from kiosk.fleet.worker import Worker


class Jobs:
    """Jobs of one kiosk; agent thread, but for the installers on the job thread."""

    def __init__(self, context: AgentContext, *, worker: Worker, content: ContentInstaller | None,
                 app_update: AppUpdater | None = None) -> None:
        """Jobs run on `worker` (the job thread); `content` or `app_update` is None on a kiosk that refuses that
        kind of job."""
        self._context = context
        self._worker = worker
        self._runners = {"content": content, "app_update": app_update}
        self._running: tuple[str, int] | None = None
        """(job, exec_ver) on the job thread now."""

    def on_job(self, job: protocol.Job) -> None:
        """Start a new job execution on the job thread; a finished one is only reported again, never rerun."""
        finished = self._context.db.call(device_store.finished_job)
        if finished is not None and finished[:2] == (job.job, job.exec_ver):
            self._report(job.job, job.exec_ver, finished[2], None, finished[3])
            return
        if self._running == (job.job, job.exec_ver):
            return
        runner = self._runners[job.type]
        if runner is None:
            self._on_status(job.job, job.exec_ver, "REJECTED", None, f"{job.type} jobs not available on this kiosk")
        elif job.expires <= self._context.server_clock.server_now_ms():
            self._on_status(job.job, job.exec_ver, "TIMED_OUT", None, "job expired before it started")
        else:
            self._running = (job.job, job.exec_ver)
            self._report(job.job, job.exec_ver, "ACCEPTED", None, None)
            self._worker.submit(runner.run, job,
                                lambda status, progress, error: self._context.post(self._on_status, job.job,
                                                                                   job.exec_ver, status, progress,
                                                                                   error))

    def _on_status(self, job_id: str, exec_ver: int, status: str, progress: protocol.Progress | None,
                   error: str | None) -> None:
        """Report a step of a job (on the agent thread); a final one is stored, so it is never run again."""
        if status in protocol.JOB_FINAL:
            self._context.db.call(lambda d: device_store.save_finished_job(d, job_id, exec_ver, status, error))
            if self._running == (job_id, exec_ver):
                self._running = None
        self._report(job_id, exec_ver, status, progress, error)

    def _report(self, job_id: str, exec_ver: int, status: str, progress: protocol.Progress | None,
                error: str | None) -> None:
        report = protocol.JobStatus(job=job_id, exec_ver=exec_ver, status=status, progress=progress, error=error)
        self._context.publish_up("job", protocol.encode(report))
