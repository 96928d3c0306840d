"""The outbox persists every recorded event with a gap-free per-stream sequence and deletes only on ack."""

from __future__ import annotations

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.catalogue import UnknownEvent
from kiosk.fleet.outbox import Outbox

SESSION = "0" * 32


def _batch(pending) -> protocol.Batch:
    """The Batch a server would decode from what the outbox read."""
    return protocol.decode(protocol.Kind.TELEMETRY, pending.payload(protocol.ClockState()))


def _events(batch: protocol.Batch) -> list[tuple[int, int, int, str, str, dict]]:
    """The batch's events as rows (seq, wall ms, monotonic ms, boot, kind, fields)."""
    return [(batch.q + i, t, m, batch.boot, *batch.vocab[x])
            for i, (t, m, x) in enumerate(zip(batch.t, batch.m, batch.x))]


def _tap(box: Outbox, n: int) -> None:
    for i in range(n):
        box.record("ui", "ui.tap", {"screen": "home", "control": f"btn{i % 7}"})


def test_sequences_are_gap_free_per_stream_and_carry_times_and_boot(outbox, clock):
    _tap(outbox, 250)
    outbox.record("usage", "consult.started", {"session": SESSION, "topic": "labor"})
    assert outbox.flush()
    positions = outbox.positions()
    assert positions["ui"].last_seq == 250 and positions["ui"].backlog == 250
    assert positions["usage"].last_seq == 1
    pending = outbox.read("ui", 1, 1000, 10_000_000)
    batch = _batch(pending)
    events = _events(batch)
    assert [e[0] for e in events] == list(pending.seqs) == list(range(1, 251))
    assert events[0] == (1, int(clock.now().timestamp() * 1000), int(clock.monotonic() * 1000), "boot-1",
                         "ui.tap", {"screen": "home", "control": "btn0"})
    assert len(batch.vocab) == 7
    assert batch.base == 1 and batch.epoch == positions["ui"].epoch


def _chunks(db, stream: str = "ui") -> list[tuple[int, int]]:
    """The stored chunks of `stream` as (first seq, event count)."""
    return db.call(lambda d: d.execute("SELECT first_seq, event_count FROM outbox_chunks WHERE stream = ? "
                                       "ORDER BY first_seq", (stream,)).fetchall())


def _held_events(db, stream: str = "ui") -> int:
    return sum(count for _first, count in _chunks(db, stream))


def _tap_in_chunks(box: Outbox, sizes: list[int]) -> None:
    """Record taps persisted as one chunk per size: each group is queued while the writer is stopped."""
    for size in sizes:
        box.stop()
        _tap(box, size)
        box.start()
        assert box.flush()


def test_a_persisted_batch_is_one_chunk_per_stream(outbox, db):
    outbox.stop()
    _tap(outbox, 4)
    outbox.record("usage", "consult.started", {"session": SESSION, "topic": "labor"})
    _tap_in_chunks(outbox, [3, 5])
    assert _chunks(db) == [(1, 7), (8, 5)]
    assert _chunks(db, "usage") == [(1, 1)]


def test_ack_releases_only_up_to_the_ack_and_only_for_the_current_epoch(outbox, db):
    _tap_in_chunks(outbox, [4, 6])
    epoch = outbox.positions()["ui"].epoch
    assert not outbox.ack("ui", epoch + 1, 10)
    assert outbox.positions()["ui"].backlog == 10
    assert outbox.ack("ui", epoch, 2)
    position = outbox.positions()["ui"]
    assert (position.acked_seq, position.backlog) == (2, 8)
    pending = outbox.read("ui", 1, 100, 10_000_000)
    assert pending.base == 3 and pending.seqs == range(3, 11)
    assert _chunks(db) == [(1, 4), (5, 6)]
    assert outbox.ack("ui", epoch, 4)
    assert _chunks(db) == [(5, 6)] and outbox.read("ui", 1, 100, 10_000_000).seqs == range(5, 11)


def test_a_read_slices_across_chunks_and_resumes_inside_one(outbox):
    _tap_in_chunks(outbox, [4, 3, 5])
    reads = [_batch(outbox.read("ui", first, 3, 10_000_000)) for first in (1, 4, 7, 10)]
    assert [e[0] for b in reads for e in _events(b)] == list(range(1, 13))
    controls = [e[5]["control"] for b in reads for e in _events(b)]
    assert controls == [f"btn{i}" for i in (0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3, 4)]


def test_acked_chunks_free_their_bytes_so_nothing_unacked_is_evicted(db, clock):
    """GIVEN acked chunks WHEN new events would pass the disk cap with them THEN nothing is counted as dropped."""
    box = Outbox(db, clock, boot_id="b", max_bytes=30_000)
    box.start()
    _tap_in_chunks(box, [300])
    assert box.ack("ui", box.positions()["ui"].epoch, 300)
    _tap_in_chunks(box, [300])
    box.stop()
    position = box.positions()["ui"]
    assert (position.backlog, position.dropped) == (300, 0)
    assert _held_events(db) == 300


def test_a_read_carries_at_most_the_protocol_s_events(outbox):
    _tap(outbox, protocol.BATCH_MAX_EVENTS + 5)
    assert outbox.flush()
    assert len(outbox.read("ui", 1, 10 * protocol.BATCH_MAX_EVENTS, 10_000_000).seqs) == protocol.BATCH_MAX_EVENTS


def test_a_boot_id_that_cannot_go_into_a_batch_is_refused(db, clock):
    with pytest.raises(ValueError):
        Outbox(db, clock, boot_id="b" * (protocol.BOOT_ID_MAX_CHARS + 1), max_bytes=10_000_000)


def test_sequence_and_epoch_survive_a_restart_and_a_batch_never_spans_one(db, clock):
    first = Outbox(db, clock, boot_id="b1", max_bytes=10_000_000)
    first.start()
    _tap(first, 3)
    first.stop()
    epoch = first.positions()["ui"].epoch
    second = Outbox(db, clock, boot_id="b2", max_bytes=10_000_000)
    second.start()
    _tap(second, 2)
    assert second.flush()
    second.stop()
    assert second.positions()["ui"].epoch == epoch
    before_reboot = _batch(second.read("ui", 1, 10, 10_000))
    after_reboot = _batch(second.read("ui", before_reboot.last + 1, 10, 10_000))
    assert [e[0] for e in _events(before_reboot) + _events(after_reboot)] == [1, 2, 3, 4, 5]
    assert (before_reboot.boot, before_reboot.last, after_reboot.boot) == ("b1", 3, "b2")


def test_disk_cap_evicts_low_priority_first_counts_it_and_never_touches_audit(db, clock):
    box = Outbox(db, clock, boot_id="b", max_bytes=8_000)
    box.start()
    for _ in range(200):
        box.record("audit", "maintenance.action", {"action": "printer.test", "ok": True})
    _tap_in_chunks(box, [100, 100, 100, 100])
    box.record("hw", "printer.paper", {"state": "out"})
    assert box.flush()
    box.stop()
    positions = box.positions()
    assert positions["audit"].backlog == 200 and positions["audit"].dropped == 0
    assert positions["ui"].dropped > 0 and positions["ui"].dropped % 100 == 0
    assert positions["ui"].backlog + positions["ui"].dropped == 400 == positions["ui"].last_seq
    assert _chunks(db)[0][0] == positions["ui"].dropped + 1
    assert positions["hw"].backlog == 1
    pending = box.read("ui", 1, 1000, 10_000_000)
    assert pending.base == positions["ui"].dropped + 1


def test_eviction_of_a_partly_acked_chunk_counts_only_its_unacked_events(db, clock):
    box = Outbox(db, clock, boot_id="b", max_bytes=10_000_000)
    box.start()
    _tap_in_chunks(box, [100, 100])
    assert box.ack("ui", box.positions()["ui"].epoch, 30)
    box.stop()
    capped = Outbox(db, clock, boot_id="b", max_bytes=1)
    _tap_in_chunks(capped, [1])
    capped.stop()
    position = capped.positions()["ui"]
    assert (position.backlog, position.dropped, position.acked_seq) == (0, 171, 30)
    assert _chunks(db) == []


def test_record_refuses_what_the_catalogue_does_not_allow(outbox):
    with pytest.raises(UnknownEvent):
        outbox.record("ui", "ui.tap", {"screen": "home", "control": "ok", "name": "张三"})
    with pytest.raises(UnknownEvent):
        outbox.record("usage", "ui.tap", {"screen": "home", "control": "ok"})
    assert outbox.flush()
    assert outbox.positions()["ui"].last_seq == 0


def test_read_bounds_a_batch_by_bytes(outbox):
    _tap(outbox, 100)
    assert outbox.flush()
    pending = outbox.read("ui", 1, 100, 600)
    assert 0 < len(pending.seqs) < 100
    assert 500 < pending.size <= 600
    payload = pending.payload(protocol.ClockState())
    assert pending.size < len(payload) < pending.size + 200
    events = _events(protocol.decode(protocol.Kind.TELEMETRY, payload))
    assert [e[0] for e in events] == list(pending.seqs)
    assert events[0][5] == {"screen": "home", "control": "btn0"}


def _taps(box: Outbox, controls: list[str]) -> None:
    """Persist taps on `controls` as one write (one group of chunks)."""
    box.stop()
    for control in controls:
        box.record("ui", "ui.tap", {"screen": "home", "control": control})
    box.start()
    assert box.flush()


def test_chunks_are_cut_to_one_batch_so_a_drain_reads_one_row_per_batch(db, clock):
    box = Outbox(db, clock, boot_id="b", max_bytes=10_000_000, chunk_max_events=50)
    box.start()
    _tap_in_chunks(box, [120])
    assert _chunks(db) == [(1, 50), (51, 50), (101, 20)]
    pending = box.read("ui", 51, 50, protocol.BATCH_MAX_BYTES)
    assert pending.seqs == range(51, 101)
    assert [e[5]["control"] for e in _events(_batch(pending))] == [f"btn{i % 7}" for i in range(50, 100)]
    box.stop()


def test_a_chunk_never_holds_more_than_one_batch_s_bytes(outbox, db):
    long = "c" * 40
    _taps(outbox, [f"{long}{i:04d}" for i in range(protocol.BATCH_MAX_EVENTS)])
    chunks = _chunks(db)
    assert len(chunks) > 1 and sum(count for _first, count in chunks) == protocol.BATCH_MAX_EVENTS
    for first, count in chunks:
        pending = outbox.read("ui", first, protocol.BATCH_MAX_EVENTS, protocol.BATCH_MAX_BYTES)
        assert pending.seqs == range(first, first + count)
        assert len(pending.payload(protocol.ClockState())) <= protocol.MAX_PAYLOAD_BYTES


def test_whole_chunks_with_vocabularies_in_another_order_merge_into_one_batch(outbox):
    _taps(outbox, ["a", "b", "a"])
    _taps(outbox, ["c", "b", "a", "c"])
    batch = _batch(outbox.read("ui", 1, 100, 10_000_000))
    assert [e[5]["control"] for e in _events(batch)] == ["a", "b", "a", "c", "b", "a", "c"]
    assert len(batch.vocab) == 3


def test_a_read_inside_a_chunk_carries_only_the_vocabulary_it_uses(outbox):
    _taps(outbox, ["a", "b", "c", "d", "e"])
    _taps(outbox, ["f", "a"])
    batch = _batch(outbox.read("ui", 3, 3, 10_000_000))
    assert [e[5]["control"] for e in _events(batch)] == ["c", "d", "e"]
    assert [entry[1]["control"] for entry in batch.vocab] == ["c", "d", "e"]
    batch = _batch(outbox.read("ui", 4, 4, 10_000_000))
    assert [e[5]["control"] for e in _events(batch)] == ["d", "e", "f", "a"]
    assert len(batch.vocab) == 4


def _controls(box: Outbox, first: int, count: int) -> list[tuple[int, str, str]]:
    """(seq, boot, control) of up to `count` events from `first`."""
    return [(e[0], e[3], e[5]["control"]) for e in _events(_batch(box.read("ui", first, count, 10_000_000)))]


def test_small_writes_are_rewritten_into_whole_chunks_once_they_make_one(db, clock):
    """GIVEN a backlog written three events at a time WHEN they add up to a chunk THEN it is stored as whole chunks."""
    box = Outbox(db, clock, boot_id="b", max_bytes=10_000_000, chunk_max_events=10)
    box.start()
    for group in range(7):
        _taps(box, [f"g{group}e{i}" for i in range(3)])
        if group == 2:
            assert _chunks(db) == [(1, 3), (4, 3), (7, 3)]
    assert _chunks(db) == [(1, 10), (11, 10), (21, 1)]
    assert _controls(box, 1, 100) == [(seq, "b", f"g{(seq - 1) // 3}e{(seq - 1) % 3}") for seq in range(1, 22)]
    sizes = db.call(lambda d: d.execute("SELECT SUM(size) FROM outbox_chunks").fetchone()[0])
    assert db.call(lambda d: d.execute("SELECT bytes FROM outbox_streams WHERE stream = 'ui'").fetchone()[0]) == sizes
    box.stop()


def test_a_tail_from_an_earlier_boot_is_not_merged_into_the_new_boot_s_chunks(db, clock):
    first = Outbox(db, clock, boot_id="b1", max_bytes=10_000_000, chunk_max_events=10)
    first.start()
    _taps(first, ["a", "b", "c"])
    first.stop()
    second = Outbox(db, clock, boot_id="b2", max_bytes=10_000_000, chunk_max_events=10)
    second.start()
    _taps(second, [f"n{i}" for i in range(12)])
    assert _chunks(db) == [(1, 3), (4, 10), (14, 2)]
    assert [(seq, boot) for seq, boot, _c in _controls(second, 1, 100)] == [(1, "b1"), (2, "b1"), (3, "b1")]
    assert _controls(second, 4, 100)[0] == (4, "b2", "n0")
    second.stop()


def test_a_tail_partly_acked_and_in_flight_stays_consistent_when_rewritten(db, clock):
    box = Outbox(db, clock, boot_id="b", max_bytes=10_000_000, chunk_max_events=10)
    box.start()
    _taps(box, [f"e{i}" for i in range(6)])
    epoch = box.positions()["ui"].epoch
    assert [seq for seq, _b, _c in _controls(box, 1, 10)] == [1, 2, 3, 4, 5, 6]
    assert box.ack("ui", epoch, 2)
    _taps(box, [f"e{i}" for i in range(6, 12)])
    assert _chunks(db) == [(1, 10), (11, 2)]
    assert box.positions()["ui"].backlog == 10
    assert _controls(box, 3, 100) == [(seq, "b", f"e{seq - 1}") for seq in range(3, 13)]
    assert box.ack("ui", epoch, 12)
    assert _chunks(db) == []
    assert db.call(lambda d: d.execute("SELECT bytes FROM outbox_streams WHERE stream = 'ui'").fetchone()[0]) == 0
    box.stop()
