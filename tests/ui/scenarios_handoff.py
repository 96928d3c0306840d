"""Scenarios of 找人工帮忙: reached from smart consultation's 都不是 and from the home tile; 呼叫工作人员 rings the
site's bell once per cool-down; a bell that fails sends the citizen to the window and shows on the health board;
a site with a video-call link shows it as a QR code. The tests configure the site in OUTDIR/overrides.toml."""

from __future__ import annotations

from kiosk.core.events import TriageChosen
from tests.ui.harness import Driver, find_buttons, find_buttons_by_title
from tests.ui.scenarios_citizen import bar_button


async def _touch_to_home(d: Driver) -> None:
    """Attract → home once triage has loaded and the content pack has tried to (a person is reachable either way)."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.smart.ready and "content" in _board(d),
                  "home screen, triage model and content pack")


def _staff_call_audit(d: Driver) -> list[list[str]]:
    return d.kiosk.db.call(lambda db: [[r["actor"], r["action"], r["detail"]]
                                       for r in db["audit_log"].rows_where("action = 'staff_call'", order_by="id")])


def _board(d: Driver) -> dict:
    return {h.name: [h.ok, h.code] for h in d.kiosk.health.snapshot()}


async def _open_page_from_home(d: Driver):
    await _touch_to_home(d)
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.hotline"))[0])
    await d.until(lambda: d.on_screen("hotline"), "hand-off page")
    return d.app.screen("hotline")


async def scenario_handoff_bell(d: Driver) -> None:
    """智能咨询 → a question → 都不是，找人工帮忙 → the hand-off page; 呼叫工作人员 rings the bell, and a second tap
    within the cool-down is answered calmly without ringing again."""
    await _touch_to_home(d)
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.smart"))[0])
    await d.until(lambda: d.on_screen("smart_consult"), "smart consultation")
    smart = d.app.screen("smart_consult")
    chosen = []
    d.kiosk.bus.subscribe(TriageChosen, lambda e: chosen.append(e.topic_id))
    smart.ids.question.text = "公司股东之间怎么分红"
    await d.tap_widget(find_buttons(smart, d.app._("smart.find"))[0])
    await d.until(lambda: find_buttons(smart.ids.results, d.app._("smart.none")), "results with 都不是")
    await d.input_ready(smart.ids.results)
    await d.tap_widget(find_buttons(smart.ids.results, d.app._("smart.none"))[0])
    await d.until(lambda: d.on_screen("hotline"), "hand-off page")
    d.report["chosen"] = chosen
    d.report["interview_started"] = d.kiosk.citizen.interview is not None
    page = d.app.screen("hotline")
    await d.until(lambda: "staff_call" in _board(d), "bell checked at start")
    d.report["board_at_start"] = _board(d)["staff_call"]
    d.report["can_call"] = page.can_call
    d.report["has_referral"] = page.has_referral
    d.report["texts"] = [getattr(w, "paragraph", "") or w.text for w in page.walk() if getattr(w, "text", "")]
    await d.shot("page")
    await d.tap_widget(page.ids.call)
    await d.until(lambda: page.call_message == d.app._("hotline.called"), "staff called")
    await d.shot("called")
    await d.tap_widget(page.ids.call)
    await d.until(lambda: page.call_message == d.app._("hotline.call_again"), "second tap answered")
    d.report["audit"] = _staff_call_audit(d)
    await d.shot("call_again")
    await d.tap_widget(bar_button(d, "elderly"))
    await d.until(lambda: d.app.elderly, "长辈模式")
    await d.shot("elderly")
    page.ids.scroll.scroll_y = 0  # scrolled to the legal-aid centre, then home and back again
    await d.tap_widget(find_buttons(page, d.app._("common.home"))[0])
    await d.until(lambda: d.on_screen("home"), "home again")
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.hotline"))[0])
    await d.until(lambda: d.on_screen("hotline"), "hand-off page again")
    d.report["on_return"] = [page.ids.scroll.scroll_y, page.call_message]


async def scenario_handoff_bell_missing(d: Driver) -> None:
    """The home tile → the hand-off page; the bell's port is missing: the tap sends the citizen to the window and
    12348, and the technician's health board shows the coded fault."""
    page = await _open_page_from_home(d)
    await d.until(lambda: "staff_call" in _board(d), "bell checked at start")
    d.report["board_at_start"] = _board(d)["staff_call"]
    await d.tap_widget(page.ids.call)
    failed = d.app._("hotline.call_failed", location=d.kiosk.config.handoff.staff_location)
    await d.until(lambda: page.call_message == failed, "failure told calmly")
    d.report["message"] = page.call_message
    d.report["audit"] = _staff_call_audit(d)
    await d.shot("failed")
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    menu = d.app.screen("maintenance")
    d.report["health_text"] = menu.health_text
    await d.shot("health_board")
    await d.tap_widget(find_buttons(menu, d.app._("maintenance.exit"))[0])  # stops the board's refresh timer
    await d.until(lambda: not d.on_screen("maintenance"), "menu closed")


async def scenario_handoff_video(d: Driver) -> None:
    """The home tile → the hand-off page of a site with a video-call link instead of a bell."""
    page = await _open_page_from_home(d)
    d.report["can_call"] = page.can_call
    d.report["call_button_height"] = page.ids.call.height
    d.report["video_qr"] = page.video_qr is not None
    d.report["board"] = _board(d).get("staff_call")
    await d.shot("page")
    await d.tap_widget(find_buttons(page, d.app._("hotline.referral"))[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer before the referral questions")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.skip"))[0])
    await d.until(lambda: d.on_screen("consult"), "the referral flow's first question")
    d.report["flow"] = d.kiosk.citizen.interview.flow.id


SCENARIOS = {"handoff_bell": scenario_handoff_bell, "handoff_bell_missing": scenario_handoff_bell_missing,
             "handoff_video": scenario_handoff_video}
