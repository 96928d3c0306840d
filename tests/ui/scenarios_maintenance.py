"""Scenarios of the maintenance menu's pages (issue 17 item 7): the journal filtered by level, the network, the
telemetry backlog waiting while no broker answers, settings changed by touch, and a reboot that asks twice. The fleet link is on, pointed at a
closed port (tests/ui/test_maintenance_pages.py sets it up), and journalctl is tests/ui/standins/journalctl."""

from __future__ import annotations

import re
from pathlib import Path

from tests.ui.harness import Driver, find_buttons


async def _open_page(d: Driver, title: str, name: str) -> None:
    menu = d.app.screen("maintenance")
    await d.tap_widget(find_buttons(menu, title)[0])
    await d.until(lambda: menu.page == name, f"the {name} page")


async def scenario_maintenance_pages(d: Driver) -> None:
    """Each page opened by its tab, looked at, and what it says reported."""
    _ = d.app._
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance") and d.kiosk.fleet is not None, "maintenance menu, fleet agent")
    menu = d.app.screen("maintenance")

    await _open_page(d, _("maintenance.page.logs"), "logs")
    logs = menu.ids.body.children[0]
    await d.until(lambda: "PRN-040" in logs.text, "the journal's entries")
    d.report["logs_warning"] = logs.text
    await d.shot("maintenance_logs")
    await d.tap_widget(find_buttons(logs, _("maintenance.logs.level.error"))[0])
    await d.until(lambda: "IDR-001" not in logs.text and "PRN-040" in logs.text, "errors only")
    d.report["logs_error"] = logs.text
    await d.tap_widget(find_buttons(logs, _("maintenance.logs.level.all"))[0])
    await d.until(lambda: "starting" in logs.text, "every entry")
    d.report["logs_all"] = logs.text

    await _open_page(d, _("maintenance.page.network"), "network")
    network = menu.ids.body.children[0]
    await d.until(lambda: "时钟" in network.text, "the network facts")
    d.report["network"] = network.text
    await d.shot("maintenance_network")

    d.kiosk.outbox.record("ui", "ui.tap", {"screen": "maintenance", "control": "test"})
    await _open_page(d, _("maintenance.page.backlog"), "backlog")
    backlog = menu.ids.body.children[0]
    await d.until(lambda: re.search(r"界面点击：待上报 [1-9]", backlog.text), "the events waiting in the outbox")
    d.report["backlog"] = backlog.text
    await d.shot("maintenance_backlog")

    await _open_page(d, _("maintenance.page.settings"), "settings")
    settings = menu.ids.body.children[0]

    def row(key: str):
        return next(r for r in settings.ids.rows.children if r.setting.key == key)

    d.report["settings_keys"] = [r.setting.key for r in reversed(settings.ids.rows.children)]
    await d.frames(3)  # the rows laid out
    idle_s = row("session.idle_timeout_s").setting.value
    d.report["idle_before"] = idle_s
    await d.tap_widget(find_buttons(row("session.idle_timeout_s"), "＋")[0])
    await d.until(lambda: row("session.idle_timeout_s").setting.value == idle_s + 5, "the idle timeout stepped up")
    await d.frames(3)  # the rows built again with the new values
    await d.tap_widget(find_buttons(row("speech.enabled"), _("maintenance.settings.flip"))[0])
    await d.until(lambda: row("speech.enabled").setting.value is False, "speech switched off")
    d.report["settings_saved"] = settings.message
    await d.shot("maintenance_settings")
    await d.frames(3)
    await d.tap_widget(find_buttons(row("speech.volume"), "＋")[0])
    d.report["settings_at_bound"] = settings.message
    d.report["overrides"] = (d.outdir / "overrides.toml").read_text()
    d.report["config_after"] = [d.kiosk.config.session.idle_timeout_s, d.kiosk.config.speech.enabled]

    await _open_page(d, _("maintenance.page.power"), "power")
    power = menu.ids.body.children[0]
    await d.tap_widget(find_buttons(power, _("maintenance.power.reboot"))[0])
    d.report["reboot_first_tap"] = power.message
    await d.shot("maintenance_power")
    await d.tap_widget(find_buttons(power, _("maintenance.power.reboot_again"))[0])
    await d.until(lambda: power.message.startswith("重启终端失败"), "the reboot refused outside systemd")
    d.report["reboot_second_tap"] = power.message

    await _open_page(d, _("maintenance.page.overview"), "overview")
    d.report["overview_back"] = bool(find_buttons(menu.ids.body, _("maintenance.test_print")))
    d.report["audit"] = d.kiosk.db.call(
        lambda db: [[r["action"], r["detail"]] for r in db["audit_log"].rows_where(order_by="id")])


SCENARIOS = {"maintenance_pages": scenario_maintenance_pages}


async def scenario_maintenance_diag(d: Driver) -> None:
    """导出诊断包 with no stick in (the configured directory not there yet), then with one: the technician is told
    which, and the bundle is on the stick."""
    _ = d.app._
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance") and d.kiosk.wait_started(0), "maintenance menu, services")
    menu = d.app.screen("maintenance")
    export = find_buttons(menu, _("maintenance.diag.export"))[0]
    await d.tap_widget(export)
    await d.until(lambda: menu.test_text.startswith("没有找到U盘"), "no stick said")
    d.report["without_stick"] = menu.test_text
    await d.shot("maintenance_diag_no_stick")
    stick = Path(d.kiosk.config.maintenance.bundle_dir)
    stick.mkdir()  # the technician plugs the stick in
    await d.tap_widget(export)
    await d.until(lambda: menu.test_text.startswith("诊断包已存到U盘"), "bundle written")
    d.report["with_stick"] = menu.test_text
    d.report["on_stick"] = sorted(p.name for p in stick.iterdir())
    await d.shot("maintenance_diag_written")
    d.report["audit"] = d.kiosk.db.call(
        lambda db: [[r["action"], r["detail"]] for r in db["audit_log"].rows_where("action = 'diag_bundle'",
                                                                                 order_by="id")])


SCENARIOS["maintenance_diag"] = scenario_maintenance_diag


async def scenario_maintenance_printer(d: Driver) -> None:
    """A test slip on the simulator shows on the overview's printer counters; 换了切刀 asks again, then the cutter's
    count restarts and the head's stays."""
    _ = d.app._
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance") and d.kiosk.printing is not None
                  and d.kiosk.printing.state.value == "online", "maintenance menu, printer online")
    menu = d.app.screen("maintenance")
    d.report["before"] = menu.printer_text
    await d.tap_widget(find_buttons(menu, _("maintenance.test_print"))[0])
    await d.until(lambda: menu.test_text == _("maintenance.test_ok"), "test slip printed", timeout_s=60)
    await d.until(lambda: "已切纸 1 次" in menu.printer_text, "the cut counted")
    d.report["after_print"] = menu.printer_text
    d.report["inventory"] = d.kiosk.printer_counters.inventory()
    await d.tap_widget(find_buttons(menu, _("maintenance.printer.reset_cutter"))[0])
    d.report["confirm"] = menu.test_text
    await d.shot("maintenance_printer_confirm")
    await d.tap_widget(find_buttons(menu, _("maintenance.printer.reset_again"))[0])
    await d.until(lambda: menu.test_text == _("maintenance.printer.reset_done", part="切刀"), "cutter reset")
    await d.until(lambda: "已切纸 0 次" in menu.printer_text, "the cutter's count restarted")
    d.report["after_reset"] = menu.printer_text
    await d.shot("maintenance_printer_reset")
    d.report["audit"] = d.kiosk.db.call(
        lambda db: [[r["action"], r["detail"]] for r in db["audit_log"].rows_where(
            "action IN ('printer_test', 'printer_counter_reset')", order_by="id")])


SCENARIOS["maintenance_printer"] = scenario_maintenance_printer


async def scenario_maintenance_printer_interrupted(d: Driver) -> None:
    """Started after a power cut mid-slip (the test left the database so): a citizen at the screen sees the attract
    screen as after any start; the overview's printer block tells the technician what the last run left unfinished."""
    await d.until(lambda: d.on_screen("attract") and d.kiosk.printing is not None, "attract screen, printer started")
    d.report["screen"] = d.app.root.manager.current
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    menu = d.app.screen("maintenance")
    await d.until(lambda: "中断" in menu.printer_text, "the interrupted slip told")
    d.report["printer"] = menu.printer_text
    await d.shot("overview")


SCENARIOS["maintenance_printer_interrupted"] = scenario_maintenance_printer_interrupted


def tap_that_closes(widget) -> None:
    """A real touch on a button that restarts the app: no frame follows it to wait for (Driver.tap waits)."""
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    touch.touch_up()


async def scenario_safe_mode_enter(d: Driver) -> None:
    """重启 → 进入安全模式 asks again, then writes the request and restarts the app (which closes)."""
    from kiosk.runtime import safe_mode

    _ = d.app._
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    await _open_page(d, _("maintenance.page.power"), "power")
    power = d.app.screen("maintenance").ids.body.children[0]
    d.report["before"] = power.message
    await d.tap_widget(find_buttons(power, _("maintenance.power.enter_safe_mode"))[0])
    d.report["confirm"] = power.message
    await d.shot("safe_mode_confirm")
    data_dir = Path(d.kiosk.config.paths.data_dir)
    d.report["requested_before"] = safe_mode.requested(data_dir)
    tap_that_closes(find_buttons(power, _("maintenance.power.safe_mode_again"))[0])
    await d.until(lambda: safe_mode.requested(data_dir) is not None, "the request written")
    d.report["requested"] = safe_mode.requested(data_dir)
    d.report["audit"] = d.kiosk.db.call(lambda db: [r["action"] for r in db["audit_log"].rows_where(order_by="id")])


async def scenario_safe_mode_paused(d: Driver) -> None:
    """Started with a technician's request: citizens see 暂停服务 (no banner, devices off, citizen screens refused);
    the hidden gesture opens the PIN pad and the menu, whose 重启 page says why and leaves safe mode."""
    from kiosk.runtime import safe_mode

    _ = d.app._
    await d.until(lambda: d.on_screen("maintenance_paused") and d.kiosk.wait_started(0), "暂停服务, services")
    d.app.show("home")
    await d.frames(2)
    d.note_screen()
    d.report["banner_paused"] = d.app.safe_mode_text
    d.report["devices_off"] = d.kiosk.printing is None and d.kiosk.identity is None
    await d.shot("paused")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    d.report["banner_menu"] = d.app.safe_mode_text
    await _open_page(d, _("maintenance.page.power"), "power")
    power = d.app.screen("maintenance").ids.body.children[0]
    d.report["power"] = power.message
    await d.shot("safe_mode_power")
    data_dir = Path(d.kiosk.config.paths.data_dir)
    tap_that_closes(find_buttons(power, _("maintenance.power.leave_safe_mode"))[0])
    await d.until(lambda: safe_mode.requested(data_dir) is None, "the request withdrawn")
    d.report["audit"] = d.kiosk.db.call(lambda db: [r["action"] for r in db["audit_log"].rows_where(order_by="id")])


SCENARIOS["safe_mode_enter"] = scenario_safe_mode_enter
SCENARIOS["safe_mode_paused"] = scenario_safe_mode_paused
