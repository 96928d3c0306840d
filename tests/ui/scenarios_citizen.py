"""Scenarios of the citizen bar: 快速离开 mid-flow on a sensitive topic, the danger page, 长辈模式 offered by age."""

from __future__ import annotations

from tests.ui.harness import Driver, find_buttons


async def start_session(d: Driver) -> None:
    """Attract → a touch → home, with content and the card reader ready."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.identity is not None and d.kiosk.citizen.topics(),
                  "home, reader and content ready")


def citizen_bar(d: Driver):
    """The citizen bar above the screens (快速离开, 长辈模式, 朗读)."""
    return next(w for w in d.app.root.children if type(w).__name__ == "CitizenBar")


def bar_button(d: Driver, name: str):
    """A button of the citizen bar by its id (quick_exit, elderly)."""
    return citizen_bar(d).ids[name]


async def open_domestic_violence(d: Driver) -> None:
    """Home → 分类咨询 → 家庭暴力 → skip the card → the first question."""
    from tests.ui.harness import find_buttons_by_title

    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    flow = d.kiosk.consultations.pack.flow("domestic_violence")
    await d.tap_widget(find_buttons(d.app.screen("topics"), flow.title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.skip"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")


async def scenario_quick_exit(d: Driver) -> None:
    """A woman asking about domestic violence answers two questions, then leaves with 快速离开."""
    await start_session(d)
    d.report["bar_on_home"] = d.app.bar_shown
    await open_domestic_violence(d)
    consult = d.app.screen("consult")
    d.report["sensitive"] = d.app.sensitive
    d.report["idle_timeout_s"] = d.kiosk.session.idle_timeout_s
    d.report["header"] = consult.flow_title
    await d.shot("first_question")
    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, d.app._(dict(consult.interview.page.answer_keys())["no"]))[0])
    await d.until(lambda: consult.interview.page.id != "danger", "second question")
    d.report["danger_shown_after_no"] = bool(d.app.danger_steps)
    await d.shot("second_question")
    d.kiosk.clock.advance(d.kiosk.session.idle_timeout_s + 1)
    await d.until(lambda: d.app.countdown_seconds > 0, "countdown on a sensitive topic")
    countdown = next(w for w in d.app.root.children if type(w).__name__ == "CountdownOverlay")
    d.report["countdown_opaque"] = countdown.opaque
    await d.shot("sensitive_countdown")
    await d.tap_widget(bar_button(d, "quick_exit"))
    await d.until(lambda: d.on_screen("attract"), "attract after 快速离开")
    await d.shot("after_exit")
    d.report["session_after_exit"] = d.kiosk.session.state.value
    d.report["interview_after_exit"] = d.kiosk.citizen.interview is not None
    d.report["sensitive_after_exit"] = d.app.sensitive
    d.report["idle_timeout_after_exit"] = d.kiosk.session.idle_timeout_s
    d.report["bar_after_exit"] = d.app.bar_shown


async def scenario_danger(d: Driver) -> None:
    """'您现在有危险吗？' → 是: 110 and the first steps at once, before any review page; then on."""
    await start_session(d)
    await open_domestic_violence(d)
    consult = d.app.screen("consult")
    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, d.app._(dict(consult.interview.page.answer_keys())["yes"]))[0])
    await d.until(lambda: bool(d.app.danger_steps), "danger page")
    d.report["state_under_danger"] = consult.interview.state.value
    d.report["steps"] = list(d.app.danger_steps)
    await d.shot("danger")
    overlay = next(w for w in d.app.root.children if type(w).__name__ == "DangerOverlay")
    await d.tap_widget(find_buttons(overlay, d.app._("danger.continue"))[0])
    await d.until(lambda: not d.app.danger_steps, "danger page closed")
    d.report["screen_after"] = d.app.current_screen
    await d.shot("after_danger")


async def scenario_elderly_offer(d: Driver) -> None:
    """A card of a citizen born in 1950 is read with consent: 长辈模式 is offered; accepted, text grows; the
    session's end brings the normal look back."""
    await start_session(d)
    normal_body = d.app.theme.font_body_px
    from tests.ui.harness import find_buttons_by_title

    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    flow = d.kiosk.consultations.pack.flow("labor")
    await d.tap_widget(find_buttons(d.app.screen("topics"), flow.title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card consent")
    consent = d.app.screen("consent")
    await d.tap_widget(find_buttons(consent, d.app._("consent.agree"))[0])
    d.kiosk.devices.idcard.simulator.present("rare_long_term")
    await d.until(lambda: d.app.elderly_offer_open, "长辈模式 offered")
    await d.shot("offer")
    offer = next(w for w in d.app.root.children if type(w).__name__ == "ElderlyOffer")
    await d.tap_widget(find_buttons(offer, d.app._("elderly.offer.yes"))[0])
    await d.until(lambda: d.app.elderly, "长辈模式 on")
    await d.restyled()
    d.report["body_px"] = [normal_body, d.app.theme.font_body_px]
    d.report["idle_timeout_s"] = d.kiosk.session.idle_timeout_s
    await d.tap_widget(find_buttons(consent, d.app._("consent.continue"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")
    await d.shot("elderly_question")
    d.kiosk.clock.advance(d.kiosk.session.idle_timeout_s + d.kiosk.config.session.countdown_s + 2)
    await d.until(lambda: d.on_screen("attract"), "wiped after idle")
    d.report["elderly_after_end"] = d.app.elderly
    d.report["body_after_end"] = d.app.theme.font_body_px


SCENARIOS = {"quick_exit": scenario_quick_exit, "danger": scenario_danger, "elderly_offer": scenario_elderly_offer}
