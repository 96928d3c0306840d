"""Property: whatever the pattern of small writes, reboots, reads and acks, the outbox hands back every unacked
event once, in seq order, with its own boot and fields, and its byte count matches the rows it keeps."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core.clock import FakeClock
from kiosk.fleet import protocol
from kiosk.fleet.outbox import Outbox
from kiosk.storage.db import Database

CHUNK_MAX = 8

_steps = st.lists(st.one_of(
    st.tuples(st.just("write"), st.integers(1, 2 * CHUNK_MAX + 3)),
    st.tuples(st.just("reboot"), st.just(0)),
    st.tuples(st.just("ack"), st.integers(0, 40)),
    st.tuples(st.just("read"), st.integers(1, 3 * CHUNK_MAX)),
), min_size=1, max_size=25)


def _read_all(box: Outbox, first: int, per_read: int) -> list[tuple[int, str, str]]:
    """(seq, boot, control) of everything held from `first` on, read `per_read` events at a time."""
    events = []
    while (pending := box.read("ui", first, per_read, protocol.BATCH_MAX_BYTES)).seqs:
        batch = protocol.decode(protocol.Kind.TELEMETRY, pending.payload(protocol.ClockState()))
        events += [(batch.q + i, batch.boot, batch.vocab[x][1]["control"]) for i, x in enumerate(batch.x)]
        first = pending.last + 1
    return events


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_steps)
def test_every_unacked_event_comes_back_once_in_order(steps):
    with tempfile.TemporaryDirectory() as name:
        clock = FakeClock()
        db = Database(Path(name) / "kiosk.db", clock)
        db.start()
        boots = iter(f"boot-{n}" for n in range(100))
        box = Outbox(db, clock, boot_id=next(boots), max_bytes=10_000_000, chunk_max_events=CHUNK_MAX)
        box.start()
        model: list[tuple[int, str, str]] = []
        boot, acked = "boot-0", 0
        try:
            for action, n in steps:
                if action == "write":
                    box.stop()
                    for _ in range(n):
                        control = f"c{len(model) % 5}"
                        box.record("ui", "ui.tap", {"screen": "home", "control": control})
                        model.append((len(model) + 1, boot, control))
                    box.start()
                    assert box.flush()
                elif action == "reboot":
                    box.stop()
                    boot = next(boots)
                    box = Outbox(db, clock, boot_id=boot, max_bytes=10_000_000, chunk_max_events=CHUNK_MAX)
                    box.start()
                elif action == "ack":
                    acked = max(acked, min(n, len(model)))
                    assert box.ack("ui", box.positions()["ui"].epoch, n)
                else:
                    assert _read_all(box, acked + 1, n) == model[acked:]
                assert box.positions()["ui"].backlog == len(model) - acked
                held, counted = db.call(lambda d: d.execute(
                    "SELECT (SELECT COALESCE(SUM(size), 0) FROM outbox_chunks), bytes FROM outbox_streams "
                    "WHERE stream = 'ui'").fetchone())
                assert held == counted
            assert _read_all(box, acked + 1, CHUNK_MAX) == model[acked:]
        finally:
            box.stop()
            db.stop()
