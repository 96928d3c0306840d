"""Migration 5 moves a field kiosk's per-event outbox rows into chunks: the backlog, its seqs and boots survive."""

import json
import sqlite3

import sqlite_utils

from kiosk.core.clock import FakeClock
from kiosk.fleet import protocol
from kiosk.fleet.outbox import Outbox
from kiosk.storage.db import Database
from kiosk.storage.migrations import MIGRATIONS, apply_pending

EPOCH = 77


def _event_row(stream: str, seq: int, boot: str) -> tuple:
    """A row as migration 3's outbox stored it: (stream, seq, wall ms, monotonic ms, boot, type, fields, size)."""
    data = json.dumps({"screen": "home", "control": f"c{seq % 5}"}, separators=(",", ":"))
    return stream, seq, 1_700_000_000_000 + seq, 5_000 + seq, boot, "ui.tap", data, 100


def _version_4_database(path, ui_boots: list[str], ui_acked: int) -> None:
    """A database as a kiosk before chunks left it: `ui` holds one row per seq, seqs up to `ui_acked` acked
    (not yet deleted), and `hw` a backlog longer than one chunk."""
    d = sqlite_utils.Database(sqlite3.connect(path))
    apply_pending(d, tuple(m for m in MIGRATIONS if m.version <= 4), FakeClock())
    ui = [_event_row("ui", seq, boot) for seq, boot in enumerate(ui_boots, start=1)]
    hw = [_event_row("hw", seq, "b1") for seq in range(1, 5_003)]
    with d.conn:
        d.conn.executemany("INSERT INTO outbox_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ui + hw)
        d.conn.executemany("INSERT INTO outbox_streams VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [("ui", EPOCH, len(ui) + 1, ui_acked, len(ui) - ui_acked, 100 * len(ui), 3),
                            ("hw", EPOCH, len(hw) + 1, 0, len(hw), 100 * len(hw), 0)])
    d.conn.close()


def _read_all(box: Outbox, stream: str, from_seq: int) -> list[tuple[int, str, int, int, str]]:
    """Every event read from `from_seq` on, as (seq, boot, wall ms, monotonic ms, control)."""
    events = []
    while (pending := box.read(stream, from_seq, 1000, protocol.BATCH_MAX_BYTES)).seqs:
        batch = protocol.decode(protocol.Kind.TELEMETRY, pending.payload(protocol.ClockState()))
        events += [(batch.q + i, batch.boot, t, m, batch.vocab[x][1]["control"])
                   for i, (t, m, x) in enumerate(zip(batch.t, batch.m, batch.x))]
        from_seq = pending.last + 1
    return events


def test_an_upgraded_kiosk_keeps_its_unacked_backlog_in_chunks(tmp_path):
    path = tmp_path / "kiosk.db"
    _version_4_database(path, ["b1"] * 4 + ["b2"] * 3, ui_acked=2)
    clock = FakeClock()
    db = Database(path, clock)
    db.start()
    box = Outbox(db, clock, boot_id="b3", max_bytes=10_000_000)
    box.start()
    try:
        chunks = db.call(lambda d: d.execute("SELECT stream, first_seq, event_count, boot FROM outbox_chunks "
                                             "ORDER BY stream, first_seq").fetchall())
        tables = db.call(lambda d: d.table_names())
        unaccounted = db.call(lambda d: d.execute(
            "SELECT COUNT(*) FROM outbox_streams s WHERE bytes != "
            "(SELECT COALESCE(SUM(size), 0) FROM outbox_chunks c WHERE c.stream = s.stream)").fetchone()[0])
        ui, hw = box.positions()["ui"], box.positions()["hw"]
        ui_events, hw_events = _read_all(box, "ui", 1), _read_all(box, "hw", 1)
    finally:
        box.stop()
        db.stop()
    assert "outbox_events" not in tables and unaccounted == 0
    assert chunks == [*((("hw", first, 1_000, "b1") for first in range(1, 5_000, 1_000))), ("hw", 5_001, 2, "b1"),
                      ("ui", 3, 2, "b1"), ("ui", 5, 3, "b2")]
    assert (ui.epoch, ui.last_seq, ui.acked_seq, ui.backlog, ui.dropped) == (EPOCH, 7, 2, 5, 3)
    assert (hw.last_seq, hw.backlog) == (5_002, 5_002)
    assert ui_events == [(seq, "b1" if seq <= 4 else "b2", 1_700_000_000_000 + seq, 5_000 + seq, f"c{seq % 5}")
                         for seq in range(3, 8)]
    assert [e[0] for e in hw_events] == list(range(1, 5_003))
