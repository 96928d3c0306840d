"""The SQLite owner: futures, transactions, migrations recorded, WAL, bad files moved aside."""

import sqlite3
import threading

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.errors import KioskError
from kiosk.storage.db import Database
from kiosk.storage.migrations import MIGRATIONS, Migration, apply_pending


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "k.db", FakeClock())
    database.start()
    database.wait_open()
    yield database
    database.stop()


def test_migrations_are_recorded_and_wal_is_on(db):
    versions = db.call(lambda d: [r["version"] for r in d["_migrations"].rows])
    assert versions == [m.version for m in MIGRATIONS]
    assert db.call(lambda d: d.execute("PRAGMA journal_mode").fetchone()[0]) == "wal"


def test_every_call_runs_on_the_owner_thread(db):
    names = {db.call(lambda d: threading.current_thread().name) for _ in range(3)}
    assert names == {"sqlite-owner"}


def test_a_failing_function_rolls_back_its_transaction(db):
    def half_then_fail(d):
        d["kv_state"].insert({"key": "a", "value": "1"})
        raise ValueError("nope")

    with pytest.raises(ValueError):
        db.call(half_then_fail)
    assert db.call(lambda d: d["kv_state"].count) == 0


def test_sqlite_errors_become_coded_errors(db):
    with pytest.raises(KioskError) as info:
        db.call(lambda d: d.execute("INSERT INTO no_such_table VALUES (1)"))
    assert info.value.code == "DB-002"


def test_submit_before_start_fails_cleanly(tmp_path):
    future = Database(tmp_path / "x.db", FakeClock()).submit(lambda d: 1)
    with pytest.raises(KioskError):
        future.result(timeout=1)


def test_a_corrupt_file_is_moved_aside_and_a_fresh_one_made(tmp_path):
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not a database" * 100)
    database = Database(path, FakeClock())
    database.start()
    try:
        database.wait_open()
        assert database.moved_aside is not None
        assert database.moved_aside.moved_to.read_bytes().startswith(b"this is not a database")
        assert "unreadable" in database.moved_aside.reason
        assert database.call(lambda d: d["audit_log"].count) == 0
    finally:
        database.stop()


def test_a_damaged_page_is_caught_by_integrity_check(tmp_path):
    path = tmp_path / "k.db"
    database = Database(path, FakeClock())
    database.start()
    database.call(lambda d: d["kv_state"].insert_all({"key": f"k{i}", "value": "v" * 500} for i in range(400)))
    database.stop()
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, page * 3 + 2000):  # scribble over a b-tree page in the middle
        raw[offset] = 0x5A
    path.write_bytes(bytes(raw))
    again = Database(path, FakeClock())
    again.start()
    try:
        again.wait_open()
        assert again.moved_aside is not None
    finally:
        again.stop()


def test_start_returns_at_once_and_a_failed_open_fails_queued_work(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    database = Database(blocker / "k.db", FakeClock())
    opened = []
    database.start(on_open=lambda moved, error: opened.append(error))
    queued = database.submit(lambda d: 1)
    with pytest.raises(KioskError):
        queued.result(timeout=10)
    with pytest.raises(Exception):
        database.wait_open()
    assert opened and opened[0] is not None
    database.stop()


def test_a_failing_migration_is_a_coded_error_and_not_recorded(tmp_path):
    conn = sqlite3.connect(tmp_path / "m.db")
    import sqlite_utils

    d = sqlite_utils.Database(conn)

    def broken(_db):
        raise RuntimeError("bad step")

    with pytest.raises(KioskError) as info:
        apply_pending(d, (Migration(1, "m0001_broken", broken),), FakeClock())
    assert info.value.code == "DB-003"
    assert d["_migrations"].count == 0
