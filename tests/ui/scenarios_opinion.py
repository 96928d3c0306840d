"""UI scenarios of the opinion screen: what a citizen acts on comes first, the statutes fold, and nothing of one
visitor's reading (scroll position, unfolded statutes) reaches the next.

Run through tests/ui/test_opinion_screen.py (at the panel's full 1080x1920).
"""

from __future__ import annotations

from kiosk.legal.verification import to_plain
from tests.ui.harness import Driver, find_buttons
from tests.ui.scenarios_bugs import inside

DRAG_STEPS = 10
"""Touch moves of one drag (one frame each)."""
DRAG_MARGIN_PX = 40
"""How far inside the scrolled area a drag starts and ends, in window pixels."""


async def _touch_to_home(d: Driver) -> None:
    """From the attract screen to home, once the content pack is loaded."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.citizen.topics(), "home screen and content")


async def _open_opinion(d: Driver, flow_id: str):
    """Answer the flow's first example (Driver.answer_example) and show its opinion; returns the opinion screen
    once all of it is built. Reports how long opening held the UI thread, when the first frame was on the
    screen, and how many frames the rest took to build."""
    import time

    from kivy.core.window import Window

    d.answer_example(flow_id)
    d.kiosk.citizen.issue_opinion()
    screen = d.app.screen("opinion")   # built beforehand: the figures are of opening, not of building it
    flips: list[float] = []

    def flipped(*_args) -> None:
        flips.append(time.perf_counter())

    Window.bind(on_flip=flipped)
    start = time.perf_counter()
    d.app.show("opinion")
    held = time.perf_counter() - start
    await d.until(lambda: d.on_screen("opinion") and screen.laid_out and flips, f"opinion of {flow_id}")
    Window.unbind(on_flip=flipped)
    d.report[f"{flow_id}_open"] = {"held_ms": round(held * 1000, 1),
                                   "first_frame_ms": round((flips[0] - start) * 1000, 1),
                                   "frames_to_lay_out": len(flips)}
    await d.frames(3)
    return screen


def _lines(label) -> list[str]:
    """The lines Kivy laid the label out in (after its texture was made)."""
    return ["".join(word.text for word in line.words) for line in label._label._cached_lines]


def _check_lines(d: Driver, screen, name: str) -> None:
    """Report every line in the opinion's body that starts with closing or ends with opening punctuation, and
    every paragraph Kivy broke into other lines than ours."""
    from kivy.uix.label import Label

    from kiosk.ui.cjk_label import CjkLabel
    from kiosk.ui.cjk_wrap import NO_LINE_END, NO_LINE_START

    labels = [w for w in screen.ids.body.walk(restrict=True) if isinstance(w, Label) and w.text]
    lines = [line for label in labels for line in _lines(label)]
    d.report[f"{name}_lines"] = len(lines)
    d.report[f"{name}_bad_lines"] = [line for line in lines if line and (line[0] in NO_LINE_START
                                                                         or line[-1] in NO_LINE_END)]
    d.report[f"{name}_rewrapped_by_kivy"] = [label.text for label in labels if isinstance(label, CjkLabel)
                                             and len(_lines(label)) != label.text.count("\n") + 1]


def _headings(box) -> list[str]:
    """Section headings in a body block, top to bottom."""
    return [w.paragraph for w in reversed(box.children) if type(w).__name__ == "OpinionHeading"]


def _texts(screen) -> list[str]:
    """Every heading and paragraph on the opinion screen, top to bottom (the statutes as far as unfolded)."""
    boxes = (screen.ids.main, screen.ids.law, screen.ids.closing)
    return [w.paragraph for box in boxes for w in reversed(box.children)]


def _time_calls(screen, method: str) -> list[float]:
    """Time each call of the screen's `method` (as kv's on_release makes it), in ms, into the list returned."""
    import time

    timed, held_ms = getattr(screen, method), []

    def timing(*args):
        start = time.perf_counter()
        timed(*args)
        held_ms.append(round((time.perf_counter() - start) * 1000, 1))

    setattr(screen, method, timing)
    return held_ms


def _window_top(widget) -> float:
    return widget.to_window(widget.x, widget.top)[1]


async def _drag_up(d: Driver, scroll) -> None:
    """A finger pressed low on the scrolled area and pulled up to its top, through Kivy's real touch dispatch
    (the content moves up: the view scrolls down)."""
    from kivy.tests.common import UnitTestTouch

    x, bottom = scroll.to_window(scroll.center_x, scroll.y + DRAG_MARGIN_PX)
    step = (scroll.height - 2 * DRAG_MARGIN_PX) / DRAG_STEPS
    touch = UnitTestTouch(x, bottom)
    touch.touch_down()
    for n in range(1, DRAG_STEPS + 1):
        touch.touch_move(x, bottom + n * step)
        await d.frames(1)
    touch.touch_up()
    await d.frames(3)


async def scenario_opinion_fresh(d: Driver) -> None:
    """Bug 3 and the statutes: one visitor reads the labor opinion, unfolds and folds the statutes, unfolds
    them again, scrolls down and finishes; the next visitor's opinion (domestic violence) opens at the top
    with the statutes folded, and is read to its end and in 长辈模式. Each opinion's lines are checked for
    punctuation at the wrong end."""
    await _touch_to_home(d)
    screen = await _open_opinion(d, "labor")
    scroll, toggle = screen.ids.scroll, screen.ids.law_toggle
    d.report["labor_headings"] = _headings(screen.ids.main)
    _check_lines(d, screen, "labor")
    await d.shot("labor_top")
    scroll.scroll_to(toggle, animate=False)   # the reader scrolled down to the button
    await d.frames(3)
    held_ms = _time_calls(screen, "toggle_law")
    await d.tap_widget(toggle)
    await d.until(lambda: screen.law_open and screen.laid_out, "statutes unfolded")
    await d.frames(3)
    d.report["unfolded_button_below_view_top_px"] = round(_window_top(scroll) - _window_top(toggle), 1)
    d.report["law_paragraphs"] = len(screen.ids.law.children)
    d.report["unfold_held_ms"] = held_ms
    d.report["toggle_text_open"] = toggle.text
    d.report["labor_screen_texts"] = _texts(screen)
    d.report["labor_document"] = to_plain(d.kiosk.citizen.opinion)
    _check_lines(d, screen, "labor_law")
    await d.shot("labor_law_open")
    await d.tap_widget(toggle)
    await d.until(lambda: not screen.law_open, "statutes folded")
    await d.frames(3)
    view_bottom = scroll.to_window(scroll.x, scroll.y)[1]
    d.report["folded_button_in_view"] = view_bottom <= toggle.to_window(toggle.x, toggle.y)[1] \
        and _window_top(toggle) <= _window_top(scroll)
    d.report["law_paragraphs_folded"] = len(screen.ids.law.children)
    await d.tap_widget(toggle)
    await d.until(lambda: screen.law_open, "statutes unfolded again")
    await _drag_up(d, scroll)
    await d.until(lambda: scroll.scroll_y < 0.9, "the first visitor scrolled down")
    d.report["first_scroll_y"] = round(scroll.scroll_y, 3)
    await d.shot("first_scrolled")
    await d.tap_widget(find_buttons(screen, d.app._("opinion.finish"))[0])
    await d.until(lambda: d.on_screen("rating"), "satisfaction rating")
    d.report["widgets_left_after_leaving"] = len(screen.ids.main.children) + len(screen.ids.law.children)
    await d.tap_widget(find_buttons(d.app.screen("rating"), d.app._("rating.4"))[0])
    await d.until(lambda: d.on_screen("attract"), "back to attract: the session ended")
    await _touch_to_home(d)
    screen = await _open_opinion(d, "domestic_violence")
    d.report["second_scroll_y"] = screen.ids.scroll.scroll_y
    d.report["second_law_open"] = screen.law_open
    d.report["second_law_paragraphs"] = len(screen.ids.law.children)
    d.report["domestic_violence_headings"] = _headings(screen.ids.main)
    _check_lines(d, screen, "domestic_violence")
    await d.shot("domestic_violence_top")
    screen.ids.scroll.scroll_to(screen.ids.closing, animate=False)
    await d.frames(3)
    await d.shot("domestic_violence_end")
    await d.set_elderly(True)   # larger type: every paragraph is broken again for its new size
    screen.ids.scroll.scroll_y = 1
    await d.frames(3)
    _check_lines(d, screen, "elderly")
    await d.shot("domestic_violence_elderly")


async def scenario_opinion_elderly_dates(d: Driver) -> None:
    """In 长辈模式 the labor opinion's deadlines: each date with its weekday on one line, at about the title size."""
    from kivy.metrics import dp

    await _touch_to_home(d)
    await d.set_elderly(True)
    screen = await _open_opinion(d, "labor")
    dates = [w for w in screen.ids.body.walk(restrict=True) if type(w).__name__ == "OpinionDate"]
    screen.ids.scroll.scroll_to(dates[0], animate=False)
    await d.frames(3)
    d.report["dates"] = [{"text": w.text, "lines": len(_lines(w)), "font_px": w.font_size,
                          "width_px": w.width, "room_px": w.wrap_width} for w in dates]
    d.report["title_px"] = dp(d.app.theme.font_title_px)
    await d.shot("labor_elderly_deadline")
    screen.ids.scroll.scroll_y = 1
    await d.frames(3)
    hint = screen.ids.more
    d.report["first_hint"] = hint.text
    texts = []
    while hint.below and len(texts) < 40:
        await d.tap_widget(hint)
        await d.frames(4)
        texts.append(hint.text)
    d.report["read_on_taps"] = len(texts)
    d.report["last_hint"] = hint.text
    d.report["closing_in_sight"] = inside(screen.ids.closing, screen.ids.scroll)
    await d.shot("labor_elderly_end")
    await d.tap_widget(hint)
    await d.frames(4)
    d.report["back_at_top"] = screen.ids.scroll.scroll_y


SCENARIOS = {"opinion_fresh": scenario_opinion_fresh, "opinion_elderly_dates": scenario_opinion_elderly_dates}
