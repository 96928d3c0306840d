"""Drives the real kiosk app under Xvfb through a named scenario and writes a JSON report with screenshots.

Why a subprocess: Kivy's window and event loop can be created once per process; each scenario gets a fresh
process, a fresh data directory and a fake clock the script advances, so timeouts need no real waiting.
Run by tests/ui/test_*.py as `python -m tests.ui.harness SCENARIO OUTDIR [SCALE]`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

from kiosk.core.events import SatisfactionRated, TriageChosen

STEP_TIMEOUT_S = 20.0
RESTYLE_TIMEOUT_S = 60.0
"""A theme switch runs its kv rules a slice of each frame (kiosk.ui.restyle): forty-odd frames, which a software
renderer on a loaded machine draws at two a second."""
POLL_S = 0.02


class Driver:
    """Taps, waits for conditions (with a deadline) and takes screenshots of the running app."""

    def __init__(self, app, kiosk, outdir: Path) -> None:
        self.app, self.kiosk, self.outdir = app, kiosk, outdir
        self.report: dict = {"screens": [], "shots": {}}
        self.probe = None
        """A tests.ui.frame_probe.FrameProbe when the scenario measures the UI thread (the UI benchmark)."""

    async def until(self, condition, what: str, timeout_s: float = STEP_TIMEOUT_S) -> None:
        """Poll `condition()` each frame until true; fail the scenario after `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not condition():
            if loop.time() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(POLL_S)

    def on_screen(self, name: str) -> bool:
        """Whether `name` is current and its transition has finished (touches are ignored mid-transition)."""
        manager = self.app.root.manager
        return manager.current == name and not manager.transition.is_active

    async def frames(self, count: int = 3) -> None:
        """Let Kivy draw a few frames (layout and textures settle)."""
        from kivy.clock import Clock

        start = Clock.frames_displayed
        await self.until(lambda: Clock.frames_displayed >= start + count, f"{count} frames")

    async def set_elderly(self, on: bool) -> None:
        """Switch 长辈模式 as the bar's button does and wait until every page has its new look (kiosk.ui.restyle)."""
        self.app.set_elderly(on)
        await self.restyled()

    async def restyled(self) -> None:
        """Wait until a theme switch has reached every widget."""
        await self.until(lambda: not self.app.restyle.busy, "the new look on every page", RESTYLE_TIMEOUT_S)

    async def tap(self, x: float, y: float) -> None:
        """A touch down and up at window pixel (x, y), through Kivy's real input dispatch."""
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        if self.probe is None:
            touch.touch_down()
            touch.touch_up()
        else:
            self.probe.held(touch.touch_down)
            self.probe.held(touch.touch_up)
        self.report["taps"] = self.report.get("taps", 0) + 1
        await self.button_releases()
        await self.frames(2)

    async def button_releases(self) -> None:
        """Wait until a button's deferred release has run: a tap shorter than `min_state_time` releases later.

        A marker scheduled now with the same delay is due no earlier and sits after it in Kivy's event list, so
        when the marker has fired the release has too (otherwise it could fire after the app stopped).
        """
        from kivy.clock import Clock
        from kivy.config import Config

        fired: list[bool] = []
        Clock.schedule_once(lambda _dt: fired.append(True), Config.getfloat("graphics", "min_state_time"))
        await self.until(lambda: fired, "deferred button release")

    async def input_ready(self, widget) -> None:
        """Wait until `widget` takes taps: a question page (or the topics smart consultation offers) ignores them
        for a moment after it appears; a widget without `accepts_input` always takes them."""
        await self.until(lambda: getattr(widget, "accepts_input", True), f"{type(widget).__name__} accepting input")

    def answer_example(self, flow_id: str, example: int = 0):
        """Start `flow_id` and answer one of its examples through the engine, not taps, up to the review page (for
        scenarios about what comes after the questions; other scenarios walk the questions); returns the
        interview."""
        interview = self.kiosk.citizen.begin(flow_id)
        answers = interview.flow.examples[example].answers
        while interview.state.value == "asking":
            interview.answer(answers[interview.page.id])
        return interview

    async def open_example_opinion(self, flow_id: str):
        """The opinion of `flow_id`'s first example, issued and on the screen; returns the opinion screen."""
        self.answer_example(flow_id)
        self.kiosk.citizen.issue_opinion()
        self.app.show("opinion")
        await self.until(lambda: self.on_screen("opinion"), "opinion screen")
        return self.app.screen("opinion")

    async def open_maintenance(self, pin: str) -> None:
        """The technician's way in: five taps in the top-left corner, then `pin` on the PIN pad and 确定."""
        from kivy.core.window import Window

        for _ in range(self.kiosk.config.maintenance.gesture_taps):
            await self.tap(5, Window.height - 5)
        await self.until(lambda: self.on_screen("maintenance_pin"), "PIN pad")
        pin_screen = self.app.screen("maintenance_pin")
        for digit in pin:
            await self.tap_widget(find_buttons(pin_screen, digit)[0])
        await self.tap_widget(find_buttons(pin_screen, self.app._("common.confirm"))[0])

    async def read_card_for_application(self) -> None:
        """On the pre-application: 读取身份证, agree on the consent screen, the simulator's resident card is read,
        继续 back to the pre-application."""
        await self.tap_widget(find_buttons(self.app.screen("legal_aid_apply"), self.app._("apply.read_card"))[0])
        await self.until(lambda: self.on_screen("consent"), "consent to read the card")
        consent = self.app.screen("consent")
        await self.tap_widget(find_buttons(consent, self.app._("consent.agree"))[0])
        self.kiosk.devices.idcard.simulator.present("resident")
        await self.until(lambda: consent.done, "card read")
        await self.tap_widget(find_buttons(consent, self.app._("consent.continue"))[0])
        await self.until(lambda: self.on_screen("legal_aid_apply"), "back on the pre-application screen")

    async def tap_widget(self, widget) -> None:
        """Tap the centre of a widget."""
        x, y = widget.to_window(*widget.center)
        await self.tap(x, y)

    async def shot(self, name: str) -> None:
        """Save the window as OUTDIR/name.png."""
        from kivy.core.window import Window

        await self.frames(3)
        produced = Window.screenshot(name=str(self.outdir / f"{name}.png"))
        target = self.outdir / f"{name}.png"
        Path(produced).replace(target)
        self.report["shots"][name] = str(target)

    def note_screen(self) -> None:
        self.report["screens"].append(self.app.current_screen)


def find_buttons(widget, text: str):
    """Every widget under `widget` whose `text` equals `text`."""
    return [w for w in widget.walk() if getattr(w, "text", None) == text]


async def scenario_idle(d: Driver) -> None:
    """Attract → touch → home → idle countdown → wipe → attract."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    d.note_screen()
    await d.shot("attract")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home"), "home screen")
    d.note_screen()
    d.report["session_after_touch"] = d.kiosk.session.state.value
    await d.shot("home")
    d.kiosk.clock.advance(d.kiosk.config.session.idle_timeout_s + 1)
    await d.until(lambda: d.app.countdown_seconds > 0, "countdown")
    d.report["countdown_seconds"] = d.app.countdown_seconds
    await d.shot("countdown")
    d.kiosk.clock.advance(d.kiosk.config.session.countdown_s + 1)
    await d.until(lambda: d.on_screen("attract"), "back to attract")
    d.note_screen()
    d.report["session_after_timeout"] = d.kiosk.session.state.value


async def scenario_maintenance(d: Driver) -> None:
    """Five corner taps → PIN pad; a wrong PIN is refused; the right one opens the menu (audited)."""
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.open_maintenance("1111")
    pin_screen = d.app.screen("maintenance_pin")
    await d.until(lambda: pin_screen.message != "", "wrong-PIN message")
    d.report["wrong_pin_message"] = pin_screen.message
    await d.shot("pin_wrong")
    for digit in "2468":
        await d.tap_widget(find_buttons(pin_screen, digit)[0])
    await d.tap_widget(find_buttons(pin_screen, d.app._("common.confirm"))[0])
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    d.note_screen()
    await d.shot("maintenance")
    d.report["audit_actions"] = d.kiosk.db.call(
        lambda db: [r["action"] for r in db["audit_log"].rows_where(order_by="id")])
    d.report["config_text_has_origin"] = "[default]" in d.app.screen("maintenance").config_text
    d.report["health_text"] = d.app.screen("maintenance").health_text
    d.report["fleet_text_is_off"] = d.app.screen("maintenance").fleet_text == d.app._("maintenance.fleet.off")
    logging.getLogger("kiosk.harness").warning("printer PRN-099 (a problem logged for the menu to show)")
    await d.until(lambda: "PRN-099" in d.app.screen("maintenance").problems_text, "the problem on the menu")
    menu = d.app.screen("maintenance")
    await d.until(lambda: d.kiosk.printing is not None and d.kiosk.printing.state.value == "online", "printer online")
    await d.tap_widget(find_buttons(menu, d.app._("maintenance.test_print"))[0])
    await d.until(lambda: menu.test_text == d.app._("maintenance.test_ok"), "test slip printed", timeout_s=60)
    d.report["test_slip"] = "打印测试" in "".join(d.kiosk.devices.printer.simulator.printout.lines)
    await d.shot("maintenance_test_print")
    await d.until(lambda: d.kiosk.identity is not None, "reader service started")
    await d.tap_widget(find_buttons(menu, d.app._("maintenance.test_read"))[0])
    d.report["reader_waiting"] = menu.test_text == d.app._("maintenance.reader_waiting")
    d.kiosk.devices.idcard.simulator.present("resident")
    await d.until(lambda: menu.test_text.startswith("读卡正常"), "test read", timeout_s=60)
    d.report["reader_text"] = menu.test_text
    d.report["identity_after_test"] = d.kiosk.identity.identity
    await d.shot("maintenance_test_read")
    d.report["audit_after_test"] = d.kiosk.db.call(
        lambda db: [r["action"] for r in db["audit_log"].rows_where(order_by="id")])


async def scenario_safe_mode(d: Driver) -> None:
    """A crash loop boots to 暂停服务 (citizen screens are refused); the hidden gesture and the PIN open the menu
    under the safe-mode banner."""
    await d.until(lambda: d.on_screen("maintenance_paused"), "暂停服务")
    d.app.show("home")
    await d.frames(2)
    d.note_screen()
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    d.report["banner"] = d.app.safe_mode_text
    await d.shot("safe_mode")


async def scenario_consult(d: Driver) -> None:
    """Home → 分类咨询 → 劳动 → answers of the flow's first example by tapping → review → opinion on screen."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home"), "home screen")
    home = d.app.screen("home")
    await d.until(lambda: d.kiosk.identity is not None and d.kiosk.citizen.topics(), "reader and content ready")
    await d.tap_widget(find_buttons_by_title(home, d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    await d.shot("topics")
    topics = d.app.screen("topics")
    flow = d.kiosk.consultations.pack.flow("labor")
    await d.tap_widget(find_buttons(topics, flow.title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card consent")
    consent = d.app.screen("consent")
    d.report["read_before_consent"] = d.kiosk.identity.identity is not None
    await d.shot("consent")
    await d.tap_widget(find_buttons(consent, d.app._("consent.agree"))[0])
    d.kiosk.devices.idcard.simulator.present("resident")
    await d.until(lambda: consent.done, "card read")
    await d.shot("card_read")
    await d.tap_widget(find_buttons(consent, d.app._("consent.continue"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")
    consult = d.app.screen("consult")
    example = flow.examples[0]
    shots = 0
    while consult.interview.state.value == "asking":
        await d.input_ready(consult)
        page = consult.interview.page
        value = example.answers[page.id]
        if shots < 2:
            await d.shot(f"question{shots + 1}")
            shots += 1
        if page.kind.value in ("choice", "yesno"):
            label = page.option(value).label if page.option(value) else d.app._(dict(page.answer_keys())[value])
            await d.tap_widget(find_buttons(consult, label)[0])
        else:
            consult.submit(value)
            await d.frames(2)
        await d.until(lambda: consult.interview.state.value != "asking" or consult.interview.page.id != page.id,
                      f"page after {page.id}")
    d.report["outcome"] = consult.interview.outcome.id
    await d.input_ready(consult)
    await d.shot("review")
    await d.tap_widget(find_buttons(consult, d.app._("consult.review.issue"))[0])
    await d.until(lambda: d.on_screen("opinion"), "opinion screen")
    d.note_screen()
    await d.shot("opinion")
    doc = d.kiosk.citizen.opinion
    d.report["opinion_number"] = doc.number
    d.report["opinion_topic"] = doc.topic_id
    d.report["masked_id"] = doc.masked_id_number
    opinion_screen = d.app.screen("opinion")
    await d.until(lambda: d.kiosk.printing is not None and d.kiosk.printing.state.value == "online", "printer online")
    await d.tap_widget(find_buttons(opinion_screen, d.app._("printing.print"))[0])
    await d.until(lambda: opinion_screen.print_message == d.app._("printing.done"), "slip printed", timeout_s=60)
    printout = d.kiosk.devices.printer.simulator.printout
    d.report["printed_lines"] = len(printout.lines)
    d.report["printed_number"] = any(doc.number in line for line in printout.lines)
    d.report["printed_qr"] = printout.count("qr")
    d.report["printed_cut"] = printout.count("cut")
    await d.shot("printed")
    await d.tap_widget(find_buttons(opinion_screen, d.app._("opinion.finish"))[0])
    await d.until(lambda: d.on_screen("rating"), "satisfaction rating")
    await d.shot("rating")
    ratings = []
    d.kiosk.bus.subscribe(SatisfactionRated, ratings.append)
    await d.tap_widget(find_buttons(d.app.screen("rating"), d.app._("rating.4"))[0])
    await d.until(lambda: d.on_screen("attract"), "back to attract after rating")
    d.report["rating"] = [(r.level, r.topic_id) for r in ratings]
    d.report["wiped"] = (d.kiosk.citizen.interview is None and d.kiosk.citizen.opinion is None
                         and d.kiosk.identity.identity is None and not d.kiosk.identity.consent)


async def scenario_smart(d: Driver) -> None:
    """Home → 智能咨询 → type a question → likely topics → the chosen topic's first question."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.smart.ready and d.kiosk.identity is not None,
                  "home screen, triage model and reader")
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.smart"))[0])
    await d.until(lambda: d.on_screen("smart_consult"), "smart consultation")
    smart = d.app.screen("smart_consult")
    d.report["suggestions"] = len(smart.ids.suggestions.children)
    await d.shot("suggestions")
    chosen = []
    d.kiosk.bus.subscribe(TriageChosen, lambda e: chosen.append(e.topic_id))
    smart.ids.question.text = "老板拖欠工资三个月不给怎么办"
    await d.tap_widget(find_buttons(smart, d.app._("smart.find"))[0])
    await d.until(lambda: len(smart.ids.results.children) > 1, "ranked topics")
    d.report["offered"] = [b.text for b in reversed(smart.ids.results.children)]
    await d.shot("results")
    smart.ids.results.clear_widgets()  # back to the common questions: the folded keyboard must not eat taps
    await d.frames(3)
    await d.tap_widget(smart.ids.suggestions.children[-2])  # the second common question
    await d.until(lambda: len(smart.ids.results.children) > 1, "a common question tapped and ranked")
    d.report["suggestion_tap_worked"] = True
    await d.input_ready(smart.ids.results)
    await d.tap_widget(list(reversed(smart.ids.results.children))[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.skip"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question of the chosen topic")
    d.report["identity_after_skip"] = d.kiosk.identity.identity is not None or d.kiosk.identity.consent
    d.report["chosen"] = chosen
    d.report["flow"] = d.kiosk.citizen.interview.flow.id


async def scenario_paper_out(d: Driver) -> None:
    """The printer runs out of paper mid-slip: a calm message, the QR code on screen, the slip offered again
    after a technician reloads paper, and it then prints."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.kiosk.printing is not None and d.kiosk.printing.state.value == "online"
                  and d.kiosk.citizen.topics(), "printer and content ready")
    screen = await d.open_example_opinion("traffic_accident")
    d.kiosk.devices.printer.simulator.faults.paper_out_after_mm = 40.0
    await d.tap_widget(find_buttons(screen, d.app._("printing.print"))[0])
    await d.until(lambda: screen.qr_shown, "QR code offered after the failure", timeout_s=60)
    d.report["message"] = screen.print_message
    d.report["has_qr"] = screen.qr is not None
    await d.shot("qr")
    await d.tap_widget(find_buttons(screen, d.app._("common.ok"))[0])
    d.kiosk.devices.printer.simulator.faults.paper_out_after_mm = None
    d.kiosk.devices.printer.simulator.load_paper()
    d.kiosk.printing.check_now()
    await d.until(lambda: screen.retry_job != "", "slip offered again after paper reload", timeout_s=60)
    d.report["offer_message"] = screen.print_message
    await d.shot("offered")
    await d.tap_widget(find_buttons(screen, d.app._("printing.retry"))[0])
    await d.until(lambda: screen.print_message == d.app._("printing.done"), "reprinted", timeout_s=60)
    d.report["cuts"] = d.kiosk.devices.printer.simulator.printout.count("cut")


def find_buttons_by_title(widget, title: str):
    """Home-screen tiles whose title is `title`."""
    return [w for w in widget.walk() if getattr(w, "title", None) == title]


async def scenario_ime(d: Driver) -> None:
    """智能咨询 typed on the on-screen pinyin keyboard: full pinyin, a phrase, 简拼, pages, delete, 英, then 帮我找."""
    import time

    from kivy.core.window import Window

    from kiosk.ui.ime.keyboard import ImeKey, PinyinKeyboard

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.smart.ready, "home screen and triage model")
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.smart"))[0])
    await d.until(lambda: d.on_screen("smart_consult"), "smart consultation")
    smart = d.app.screen("smart_consult")
    d.report["keyboard_before_tap"] = any(isinstance(w, PinyinKeyboard) and w.shown for w in smart.walk())
    await d.tap_widget(smart.ids.question)
    await d.until(lambda: smart.typing, "keyboard opened by tapping the question box")
    kb, question = next(w for w in smart.walk() if isinstance(w, PinyinKeyboard)), smart.ids.question
    await d.until(lambda: kb.composition.dictionary is not None, "dictionary loaded")
    await d.shot("empty")
    keys = {w.text: w for w in kb.walk() if isinstance(w, ImeKey)}
    d.report["key_size_px"] = [round(min(w.width for w in keys.values()) / Window.width * 1080),
                               round(min(w.height for w in keys.values()) / Window.width * 1080)]

    async def type_(letters: str) -> None:
        for letter in letters:
            await d.tap_widget(keys[letter])

    def shown() -> list[str]:
        return [b.text for b in reversed(kb.ids.candidates.children)]

    await type_("laobantuoqian")
    d.report["composing"] = kb.letters_text
    d.report["first_candidates"] = shown()
    await d.shot("composing")
    await d.tap_widget(find_buttons(kb.ids.candidates, "老板")[0])
    d.report["after_choice"] = [question.text, kb.composition.letters, shown()[:1]]
    await d.tap_widget(keys[d.app._("ime.space")])
    await type_("gongz")
    await d.tap_widget(find_buttons(kb.ids.candidates, "工资")[0])
    await d.tap_widget(keys[d.app._("ime.punctuation")[0]])
    await type_("qx")
    d.report["qx"] = shown()[:3]
    await d.tap_widget(find_buttons(kb.ids.candidates, "欠薪")[0])
    await type_("shi")
    await d.tap_widget(kb.ids.next)
    d.report["page_two"] = bool(kb.has_previous and shown())
    await d.tap_widget(kb.ids.previous)
    await d.tap_widget(keys[d.app._("ime.backspace")])
    d.report["after_letter_delete"] = kb.composition.letters
    await d.tap_widget(keys[d.app._("ime.backspace")])
    await d.tap_widget(keys[d.app._("ime.backspace")])
    await d.tap_widget(keys[d.app._("ime.backspace")])
    d.report["after_text_delete"] = question.text
    await d.tap_widget(kb.ids.mode)
    await type_("ok")
    await d.tap_widget(kb.ids.mode)
    await type_("3")
    d.report["typed"] = question.text
    await d.shot("typed")
    handler_ms = []
    for letter in "woxiangwenyixialaobantuoqiangongzizenmeban":
        start = time.perf_counter()
        keys[letter].dispatch("on_release")
        handler_ms.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    keys[d.app._("ime.space")].dispatch("on_release")
    handler_ms.append((time.perf_counter() - start) * 1000)
    d.report["handler_ms_max"] = round(max(handler_ms), 2)
    d.report["handler_ms_median"] = round(sorted(handler_ms)[len(handler_ms) // 2], 2)
    await d.tap_widget(keys[d.app._("ime.clear")])
    d.report["cleared"] = question.text
    await type_("laobantuoqiangongzi")
    await d.tap_widget(keys[d.app._("ime.space")])
    await d.tap_widget(find_buttons(smart, d.app._("smart.find"))[0])
    await d.until(lambda: len(smart.ids.results.children) > 1, "ranked topics")
    d.report["question"] = question.text
    d.report["offered"] = [b.text for b in reversed(smart.ids.results.children)]
    await d.shot("results")
    await d.tap_widget(find_buttons(smart, d.app._("common.home"))[0])
    await d.until(lambda: d.on_screen("home"), "home again")
    d.report["left_letters"] = kb.composition.letters


SCENARIOS = {"paper_out": scenario_paper_out, "smart": scenario_smart, "consult": scenario_consult,
             "idle": scenario_idle, "maintenance": scenario_maintenance, "safe_mode": scenario_safe_mode,
             "ime": scenario_ime}


async def scenario_legal_aid_apply(d: Driver) -> None:
    """A legal-aid opinion (exempt) → 提交预申请 → card read through consent → phone on the keypad → 同意提交 →
    one sealed row stored and the pre-application slip printed; leaving the screen forgets what was typed."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.kiosk.printing is not None and d.kiosk.printing.state.value == "online"
                  and d.kiosk.identity is not None and d.kiosk.citizen.topics(), "printer, reader and content ready")
    opinion = await d.open_example_opinion("legal_aid")
    d.report["verdict"] = d.kiosk.citizen.opinion.legal_aid.verdict.value
    d.report["apply_offered"] = opinion.ids.to_apply.opacity == 1 and opinion.ids.to_legal_aid.opacity == 0
    await d.shot("opinion")
    await d.tap_widget(find_buttons(opinion, d.app._("apply.open"))[0])
    await d.until(lambda: d.on_screen("legal_aid_apply"), "pre-application screen")
    apply = d.app.screen("legal_aid_apply")
    d.report["before_card"] = apply.applicant_text
    await d.shot("apply_no_card")
    await d.tap_widget(find_buttons(apply, d.app._("apply.type_name"))[0])
    await d.frames(3)
    d.report["name_box_open"] = apply.ids.name_input.height > 0 and apply.ids.name_slot.children != []
    await d.shot("apply_typing")
    await d.tap_widget(find_buttons(apply, d.app._("apply.phone_empty"))[0])
    await d.read_card_for_application()
    identity = d.kiosk.identity.identity
    d.report["applicant_shows_masked"] = identity.masked_number in apply.applicant_text
    d.report["applicant_shows_full_number"] = identity.record.id_number in apply.applicant_text
    await d.tap_widget(find_buttons(apply, d.app._("apply.agree"))[0])
    d.report["without_phone"] = apply.message
    keys = {w.text: w for w in apply.walk() if type(w).__name__ == "PhoneKey"}
    for digit in "13800138000":
        await d.tap_widget(keys[digit])
    d.report["phone"] = apply.phone
    await d.shot("apply_card_and_phone")
    await d.tap_widget(find_buttons(apply, d.app._("apply.agree"))[0])
    await d.until(lambda: apply.submitted and apply.message == d.app._("apply.printed", reference=apply.submitted),
                  "pre-application stored and printed", timeout_s=60)
    reference = apply.submitted
    d.report["reference"] = reference
    d.report["message"] = apply.message
    await d.shot("apply_done")
    d.report["rows_waiting"] = d.kiosk.db.call(lambda db: db.execute(
        "SELECT COUNT(*) FROM legal_aid_applications WHERE sealed IS NOT NULL AND reference = ?",
        [reference]).fetchone()[0])
    raw = b"".join(p.read_bytes() for p in d.kiosk.db.path.parent.glob(d.kiosk.db.path.name + "*"))
    d.report["plaintext_in_db"] = [v for v in (identity.record.name, identity.record.id_number, "13800138000")
                                   if v.encode("utf-8") in raw]
    lines = d.kiosk.devices.printer.simulator.printout.lines
    d.report["slip_has_reference"] = any(reference in line for line in lines)
    d.report["slip_has_masked_number"] = any(identity.masked_number in line for line in lines)
    d.report["slip_has_full_number"] = any(identity.record.id_number in line for line in lines)
    d.report["slip_has_signature_line"] = any(line.startswith("申请人签名") for line in lines)
    d.report["opinion_untouched"] = opinion.print_message == "" and not opinion.qr_shown
    await d.tap_widget(find_buttons(apply, d.app._("apply.back"))[0])
    await d.until(lambda: d.on_screen("opinion"), "back to the opinion")
    d.report["forgotten_on_leave"] = apply.phone == "" and apply.applicant_text == ""


SCENARIOS["legal_aid_apply"] = scenario_legal_aid_apply


def scenario(name: str):
    """The scenario called `name`: one of this module's, else from a module `tests/ui/scenarios_*.py` whose
    SCENARIOS dict has it (areas of the screen keep their scenarios in their own module)."""
    if name in SCENARIOS:
        return SCENARIOS[name]
    import importlib

    for path in sorted(Path(__file__).parent.glob("scenarios_*.py")):
        module = importlib.import_module(f"tests.ui.{path.stem}")
        if name in module.SCENARIOS:
            return module.SCENARIOS[name]
    raise KeyError(f"no UI scenario called {name!r}")


async def _drive(app, kiosk, scenario, outdir: Path) -> dict:
    driver = Driver(app, kiosk, outdir)

    async def script() -> None:
        try:
            await driver.until(lambda: app.root is not None, "app built")
            await driver.frames(3)
            await scenario(driver)
            driver.report["ok"] = True
        except Exception as exc:  # reported to the test, which fails with the reason
            driver.report["ok"] = False
            driver.report["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            app.stop()

    await asyncio.gather(app.async_run(async_lib="asyncio"), script())
    return driver.report


def main(argv: list[str]) -> int:
    """argv: SCENARIO OUTDIR [SCALE]; SCALE 1.0 runs at the panel's full 1080x1920 (default: the dev window)."""
    name, outdir = argv[0], Path(argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    data = outdir / "data"
    os.environ["KIOSK_PATHS__DATA_DIR"] = str(data)
    if len(argv) > 2:
        os.environ["KIOSK_UI__WINDOW_SCALE"] = argv[2]
    os.environ["KIOSK_OVERRIDES_FILE"] = str(outdir / "overrides.toml")
    from kiosk.runtime.runner import prepare
    from kiosk.core.clock import FakeClock

    if name == "safe_mode":
        data.mkdir(parents=True, exist_ok=True)
        (data / "startup_attempts").write_text("99")
    kiosk = prepare(dev=True, clock=FakeClock())
    kiosk.start(after_first_frame=True)
    from kiosk.runtime.bootstrap import data_dir_of
    from kiosk.ui.environment import prepare_kivy

    prepare_kivy(kiosk.config.ui, data_dir_of(kiosk.config))
    from kiosk.ui.app import KioskApp

    app = KioskApp(kiosk)
    try:
        report = asyncio.run(_drive(app, kiosk, scenario(name), outdir))
    finally:
        kiosk.stop()
    report["safe_mode"] = kiosk.safe_mode
    report["startup_attempts_left"] = kiosk.guard.failed_starts()
    (outdir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if report.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
