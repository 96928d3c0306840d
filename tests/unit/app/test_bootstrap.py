"""The composition root: builds without I/O, starts in order, fails soft, stops in reverse."""

import pytest

from kiosk.app.bootstrap import build
from kiosk.config.loader import load
from kiosk.core.clock import FakeClock
from kiosk.core.events import StorageDatabaseMovedAside, SubsystemFailed


def test_build_does_no_io_and_start_stop_round_trip(clean_env):
    kiosk = build(load(), clock=FakeClock())
    assert not (clean_env / "data").exists()  # constructors did no I/O
    kiosk.start()
    try:
        kiosk.db.wait_open()
        assert [h.name for h in kiosk.health.snapshot() if h.ok] == ["storage"]
        kiosk.audit("test_action", "detail")
        rows = kiosk.db.call(lambda d: list(d["audit_log"].rows))
        assert rows[0]["action"] == "test_action"
    finally:
        kiosk.stop()


def test_a_corrupt_database_is_reported_not_fatal(clean_env):
    data = clean_env / "data"
    data.mkdir()
    (data / "kiosk.db").write_bytes(b"\x00garbage" * 512)
    kiosk = build(load(), clock=FakeClock())
    seen = []
    kiosk.bus.subscribe(StorageDatabaseMovedAside, seen.append)
    kiosk.bus.subscribe(SubsystemFailed, seen.append)
    kiosk.start()
    try:
        kiosk.db.wait_open()
        assert isinstance(seen[0], StorageDatabaseMovedAside)
        assert seen[1].code == "DB-001"
        board = {h.name: h for h in kiosk.health.snapshot()}
        assert not board["storage"].ok
        assert kiosk.db.call(lambda d: d["audit_log"].count) == 0  # a fresh database is in use
    finally:
        kiosk.stop()


def test_an_unopenable_database_fails_soft(clean_env, monkeypatch):
    blocker = clean_env / "data"
    blocker.write_text("a file where the data directory should be")
    kiosk = build(load(), clock=FakeClock())
    failures = []
    kiosk.bus.subscribe(SubsystemFailed, failures.append)
    kiosk.start()
    with pytest.raises(Exception):
        kiosk.db.wait_open()
    kiosk.stop()
    assert failures and failures[0].subsystem == "storage"
