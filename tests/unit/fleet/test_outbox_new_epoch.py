"""The server's `new_epoch`: events from its seq on continue in a fresh epoch from 1, the rest is released."""

from __future__ import annotations

from kiosk.fleet import protocol
from kiosk.fleet.outbox import Outbox


def _tap_in_chunks(box: Outbox, sizes: list[int], clock) -> None:
    """Taps persisted as one chunk per size, one second apart, control = the tap's number counted from 1."""
    tapped = box.positions()["ui"].last_seq
    for size in sizes:
        box.stop()
        for _ in range(size):
            tapped += 1
            clock.advance(1)
            box.record("ui", "ui.tap", {"screen": "home", "control": f"t{tapped}"})
        box.start()
        assert box.flush()


def _held(box: Outbox) -> list[tuple[int, int, str]]:
    """Every held event of `ui` as (seq, monotonic ms, control), read the way the agent reads them."""
    position = box.positions()["ui"]
    batch = protocol.decode(protocol.Kind.TELEMETRY,
                            box.read("ui", 1, protocol.BATCH_MAX_EVENTS, 10_000_000).payload(protocol.ClockState()))
    assert batch.epoch == position.epoch and batch.last == position.last_seq
    return [(batch.q + i, m, batch.vocab[x][1]["control"]) for i, (m, x) in enumerate(zip(batch.m, batch.x))]


def test_events_from_the_seq_on_continue_from_one_in_a_fresh_epoch(db, clock):
    """GIVEN 50 taps in chunks of 20, 20 and 10, the first 10 acked
    WHEN the server asks for a new epoch from seq 31 (a chunk boundary falls inside the kept part)
    THEN taps 31-50 are seqs 1-20 of a new epoch in their order with their times, taps 11-30 are released, and
    later taps follow at 21."""
    box = Outbox(db, clock, boot_id="b1", max_bytes=10_000_000, chunk_max_events=20)
    box.start()
    _tap_in_chunks(box, [20, 20, 10], clock)
    before = _held(box)
    old = box.positions()["ui"].epoch
    assert box.ack("ui", old, 10)
    position = box.new_epoch("ui", old, 31)
    assert position is not None and position.epoch != old
    assert (position.last_seq, position.acked_seq, position.backlog, position.dropped) == (20, 0, 20, 0)
    assert box.positions()["ui"] == position
    assert _held(box) == [(seq - 30, m, control) for seq, m, control in before[30:]]
    _tap_in_chunks(box, [3], clock)
    assert [(seq, control) for seq, _m, control in _held(box)][-4:] == [(20, "t50"), (21, "t21"), (22, "t22"),
                                                                       (23, "t23")]
    box.stop()


def test_a_stale_epoch_or_a_seq_past_the_last_changes_nothing_or_releases_all(db, clock):
    """GIVEN 10 held taps WHEN asked for a new epoch of another epoch THEN nothing changes; WHEN asked from seq 11
    (the server holds them all) THEN all are released and the new epoch starts empty."""
    box = Outbox(db, clock, boot_id="b1", max_bytes=10_000_000)
    box.start()
    _tap_in_chunks(box, [10], clock)
    current = box.positions()["ui"]
    assert box.new_epoch("ui", current.epoch + 1, 3) is None
    assert box.positions()["ui"] == current
    fresh = box.new_epoch("ui", current.epoch, 11)
    assert (fresh.last_seq, fresh.backlog) == (0, 0)
    assert db.call(lambda d: d.execute("SELECT (SELECT COUNT(*) FROM outbox_chunks WHERE stream = 'ui'), bytes "
                                       "FROM outbox_streams WHERE stream = 'ui'").fetchone()) == (0, 0)
    box.stop()
