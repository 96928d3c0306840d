"""Print job records across a restart: what a previous run left unfinished is settled once, honestly (a job whose
bytes were going out may have printed: interrupted; one never started or failed is lost with its slip)."""

import pytest

from kiosk.core.clock import FakeClock
from kiosk.storage import diagnostics, print_jobs
from kiosk.storage.db import Database
from kiosk.storage.print_jobs import JobState


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "k.db", FakeClock())
    database.start()
    database.wait_open()
    yield database
    database.stop()


def jobs_in(db, states: list[JobState]) -> None:
    """One job per state, created in that order."""
    for n, state in enumerate(states):
        db.call(print_jobs.record(f"job-{n}", number=f"dev-0001-20261122-{n:04d}", at=f"2026-11-22T09:00:0{n}",
                                  state=state, attempts=1, size=2256))


def states_of(db) -> dict[str, str]:
    return db.call(lambda d: {row["id"]: row["state"] for row in d["print_jobs"].rows})


def test_a_job_cut_off_mid_print_is_interrupted_one_never_started_or_failed_is_lost(db):
    jobs_in(db, list(JobState))
    settled = db.call(print_jobs.settle_orphans("2026-11-22T10:00:00"))
    assert settled == {JobState.LOST: 2, JobState.INTERRUPTED: 1}
    assert states_of(db) == {"job-0": "lost", "job-1": "interrupted", "job-2": "printed", "job-3": "lost",
                             "job-4": "discarded", "job-5": "lost", "job-6": "interrupted"}
    assert [row["id"] for row in db.call(print_jobs.by_state(JobState.INTERRUPTED))] == ["job-1", "job-6"]
    assert db.call(print_jobs.by_state(JobState.INTERRUPTED))[0]["updated_at"] == "2026-11-22T10:00:00"


def test_settling_twice_changes_nothing_more(db):
    jobs_in(db, [JobState.PRINTING, JobState.QUEUED])
    db.call(print_jobs.settle_orphans("2026-11-22T10:00:00"))
    assert db.call(print_jobs.settle_orphans("2026-11-22T11:00:00")) == {JobState.LOST: 0, JobState.INTERRUPTED: 0}
    assert states_of(db) == {"job-0": "interrupted", "job-1": "lost"}


def test_every_state_a_run_can_leave_unfinished_is_settled_to_one_that_is_final():
    unfinished = {JobState.QUEUED, JobState.PRINTING, JobState.FAILED}
    assert set(print_jobs.ORPHANED) == unfinished
    assert not set(print_jobs.ORPHANED.values()) & unfinished


def test_the_diagnostic_bundle_counts_interrupted_jobs_apart_from_lost_ones(db):
    jobs_in(db, [JobState.PRINTING, JobState.QUEUED, JobState.PRINTED])
    db.call(print_jobs.settle_orphans("2026-11-22T10:00:00"))
    assert db.call(diagnostics.counts)["print_jobs"] == {"interrupted": 1, "lost": 1, "printed": 1}
