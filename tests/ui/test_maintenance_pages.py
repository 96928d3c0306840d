"""The maintenance menu's pages at the panel's 1080x1920 (issue 17 item 7): journal, network, backlog, settings,
reboot."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.integration.fleet.conftest import free_port
from tests.ui.runner import run_scenario

pytestmark = pytest.mark.ui

STANDINS = Path(__file__).with_name("standins")


def test_a_technician_reads_the_journal_network_backlog_and_can_reboot(display, tmp_path):
    # The bureau's broker is not there (a closed port): telemetry waits in the outbox and the network page says so.
    env = {"PATH": f"{STANDINS}:{os.environ['PATH']}", "KIOSK_FLEET__ENABLED": "true", "KIOSK_FLEET__TLS": "false",
           "KIOSK_FLEET__PORT": str(free_port()), "KIOSK_FLEET__START_JITTER_S": "0"}
    report = run_scenario("maintenance_pages", display, tmp_path, full_panel=True, env=env)
    assert "错误  subsystem printer failed to start: PRN-040" in report["logs_warning"]
    assert "警告  ID card reader offline" in report["logs_warning"] and "starting" not in report["logs_warning"]
    assert "IDR-001" not in report["logs_error"] and "信息  kiosk k-0001 starting" in report["logs_all"]
    network = report["network"]
    assert "本机地址：" in network and "DNS 服务器：" in network and "时钟：" in network
    assert "司法局服务器 127.0.0.1:" in network and "连不上" in network and "不使用 TLS" in network
    assert report["backlog"].startswith("未连接，服务器离线")
    assert {"session.idle_timeout_s", "speech.enabled", "logging.level"} <= set(report["settings_keys"])
    assert "kiosk.site_name" not in report["settings_keys"]  # text is typed in kiosk.toml, not on the panel
    assert report["settings_saved"] == "已保存 speech.enabled = false，重启软件后生效。"
    assert report["settings_at_bound"] == "speech.volume 已经到了允许的最大或最小值。"
    idle_s = report["idle_before"] + 5  # one step of a number of seconds ≥ 10
    assert f"idle_timeout_s = {idle_s}" in report["overrides"] and "enabled = false" in report["overrides"]
    assert report["config_after"] == [idle_s, False]
    assert ["setting_changed", f"session.idle_timeout_s={idle_s}"] in report["audit"]
    assert report["reboot_first_tap"] == "重启终端会中断服务一两分钟。确认要重启，请再按一次。"
    assert "not started by systemd" in report["reboot_second_tap"]
    assert report["overview_back"] is True
    assert ["maintenance_page", "logs"] in report["audit"] and ["reboot", ""] in report["audit"]


def test_a_technician_exports_the_diagnostic_bundle_to_a_usb_stick(display, tmp_path):
    stick = tmp_path / "stick"  # a directory standing for the stick, absent until it is "plugged in"
    env = {"PATH": f"{STANDINS}:{os.environ['PATH']}", "KIOSK_MAINTENANCE__BUNDLE_DIR": str(stick)}
    report = run_scenario("maintenance_diag", display, tmp_path, full_panel=True, env=env)
    assert report["without_stick"] == "没有找到U盘。请插上U盘，等几秒钟再点“导出诊断包”。"
    (name,) = report["on_stick"]
    assert name.startswith("kiosk-diag-") and name.endswith(".zip")
    assert report["with_stick"].startswith(f"诊断包已存到U盘：{name}（") and report["with_stick"].endswith("现在可以拔下U盘。")
    assert report["audit"] == [["diag_bundle", "DIA-001"], ["diag_bundle", name]]
    with zipfile.ZipFile(stick / name) as bundle:
        summary = json.loads(bundle.read("summary.json"))
    assert summary["running"]["health"] and summary["journal"]["entries"] == 3


def test_the_overview_counts_the_printers_cuts_and_paper_and_a_technician_resets_the_cutter(display, tmp_path):
    report = run_scenario("maintenance_printer", display, tmp_path, full_panel=True)
    assert report["before"].startswith("切刀：已切纸 0 次，约为额定寿命的 0.0%\n")
    cutter, head, paper_outs = report["after_print"].splitlines()
    assert cutter.startswith("切刀：已切纸 1 次，约为额定寿命的 0.0%（") and paper_outs == "缺纸：共 0 次"
    assert head.startswith("打印头：已打印 0.") and "米纸" in head
    assert report["inventory"]["printer_cuts"] == 1 and report["inventory"]["printer_paper_mm"] > 0
    assert report["confirm"] == "确认已经换上新的切刀？切刀的计数将从零开始。请再按一次。"
    cutter_after, head_after, _ = report["after_reset"].splitlines()
    assert cutter_after.startswith("切刀：已切纸 0 次") and head_after == head
    assert report["audit"] == [["printer_test", "ok"], ["printer_counter_reset", "cutter"]]


def test_after_a_power_cut_mid_slip_the_technician_reads_it_was_interrupted_and_the_citizen_sees_nothing_odd(
        display, tmp_path):
    from kiosk.core.clock import SystemClock
    from kiosk.storage import print_jobs
    from kiosk.storage.db import Database
    from kiosk.storage.print_jobs import JobState

    db = Database(tmp_path / "maintenance_printer_interrupted" / "data" / "kiosk.db", SystemClock())
    db.start()
    for job_id, state in (("cut-off", JobState.PRINTING), ("behind", JobState.QUEUED)):  # as a kill leaves them
        db.call(print_jobs.record(job_id, number=f"k-0001-20261122-{job_id}", at="2026-11-22T09:00:00+08:00",
                                  state=state, attempts=1, size=2256))
    db.stop()
    report = run_scenario("maintenance_printer_interrupted", display, tmp_path, full_panel=True)
    assert report["screen"] == "attract"
    *_counters, interrupted, lost = report["printer"].splitlines()
    assert interrupted.startswith("打印中断（可能已打印）：1张。上次断电或重启时正在打印")
    assert lost.startswith("打印丢失：1张。上次断电或重启时还没开始打印")


def test_a_technician_restarts_the_kiosk_into_safe_mode(display, tmp_path):
    report = run_scenario("safe_mode_enter", display, tmp_path, full_panel=True)
    assert report["confirm"].startswith("进入安全模式后，打印机、读卡器和语音都会关闭")
    assert report["requested_before"] is None and report["requested"]["by"] == "technician"
    assert report["audit"][-1] == "enter_safe_mode"


def test_in_safe_mode_citizens_see_a_calm_pause_and_the_technician_leaves_it(display, tmp_path):
    data = tmp_path / "safe_mode_paused" / "data"
    data.mkdir(parents=True)
    (data / "safe_mode_requested").write_text(json.dumps({"by": "fleet", "at": "2026-11-22T09:30:00+08:00"}))
    report = run_scenario("safe_mode_paused", display, tmp_path, full_panel=True)
    assert report["safe_mode"] is True and report["screens"] == ["maintenance_paused"], "citizen screens refused"
    assert report["banner_paused"] == "" and report["devices_off"] is True
    assert report["banner_menu"] == "安全模式：维护中，设备已关闭，仅开放维护菜单"
    assert report["power"].startswith("现在是安全模式（司法局服务器在 2026-11-22 09:30 开启）")
    assert report["audit"][-1] == "leave_safe_mode"
    assert not (data / "safe_mode_requested").exists()
