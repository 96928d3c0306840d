"""The composition root: builds without I/O, starts in order, fails soft, stops in reverse."""

import os
import subprocess
import sys
import threading

import pytest

from kiosk.runtime.bootstrap import build
from kiosk.config.loader import load
from kiosk.core.clock import FakeClock
from kiosk.core.events import ControlTapped, ScreenShown, StorageDatabaseMovedAside, SubsystemFailed
from kiosk.fleet import protocol


def test_build_does_no_io_and_start_stop_round_trip(clean_env):
    kiosk = build(load(), clock=FakeClock())
    offline = threading.Event()
    kiosk.bus.subscribe(SubsystemFailed, lambda e: e.subsystem == "idcard" and offline.set())
    assert not (clean_env / "data").exists()  # constructors did no I/O
    kiosk.start()
    try:
        kiosk.db.wait_open()
        assert kiosk.wait_started(30)
        assert kiosk.smart.wait_loaded(30)
        board = {h.name: h for h in kiosk.health.snapshot()}
        assert board["storage"].ok and board["content"].ok and board["triage"].ok
        assert kiosk.identity is not None
        # The packaged default port /dev/kiosk/idreader does not exist here: reported, and the kiosk runs on.
        assert offline.wait(10)
        assert not {h.name: h for h in kiosk.health.snapshot()}["idcard"].ok
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
    kiosk.bus.subscribe(SubsystemFailed, lambda e: e.subsystem == "storage" and seen.append(e))
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
    assert [f.code for f in failures if f.subsystem == "storage"] == ["DB-001"]


def test_a_full_disk_shows_on_the_board_and_is_reported_once_there_is_room(clean_env, monkeypatch):
    monkeypatch.setenv("KIOSK_FLEET__ENABLED", "true")
    monkeypatch.setenv("KIOSK_FLEET__TLS", "false")
    monkeypatch.setenv("KIOSK_FLEET__START_JITTER_S", "3600")  # no broker here: the agent stays unconnected
    kiosk = build(load(), clock=FakeClock())
    given_up = threading.Event()
    kiosk.bus.subscribe(SubsystemFailed, lambda e: e.subsystem == "storage" and given_up.set())
    kiosk.start()
    try:
        assert kiosk.wait_started(30)
        assert kiosk.outbox.flush()
        kiosk.db.call(lambda d: d.execute(f"PRAGMA max_page_count = {d.execute('PRAGMA page_count').fetchone()[0]}"))
        for i in range(2000):
            kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"btn{i % 7}"})
        assert given_up.wait(30)
        line = {h.name: h for h in kiosk.health.snapshot()}["storage"]
        assert (line.ok, line.code) == (False, "DB-004")
        kiosk.db.call(lambda d: d.execute("PRAGMA max_page_count = 1073741823"))
        assert kiosk.outbox.flush() and kiosk.outbox.flush()  # the second: the recovery's own record
        assert {h.name: h for h in kiosk.health.snapshot()}["storage"].ok
        assert kiosk.outbox.positions()["ui"].last_seq == 2000
        hw = protocol.decode(protocol.Kind.TELEMETRY,
                             kiosk.outbox.read("hw", 1, 100, 100_000).payload(protocol.ClockState()))
        storage = [fields for _kind, fields in map(hw.vocab.__getitem__, hw.x) if fields.get("device") == "storage"]
        assert storage == [{"device": "storage", "code": "DB-004", "active": True},  # the server hears of it after
                           {"device": "storage", "code": "DB-004", "active": False}]
    finally:
        kiosk.stop()


def test_what_happens_before_the_outbox_is_built_is_stored_first_and_in_order(clean_env, monkeypatch):
    monkeypatch.setenv("KIOSK_FLEET__ENABLED", "true")
    monkeypatch.setenv("KIOSK_FLEET__TLS", "false")
    monkeypatch.setenv("KIOSK_FLEET__START_JITTER_S", "3600")  # no broker here: the agent stays unconnected
    kiosk = build(load(), clock=FakeClock())
    kiosk.start(after_first_frame=True)
    try:
        kiosk.bus.publish(ScreenShown("attract"))  # the first frame's screen, before the outbox exists
        assert kiosk.outbox is None
        kiosk.on_ui_ready()
        kiosk.bus.publish(ControlTapped("attract", "attract.start"))
        assert kiosk.wait_started(30)
        assert kiosk.outbox.flush()
        ui = protocol.decode(protocol.Kind.TELEMETRY,
                             kiosk.outbox.read("ui", 1, 100, 100_000).payload(protocol.ClockState()))
        assert [kind for kind, _fields in map(ui.vocab.__getitem__, ui.x)] == ["ui.view", "ui.tap"]
    finally:
        kiosk.stop()


def test_building_the_graph_leaves_the_outboxs_libraries_for_after_the_first_frame(clean_env):
    """Importing them (SQLite's library, pydantic for the fleet protocol) took 0.25 s of the UI thread's CPU."""
    probe = ("import sys; from kiosk.runtime.runner import prepare; prepare(dev=False); "
             "print(sorted({'sqlite_utils', 'pydantic', 'kiosk.fleet.outbox'} & set(sys.modules)))")
    env = {**os.environ, "KIOSK_FLEET__ENABLED": "true", "KIOSK_FLEET__TLS": "false"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"
