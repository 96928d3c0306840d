"""Scenarios of long answer lists: every answer of a question shows at once where the panel has room, and a tap
on the line under a list that cannot fit brings the rest into sight (kiosk.ui.choice_list)."""

from __future__ import annotations

from tests.ui.harness import Driver, find_buttons
from tests.ui.scenarios_bugs import inside
from tests.ui.scenarios_citizen import start_session


async def open_flow(d: Driver, flow_id: str, elderly: bool):
    """From the home screen to the flow's first question, the ID card offer declined; returns the consult screen."""
    await start_session(d)
    await d.set_elderly(elderly)
    d.app.show("topics")
    await d.until(lambda: d.on_screen("topics"), "topic list")
    d.app.screen("topics").choose(flow_id)
    await d.until(lambda: d.on_screen("consent"), "ID card offer")
    await d.tap_widget(find_buttons(d.app.screen("consent"), d.app._("consent.skip"))[0])
    await d.until(lambda: d.on_screen("consult"), "first question")
    consult = d.app.screen("consult")
    await d.input_ready(consult)
    await d.frames(4)
    return consult


def answer_buttons(consult) -> list:
    """The page's answer buttons, top to bottom."""
    return [w for w in consult.ids.answer_area.walk() if type(w).__name__ == "ChoiceButton"]


def seen(consult) -> list[str]:
    """The answers wholly inside the visible part of the list."""
    return [b.text for b in answer_buttons(consult) if inside(b, consult.ids.answer_scroll)]


def more_button(consult):
    """The line under a list that does not fit (↓ 下面还有… / ↑ 回到上面)."""
    return consult.ids.answer_hint


async def scenario_choices_fit(d: Driver) -> None:
    """行政争议 in the normal look: its nine answers (with 不清楚) all in sight at once, none under the touch size."""
    consult = await open_flow(d, "administrative", elderly=False)
    buttons = answer_buttons(consult)
    d.report["answers"] = len(buttons)
    d.report["seen"] = len(seen(consult))
    d.report["smallest_px"] = min(b.height for b in buttons)
    d.report["touch_px"] = d.app.theme.min_touch_px
    d.report["hint_shown"] = consult.ids.answer_hint.overflows
    await d.shot("administrative")


async def scenario_choices_page(d: Driver) -> None:
    """继承 in 长辈模式: the relation's answers cannot all fit; the line under them counts the rest, a tap shows them,
    the last one is tapped and the next question comes; 上一步 brings the page back with that answer in sight."""
    consult = await open_flow(d, "inheritance", elderly=True)
    buttons = answer_buttons(consult)
    d.report["answers"] = [b.text for b in buttons]
    d.report["lines"] = [b.lines for b in buttons]
    d.report["first_seen"] = seen(consult)
    d.report["first_hint"] = more_button(consult).text
    d.report["below"] = consult.ids.answer_hint.below
    await d.shot("first")
    everything = set(seen(consult))
    hints = []
    while consult.ids.answer_hint.below:
        await d.tap_widget(more_button(consult))
        await d.frames(4)
        everything |= set(seen(consult))
        hints.append(more_button(consult).text)
        if len(hints) > len(buttons):
            break
    d.report["hints"] = hints
    d.report["all_seen"] = sorted(everything) == sorted(d.report["answers"])
    await d.shot("last")
    page = consult.interview.page.id
    await d.tap_widget(buttons[-1])
    await d.until(lambda: consult.interview.page.id != page, "the next question")
    await d.until(lambda: all(b.state == "normal" for b in buttons + answer_buttons(consult)),
                  "every answer button released")  # before the app stops (kv rules need the app)
    d.report["answered"] = consult.interview.answer_of(page)
    d.report["hint_after"] = consult.ids.answer_hint.overflows
    # 上一步: the page comes back with the answer given, which lies below the edge, in sight
    back = find_buttons(consult, d.app._("consult.back"))[0]
    await d.input_ready(consult)
    await d.tap_widget(back)
    await d.until(lambda: consult.interview.page.id == page, "the relation page again")
    await d.until(lambda: back.state == "normal", "上一步 released")
    await d.input_ready(consult)
    await d.frames(4)
    again = answer_buttons(consult)
    d.report["given_in_sight"] = inside(again[-1], consult.ids.answer_scroll)
    d.report["first_in_sight"] = inside(again[0], consult.ids.answer_scroll)
    await d.shot("back")


async def tap_hint_until_in_sight(d: Driver, hint, item, scroll, most_taps: int = 12) -> int:
    """Tap the line under a list until `item` is wholly in sight; returns the taps it took."""
    taps = 0
    while not inside(item, scroll) and taps <= most_taps:
        await d.tap_widget(hint)
        await d.frames(4)
        taps += 1
    return taps


async def scenario_topics_page(d: Driver) -> None:
    """The topic list in 长辈模式: one column, most topics below; the line under it is tapped until the last topic
    shows, and that topic is tapped."""
    await start_session(d)
    await d.set_elderly(True)
    d.app.show("topics")
    await d.until(lambda: d.on_screen("topics"), "topic list")
    topics = d.app.screen("topics")
    await d.frames(4)
    hint = next(w for w in topics.walk() if type(w).__name__ == "ScrollHint")
    tiles = list(reversed(topics.ids.topics.children))
    d.report["topics"] = len(tiles)
    d.report["first_below"] = hint.below
    d.report["first_seen"] = sum(inside(t, topics.ids.scroll) for t in tiles)
    await d.shot("first")
    d.report["taps"] = await tap_hint_until_in_sight(d, hint, tiles[-1], topics.ids.scroll)
    d.report["last_hint"] = hint.text
    await d.shot("last")
    d.report["last_topic"] = tiles[-1].text
    await d.tap_widget(tiles[-1])
    await d.until(lambda: not d.on_screen("topics"), "the topic's first screen")
    await d.until(lambda: tiles[-1].state == "normal", "the tapped tile released")  # before the app stops
    d.report["screen"] = d.app.root.manager.current


async def scenario_date_fits(d: Driver) -> None:
    """离婚后 in 长辈模式 to the date page under the longest date question (three lines and a two-line help): every
    month and day key in sight without scrolling; 31 October is chosen by taps and is the answer recorded."""
    from datetime import date

    from tests.ui.scenarios_walks import answer_by_taps

    consult = await open_flow(d, "marriage_family", elderly=True)
    path = {"violence": "no", "both_agree": "divorced_property", "property_after": "hidden"}
    while consult.interview.page.id != "found_date":
        page = consult.interview.page
        await answer_by_taps(d, page, path[page.id])
        await d.until(lambda: consult.interview.page.id != page.id, f"the page after {page.id}")
    await d.input_ready(consult)
    await d.frames(4)
    picker = next(w for w in consult.walk() if type(w).__name__ == "DatePicker")
    keys = picker.month_buttons + picker.day_buttons
    d.report["keys"] = len(keys)
    d.report["keys_in_sight"] = sum(inside(k, consult.ids.answer_scroll) for k in keys)
    d.report["smallest_key_px"] = min(k.height for k in keys)
    d.report["touch_px"] = d.app.theme.min_touch_px
    d.report["month_lines"] = sorted({k._label.text.count("\n") + 1 for k in picker.month_buttons})
    await d.shot("found_date")
    page = consult.interview.page
    await answer_by_taps(d, page, date(2025, 10, 31))
    await d.until(lambda: consult.interview.state.value == "review", "the review after the date")
    d.report["answered"] = consult.interview.answer_of("found_date").isoformat()
    await d.input_ready(consult)


async def scenario_smart_common_page(d: Driver) -> None:
    """智能咨询 in 长辈模式: the common questions run below the edge; the line under them counts the rest, is tapped
    until the last shows, the last is tapped and its topics are offered (the line then hides with the list)."""
    from tests.ui.scenarios_bugs import offered, open_smart

    await start_session(d)
    await d.set_elderly(True)
    smart = await open_smart(d)
    await d.frames(4)
    hint, scroll = smart.ids.common_hint, smart.ids.common_scroll
    common = list(reversed(smart.ids.suggestions.children))
    d.report["common"] = len(common)
    d.report["first_below"] = hint.below
    d.report["first_seen"] = sum(inside(b, scroll) for b in common)
    d.report["first_hint"] = hint.text
    await d.shot("first")
    d.report["taps"] = await tap_hint_until_in_sight(d, hint, common[-1], scroll)
    await d.shot("last")
    d.report["last_question"] = common[-1].text
    await d.tap_widget(common[-1])
    await d.until(lambda: offered(smart), "the topics offered for the last common question")
    await d.until(lambda: common[-1].state == "normal", "the tapped question released")
    await d.frames(3)
    d.report["offered"] = offered(smart)
    d.report["hint_after"] = (hint.overflows, hint.height)


async def scenario_hotline_page(d: Driver) -> None:
    """找人工帮忙 in 长辈模式: the legal aid centre's hours run below the edge; the line says so and a tap shows them."""
    await start_session(d)
    await d.set_elderly(True)
    d.app.show("hotline")
    await d.until(lambda: d.on_screen("hotline"), "the hand-off page")
    await d.frames(4)
    hotline = d.app.screen("hotline")
    hint, cards = hotline.ids.more, list(reversed(hotline.ids.cards.children))
    d.report["first_hint"] = hint.text if hint.overflows else None
    d.report["taps"] = await tap_hint_until_in_sight(d, hint, cards[-1], hotline.ids.scroll)
    d.report["last_hint"] = hint.text
    await d.shot("last")


SCENARIOS = {"choices_fit": scenario_choices_fit, "choices_page": scenario_choices_page,
             "topics_page": scenario_topics_page, "date_fits": scenario_date_fits,
             "smart_common_page": scenario_smart_common_page, "hotline_page": scenario_hotline_page}
