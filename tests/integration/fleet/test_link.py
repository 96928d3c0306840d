"""Agent and console over a real Mosquitto: birth, presence, telemetry acked after commit, counted once."""

from __future__ import annotations

import json

from tests.integration.fleet.conftest import wait_until

SESSION = "a" * 32


def record_usage(kiosk, n: int) -> None:
    for i in range(n):
        kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 5}"})
        if i % 10 == 0:
            kiosk.outbox.record("usage", "consult.started", {"session": SESSION, "topic": "labor"})


def test_birth_presence_and_telemetry_exactly_once(fleet_parts):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    kiosk = make_kiosk().start()
    record_usage(kiosk, 500)
    wait_until(lambda: server.event_count() == 550, what="550 events stored")
    wait_until(lambda: kiosk.outbox.positions()["ui"].backlog == 0, what="kiosk outbox emptied by acks")
    assert kiosk.outbox.positions()["ui"].acked_seq == 500
    wait_until(lambda: kiosk.db.call(lambda d: d.execute("SELECT COUNT(*) FROM outbox_chunks").fetchone()[0]) == 0,
               what="acked chunks deleted")
    [row] = server.rows("SELECT online, sess, sw, birth FROM kiosks WHERE kid = 'k-0001'")
    assert row[0] == 1 and row[1] >= 1 and row[2] == "legal-kiosk test"
    hw = json.loads(row[3])["hw"]
    assert hw["printer"] == "sim" and hw["outbox_unwritten_dropped"] == 0 and hw["outbox_window_ms_max"] >= 0
    assert server.scalar("SELECT COUNT(DISTINCT seq) FROM events WHERE stream = 'ui'") == 500
    wait_until(lambda: kiosk.agent.status()["clock_offset_ms"] is not None, what="clock offset estimated")
    kiosk.stop()
    wait_until(lambda: server.scalar("SELECT online FROM kiosks WHERE kid = 'k-0001'") == 0,
               what="clean shutdown seen as offline")
