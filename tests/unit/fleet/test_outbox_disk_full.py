"""A full disk: each write's retry ends within its bound, stop() is answered during one, the health board shows
storage failed with DB-004, and every event recorded meanwhile is written once the disk has room again.

The disk is made full on a real database file with SQLite's own limit (PRAGMA max_page_count at the current size):
a write that needs a new page fails with SQLITE_FULL, as on a full file system.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from kiosk.core.events import EventBus, SubsystemFailed
from kiosk.fleet import protocol
from kiosk.fleet.outbox import Outbox
from kiosk.services.health import HealthBoard

ATTEMPTS = 3
WAIT_S = 30.0
SQLITE_MAX_PAGES = 1_073_741_823


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def board(bus):
    health = HealthBoard(bus)
    health.start()
    yield health
    health.stop()


def _full_outbox(db, clock, bus, **options) -> Outbox:
    """An outbox whose database has just become full, stopped: what is recorded now goes into its next write (500
    taps or more need new pages, more than the free one a fresh file may have)."""
    box = Outbox(db, clock, boot_id="boot-1", max_bytes=10_000_000, bus=bus, **options)
    box.start()
    box.stop()
    db.call(lambda d: d.execute(f"PRAGMA max_page_count = {d.execute('PRAGMA page_count').fetchone()[0]}"))
    return box


@pytest.fixture
def full_box(db, clock, bus):
    box = _full_outbox(db, clock, bus, write_attempts=ATTEMPTS, write_retry_s=0.01)
    yield box
    box.stop()


def _make_room(db) -> None:
    db.call(lambda d: d.execute(f"PRAGMA max_page_count = {SQLITE_MAX_PAGES}"))


def _tap(box: Outbox, n: int) -> list[str]:
    """Record `n` taps; their controls in order."""
    controls = [f"btn{i % 7}" for i in range(n)]
    for control in controls:
        box.record("ui", "ui.tap", {"screen": "home", "control": control})
    return controls


def _stored_controls(box: Outbox) -> list[tuple[int, str]]:
    """(seq, control) of every ui event on disk, read back in batches as the agent would send them."""
    events, first = [], 1
    while (pending := box.read("ui", first, protocol.BATCH_MAX_EVENTS, protocol.BATCH_MAX_BYTES)).seqs:
        batch = protocol.decode(protocol.Kind.TELEMETRY, pending.payload(protocol.ClockState()))
        events += [(batch.q + i, batch.vocab[x][1]["control"]) for i, x in enumerate(batch.x)]
        first = pending.last + 1
    return events


def _given_up(bus: EventBus) -> threading.Event:
    """Set when the outbox tells the board it gave a write up."""
    seen = threading.Event()
    bus.subscribe(SubsystemFailed, lambda _event: seen.set())
    return seen


def _wait_for(predicate: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        threading.Event().wait(0.01)


def _storage_line(board: HealthBoard):
    return {line.name: line for line in board.snapshot()}["storage"]


def test_each_write_is_tried_a_bounded_number_of_times_then_shown_on_the_health_board(full_box, bus, board):
    _tap(full_box, 500)
    given_up = _given_up(bus)
    full_box.start()
    assert given_up.wait(WAIT_S)
    assert full_box.write_failures == ATTEMPTS  # the one write of the 500, tried ATTEMPTS times, then left
    line = _storage_line(board)
    assert (line.ok, line.code) == (False, "DB-004") and "full" in line.detail
    assert full_box.unwritten == 500 and full_box.positions()["ui"].last_seq == 0
    assert full_box.flush(WAIT_S) is False  # answered once the next write was given up on, not at the timeout
    assert full_box.write_failures == 2 * ATTEMPTS


def test_every_event_recorded_while_the_disk_was_full_is_written_once_it_has_room(full_box, db, board):
    recorded = _tap(full_box, 500)
    full_box.start()
    assert full_box.flush(WAIT_S) is False
    recorded += _tap(full_box, 20)
    assert full_box.flush(WAIT_S) is False
    assert full_box.unwritten == 520
    _make_room(db)
    assert full_box.flush(WAIT_S)
    assert full_box.unwritten == 0
    assert _stored_controls(full_box) == list(enumerate(recorded, start=1))
    assert full_box.positions()["ui"].backlog == 520
    assert _storage_line(board).ok


def test_stop_is_answered_during_a_retry_and_what_failed_is_written_after_the_next_start(db, clock, bus, board):
    box = _full_outbox(db, clock, bus, write_attempts=2, write_retry_s=3600.0)
    recorded = _tap(box, 500)
    box.start()
    _wait_for(lambda: box.write_failures == 1, "the first failed try")
    assert box.stop(WAIT_S)  # the writer ended: it did not sit out the hour before its second try
    assert box.write_failures == 2  # one last try at stop, which failed too
    assert _storage_line(board).code == "DB-004"
    assert box.unwritten == 500
    _make_room(db)
    box.start()
    assert box.flush(WAIT_S)
    assert _stored_controls(box) == list(enumerate(recorded, start=1))
    assert _storage_line(board).ok
    box.stop()


def test_while_the_disk_is_full_memory_holds_at_most_max_unwritten_and_the_rest_is_counted(db, clock, bus):
    box = _full_outbox(db, clock, bus, max_unwritten=1000, write_attempts=1)
    recorded = _tap(box, 1500)
    box.start()
    assert box.flush(WAIT_S) is False
    assert (box.unwritten, box.unwritten_dropped) == (1000, 500)
    _make_room(db)
    assert box.flush(WAIT_S)
    assert _stored_controls(box) == list(enumerate(recorded[:1000], start=1))
    box.stop()
