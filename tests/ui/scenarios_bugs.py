"""Scenarios for the bugs a real walk-through found (issue 12): the pinyin keyboard that never reopened, a double
tap that answered two questions, dead ends, and the date, keypad, review, candidate-bar and countdown screens."""

from __future__ import annotations

from datetime import date

from tests.ui.harness import Driver, find_buttons, find_buttons_by_title

DOUBLE_TAP_GAP_S = 0.25
"""Time between the two taps of the walk-through's double tap, in seconds."""


async def start_session(d: Driver) -> None:
    """Attract → a touch → home, with content, the triage model and the card reader ready."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.smart.ready and d.kiosk.identity is not None
                  and d.kiosk.citizen.topics(), "home, triage model, reader and content ready")


async def finish_session(d: Driver) -> None:
    """Home → 结束并清除我的信息 → the attract screen, the session wiped."""
    d.app.show("home")
    await d.until(lambda: d.on_screen("home"), "home screen")
    await d.tap_widget(find_buttons(d.app.screen("home"), d.app._("home.finish"))[0])
    await d.until(lambda: d.on_screen("attract"), "attract after finishing")


async def open_smart(d: Driver):
    """Home → 智能咨询; returns the screen."""
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.smart"))[0])
    await d.until(lambda: d.on_screen("smart_consult"), "smart consultation")
    return d.app.screen("smart_consult")


def keyboard_of(widget):
    """The pinyin keyboard under `widget`."""
    from kiosk.ui.ime.keyboard import PinyinKeyboard

    return next(w for w in widget.walk() if isinstance(w, PinyinKeyboard))


def keys_of(keyboard) -> dict:
    """The keyboard's keys by their label."""
    from kiosk.ui.ime.keyboard import ImeKey

    return {w.text: w for w in keyboard.walk() if isinstance(w, ImeKey)}


def offered(smart) -> list[str]:
    """The topics smart consultation offers, top first."""
    return [b.text for b in reversed(smart.ids.results.children)]


async def type_on_smart(d: Driver, smart, letters: str) -> None:
    """Tap `letters` where the keyboard's keys are, then space (the first candidate), as a citizen does; stops
    when a tap has taken the citizen off the screen (it fell through onto something else)."""
    keys = keys_of(keyboard_of(smart))
    for letter in [*letters, d.app._("ime.space")]:
        if not d.on_screen("smart_consult"):
            return
        await d.tap_widget(keys[letter])


async def find_on_smart(d: Driver, smart) -> None:
    """Tap 帮我找 and wait for the ranked topics to take taps."""
    await d.tap_widget(find_buttons(smart, d.app._("smart.find"))[0])
    await d.until(lambda: len(smart.ids.results.children) > 1, "ranked topics")
    await d.input_ready(smart.ids.results)


async def scenario_bugs_keyboard(d: Driver) -> None:
    """Bug 1: type, find, tap the box again, type more, find again; then the next session does the same."""
    for visit in (1, 2):
        await start_session(d)
        smart = await open_smart(d)
        keyboard = keyboard_of(smart)
        report = d.report.setdefault(f"visit{visit}", {})
        report["start"] = {"text": smart.ids.question.text, "keyboard": keyboard.shown, "chinese": keyboard.chinese}
        await d.tap_widget(smart.ids.question)
        await d.frames(2)
        report["opened"] = keyboard.shown
        await type_on_smart(d, smart, "laoban")
        key, find = keys_of(keyboard)["q"], find_buttons(smart, d.app._("smart.find"))[0]
        where = key.to_window(*key.center)
        # 帮我找, then 250 ms later a letter where the keyboard was: the topic now shown there must not act
        await tap_twice(d, find.to_window(*find.center), where)
        report["first"] = [smart.ids.question.text, offered(smart)[:1]]
        report["key_over_topic"] = any(on_widget(where, button) for button in smart.ids.results.children)
        report["after_stray_tap"] = [d.app.current_screen, d.kiosk.citizen.interview is not None]
        await d.input_ready(smart.ids.results)
        await d.shot(f"visit{visit}_results")
        await d.tap_widget(smart.ids.question)
        await d.frames(2)
        report["reopened"] = keyboard.shown
        await d.shot(f"visit{visit}_reopened")
        await type_on_smart(d, smart, "tuoqiangongzi")
        report["screen_after_typing"] = d.app.current_screen
        report["interview_after_typing"] = d.kiosk.citizen.interview is not None
        if d.on_screen("smart_consult"):
            await find_on_smart(d, smart)
            report["second"] = [smart.ids.question.text, offered(smart)[:1]]
            await d.shot(f"visit{visit}_found_again")
            await d.tap_widget(keyboard.ids.mode)  # leave the keyboard on 英: the next citizen must get 中
        await finish_session(d)


async def tap_twice(d: Driver, first: tuple[float, float], second: tuple[float, float]) -> float:
    """Tap at window point `first`, then DOUBLE_TAP_GAP_S later (by Kivy's clock, as real input arrives) at
    `second`; returns the gap measured between the two, in seconds."""
    from kivy.clock import Clock
    from kivy.tests.common import UnitTestTouch

    taps: list[float] = []

    def tap(x: float, y: float) -> None:
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        taps.append(Clock.get_time())

    tap(*first)
    Clock.schedule_once(lambda _dt: tap(*second), DOUBLE_TAP_GAP_S)
    await d.until(lambda: len(taps) == 2, "the second tap")
    await d.button_releases()
    return round(taps[1] - taps[0], 3)


async def scenario_bugs_double_tap(d: Driver) -> None:
    """Bug 2: two real taps 250 ms apart on one answer advance exactly one question."""
    await start_session(d)
    interview = d.kiosk.citizen.begin("labor")
    for answer in ("working", date(2026, 2, 1), 18600, "contractor", "yes"):
        interview.answer(answer)  # up to 签过书面的劳动合同吗 (yes/no), then the evidence (a choice) below it
    d.app.show("consult")
    await d.until(lambda: d.on_screen("consult"), "the contract question")
    consult = d.app.screen("consult")
    await d.input_ready(consult)
    choice = consult.ids.answer_area.children[0].children[-1]  # the first answer
    d.report["step_before"] = [interview.step, interview.page.id]
    where = choice.to_window(*choice.center)
    d.report["gap_s"] = await tap_twice(d, where, where)
    await d.input_ready(consult)
    await d.frames(3)
    d.report["step_after"] = [interview.step, interview.page.id]
    await d.shot("after_double_tap")


def texts_on(screen) -> list[str]:
    """Every text shown on a screen, in widget order."""
    return [w.text for w in screen.walk() if isinstance(getattr(w, "text", None), str) and w.text]


async def scenario_bugs_dead_ends(d: Driver) -> None:
    """Bug 4: a way back from the card offer; 上一步 on the first legal-aid question returns to the opinion it came
    from; 上一步 on the first question chosen in smart consultation returns to the typed text and its topics."""
    await start_session(d)
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list")
    await d.tap_widget(find_buttons(d.app.screen("topics"), d.kiosk.consultations.pack.flow("labor").title)[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.shot("consent")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.back"))[0])
    await d.until(lambda: d.on_screen("topics"), "topic list again")
    d.report["consent_back"] = d.app.current_screen

    opinion = await d.open_example_opinion("labor")
    number = d.kiosk.citizen.opinion.number
    await d.until(lambda: opinion.laid_out, "opinion laid out")
    await d.frames(3)  # the opinion's lines are wrapped once laid out
    shown = texts_on(opinion)
    await d.tap_widget(opinion.ids.to_legal_aid)
    await d.until(lambda: d.on_screen("consult"), "first legal-aid question")
    consult = d.app.screen("consult")
    d.report["legal_aid_flow"] = consult.interview.flow.id
    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, d.app._("consult.back"))[0])
    await d.until(lambda: not d.on_screen("consult"), "leaving the first legal-aid question")
    d.report["legal_aid_back"] = d.app.current_screen
    await d.until(lambda: opinion.laid_out, "opinion laid out again")
    await d.frames(3)
    d.report["opinion_kept"] = (d.kiosk.citizen.opinion is not None and d.kiosk.citizen.opinion.number == number
                                and texts_on(opinion) == shown and any(number in text for text in shown))
    await d.shot("opinion_again")
    await finish_session(d)

    await start_session(d)
    smart = await open_smart(d)
    await d.tap_widget(smart.ids.question)
    await type_on_smart(d, smart, "qianxin")
    await find_on_smart(d, smart)
    asked, topics = smart.ids.question.text, offered(smart)
    await d.tap_widget(list(reversed(smart.ids.results.children))[0])
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.back"))[0])
    await d.until(lambda: d.on_screen("smart_consult"), "smart consultation again")
    d.report["consent_back_to_smart"] = [smart.ids.question.text, offered(smart)] == [asked, topics]
    await d.input_ready(smart.ids.results)
    await d.tap_widget(list(reversed(smart.ids.results.children))[0])
    await d.until(lambda: d.on_screen("consult"), "first question of the chosen topic")
    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, d.app._("consult.back"))[0])
    await d.until(lambda: not d.on_screen("consult"), "leaving the first question")
    d.report["smart_back"] = d.app.current_screen
    d.report["smart_back_kept"] = [smart.ids.question.text, offered(smart)] == [asked, topics]
    await d.shot("smart_again")
    await d.tap_widget(find_buttons(smart, d.app._("common.home"))[0])
    await d.until(lambda: d.on_screen("home"), "home")
    await open_smart(d)
    d.report["new_visit_clean"] = [smart.ids.question.text, offered(smart)] == ["", []]


def ink_size_px(button) -> tuple[int, int]:
    """Width and height in window pixels of the drawn strokes of a button's label (its texture's opaque part)."""
    texture = button.texture
    width, height = texture.size
    alpha = texture.pixels[3::4]
    rows = [y for y in range(height) if any(alpha[y * width:(y + 1) * width])]
    columns = [x for x in range(width) if any(alpha[y * width + x] for y in rows)]
    if not rows:
        return 0, 0
    return columns[-1] - columns[0] + 1, rows[-1] - rows[0] + 1


async def scenario_bugs_dates(d: Driver) -> None:
    """Bug 5, dates: the farmer left in June and has been owed since February. The first date page starts today;
    the second starts from the first date and asks only for the month. Every tap is counted."""
    await start_session(d)
    d.app.start_flow("labor", ask_card=False)
    await d.until(lambda: d.on_screen("consult"), "first question")
    consult = d.app.screen("consult")
    taps = {"left_date": 0, "owed_since": 0}

    async def tap(page_id: str, text: str) -> None:
        taps[page_id] += 1
        await d.tap_widget(find_buttons(consult.ids.answer_area, text)[0])

    await d.input_ready(consult)
    await d.tap_widget(find_buttons(consult, consult.interview.page.option("left").label)[0])
    await d.until(lambda: consult.interview.page.id == "left_date", "the date the farmer left")
    await d.input_ready(consult)
    picker = consult.ids.answer_area.children[0]
    d.report["left_starts"] = picker.day.isoformat()
    d.report["minus_ink_px"] = ink_size_px(picker.ids.minus)
    d.report["plus_ink_px"] = ink_size_px(picker.ids.plus)
    d.report["later_months_disabled"] = [b.disabled for b in picker.month_buttons][10:]
    await tap("left_date", "6" + d.app._("consult.date.month"))
    await tap("left_date", "30")
    await d.shot("date_day")
    await tap("left_date", d.app._("consult.next"))
    await d.until(lambda: consult.interview.page.id == "owed_since", "since when wages are owed")
    await d.input_ready(consult)
    picker = consult.ids.answer_area.children[0]
    d.report["owed_starts"] = picker.day.isoformat()
    d.report["owed_month_only"] = picker.month_only
    d.report["owed_day_buttons"] = len(picker.ids.days.children)  # the day keys shown
    await tap("owed_since", "2" + d.app._("consult.date.month"))
    await d.shot("date_month")
    await tap("owed_since", d.app._("consult.next"))
    await d.until(lambda: consult.interview.page.id == "amount", "the amount")
    d.report["date_taps"] = taps
    d.report["answers"] = [consult.interview.review()[1].answer, consult.interview.review()[2].answer]
    d.report["year_steps"] = []
    consult.back()
    consult.back()
    await d.input_ready(consult)
    picker = consult.ids.answer_area.children[0]
    for button in (picker.ids.minus, picker.ids.minus, picker.ids.plus):
        await d.tap_widget(button)
        d.report["year_steps"].append([picker.day.isoformat(), picker.ids.plus.disabled])
    await d.set_elderly(True)
    await d.shot("date_elderly")


async def scenario_bugs_keypad(d: Driver) -> None:
    """Bug 5, keypad: 18600 typed with one slip corrected by 退格 (beside 清除)."""
    await start_session(d)
    interview = d.kiosk.citizen.begin("labor")
    interview.answer("working")
    interview.answer(date(2026, 2, 1))
    d.app.show("consult")
    await d.until(lambda: d.on_screen("consult"), "the amount page")
    consult = d.app.screen("consult")
    await d.input_ready(consult)
    pad = consult.ids.answer_area.children[0]
    for key in [*"18605", d.app._("consult.keypad.backspace"), "0"]:
        await d.tap_widget(find_buttons(pad, key)[0])
    d.report["shown"] = pad.ids.display.text
    backspace = find_buttons(pad, d.app._("consult.keypad.backspace"))[0]
    clear = find_buttons(pad, d.app._("consult.keypad.clear"))[0]
    d.report["side_by_side"] = backspace.parent is clear.parent
    d.report["smallest_key_px"] = round(min(min(w.width, w.height) for w in pad.walk()
                                            if type(w).__name__ == "QuietButton"))
    await d.shot("keypad")
    await d.tap_widget(find_buttons(pad, d.app._("consult.next"))[0])
    await d.until(lambda: interview.page.id != "amount", "the next question")
    d.report["answer"] = interview.review()[2].answer


def on_widget(window_point, widget) -> bool:
    """Whether a point in window coordinates lies on `widget`."""
    return widget.collide_point(*widget.to_widget(*window_point))


def inside(inner, outer, gap: float = 0.0) -> bool:
    """Whether `inner` lies within `outer` (window coordinates), at least `gap` px from its edges."""
    ix, iy = inner.to_window(inner.x, inner.y)
    ox, oy = outer.to_window(outer.x, outer.y)
    return (ix >= ox + gap and iy >= oy + gap and ix + inner.width <= ox + outer.width - gap
            and iy + inner.height <= oy + outer.height - gap)


async def scenario_bugs_review(d: Driver) -> None:
    """Bug 5, review page of the longest flow: every row, its 修改 button and the last answer fully visible."""
    from kivy.uix.scrollview import ScrollView

    await start_session(d)
    d.answer_example("work_injury", example=1)
    d.app.show("consult")
    await d.until(lambda: d.on_screen("consult"), "review page")
    consult = d.app.screen("consult")
    await d.input_ready(consult)   # the rows are built a slice of a frame at a time: all are there once it takes taps
    await d.frames(3)
    rows = [w for w in consult.walk() if type(w).__name__ == "ReviewRow"]
    d.report["rows"] = len(rows)
    gap = 12
    d.report["bad_rows"] = [
        row.answer for row in rows
        if not (inside(row.ids.change, row, gap) and inside(row.ids.info, row, gap)
                and row.ids.info.right + gap <= row.ids.change.x
                and all(label.texture_size[1] <= label.height + 1 for label in (row.ids.q, row.ids.a)))]
    await d.shot("review_top")
    scroll = next(w for w in consult.walk() if isinstance(w, ScrollView))
    scroll.scroll_y = 0
    await d.frames(3)
    d.report["last_visible"] = inside(rows[-1], scroll)
    await d.shot("review_bottom")


async def scenario_bugs_candidates(d: Driver) -> None:
    """Bug 5, candidate bar: every candidate of a page is whole, none behind 下一页; the pages reach them all."""
    await start_session(d)
    smart = await open_smart(d)
    await d.tap_widget(smart.ids.question)
    keyboard = keyboard_of(smart)
    await d.until(lambda: keyboard.composition.dictionary is not None, "dictionary loaded")
    keys = keys_of(keyboard)
    for letter in "laobantuoqian":
        await d.tap_widget(keys[letter])
    bar = keyboard.ids.candidates
    seen: list[str] = []
    pages = []
    while True:
        shown = list(reversed(keyboard.ids.candidates.children))
        pages.append([b.text for b in shown if not inside(b, bar)])
        seen += [b.text for b in shown]
        if len(pages) == 1:
            await d.shot("candidates")
        if not keyboard.has_next or len(pages) == 4:
            break
        await d.tap_widget(keyboard.ids.next)
    d.report["clipped"] = pages
    d.report["in_order"] = seen == [c.text for c in keyboard.composition.candidates[:len(seen)]]


async def scenario_bugs_countdown(d: Driver) -> None:
    """Bug 5, countdown: the whole dialog shows; 结束并清除 wipes the session; `opaque` hides the screen behind."""
    await start_session(d)
    d.kiosk.citizen.begin("labor")
    d.app.show("consult")
    await d.until(lambda: d.on_screen("consult"), "a question")
    d.kiosk.clock.advance(d.kiosk.config.session.idle_timeout_s + 1)
    await d.until(lambda: d.app.countdown_seconds > 0, "countdown")
    overlay = next(w for w in d.app.root.walk() if type(w).__name__ == "CountdownOverlay")
    box = overlay.children[0]
    d.report["all_inside"] = all(inside(child, box) for child in box.children)
    d.report["title_whole"] = all(child.texture_size[1] <= child.height + 1 for child in box.children
                                  if hasattr(child, "texture_size"))
    await d.shot("countdown")
    overlay.opaque = True
    await d.frames(3)
    await d.shot("countdown_opaque")
    d.report["box_x_px"] = round(box.x)
    await d.tap_widget(find_buttons(overlay, d.app._("countdown.finish"))[0])
    await d.until(lambda: d.on_screen("attract"), "attract after 结束并清除")
    d.report["session"] = d.kiosk.session.state.value
    d.report["wiped"] = d.kiosk.citizen.interview is None


SCENARIOS = {"bugs_keyboard": scenario_bugs_keyboard, "bugs_double_tap": scenario_bugs_double_tap,
             "bugs_dead_ends": scenario_bugs_dead_ends, "bugs_dates": scenario_bugs_dates,
             "bugs_keypad": scenario_bugs_keypad, "bugs_review": scenario_bugs_review,
             "bugs_candidates": scenario_bugs_candidates, "bugs_countdown": scenario_bugs_countdown}
