"""Alerts end to end (issue 16 item 3): two `kiosk fleet serve` workers on one PostgreSQL with alert thresholds and
a group-robot webhook in their settings file, a real agent on the broker: its printer runs out of paper, it goes
offline, it comes back; the robot hears of each opening and closing exactly once."""

from __future__ import annotations

from tests.integration.fleet.conftest import KioskUnderTest, wait_until
from tests.integration.fleet.workers import Worker
from tests.webhook_receiver import Receiver


def test_paper_out_and_offline_reach_the_robot_once_from_two_workers(tmp_path, broker, postgres):
    db = postgres.database()
    settings = tmp_path / "console.toml"
    with Receiver() as robot:
        settings.write_text(f'[alerts]\noffline_after_min = 0.05\ncheck_every_s = 0.3\n\n'
                            f'[webhook]\nurl = "{robot.url}"\nsecret = "SEC-test"\n', encoding="utf-8")
        workers = [Worker(db, broker, f"fleet-ingest-{n}", tmp_path, "--config", str(settings)) for n in (1, 2)]
        kiosk = KioskUnderTest(tmp_path / "k-0001", broker, "k-0001")
        try:
            for worker in workers:
                worker.start()
            kiosk.start()
            kiosk.outbox.record("hw", "printer.paper", {"state": "out"})
            wait_until(lambda: any("缺纸" in text for text in robot.texts()), timeout_s=30, what="paper-out alert")
            kiosk.outbox.record("hw", "printer.paper", {"state": "ok"})
            wait_until(lambda: any(text.startswith("【已恢复】打印机纸张") for text in robot.texts()), timeout_s=30,
                       what="paper alert closed")
            kiosk.agent.stop()
            wait_until(lambda: any(text.startswith("【告警】终端离线") for text in robot.texts()), timeout_s=30,
                       what="offline alert")
            kiosk.agent.start()
            wait_until(lambda: any(text.startswith("【已恢复】终端离线") for text in robot.texts()), timeout_s=30,
                       what="offline alert closed")
            heads = [text.split(" · ")[0] for text in robot.texts()]
        finally:
            kiosk.stop()
            for worker in workers:
                worker.stop()
    assert sorted(heads) == sorted(["【告警】打印机纸张", "【已恢复】打印机纸张", "【告警】终端离线", "【已恢复】终端离线"])
    assert all({"timestamp", "sign"} <= set(query) for query, _message in robot.received)
