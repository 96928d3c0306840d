"""The opinion screen in the real app at the panel's full 1080x1920 (scenarios in tests/ui/scenarios_opinion.py).

One scenario serves these tests: two visitors in a row, the first reading the labor opinion and its statutes,
the second the domestic violence opinion.
"""

import pytest

from kiosk.legal.opinion_layout import Part, opinion_sections
from kiosk.legal.verification import from_plain
from kiosk.ui.i18n import Translator
from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui

ACT_FIRST = ["可以怎么办", "时间期限", "去哪里办", "需要准备的材料", "法律援助", "您说的情况", "分析", "风险提示"]


@pytest.fixture(scope="module")
def report(display, tmp_path_factory):
    return run_scenario("opinion_fresh", display, tmp_path_factory.mktemp("opinion"), full_panel=True)


def test_the_next_visitors_opinion_opens_at_the_top_with_the_statutes_folded(report):
    assert report["first_scroll_y"] < 0.9  # the first visitor really scrolled down, statutes open
    assert report["second_scroll_y"] == 1
    assert report["second_law_open"] is False and report["second_law_paragraphs"] == 0
    assert report["widgets_left_after_leaving"] == 0  # nothing of the opinion stays on the screen once left


def test_what_to_act_on_comes_first_and_the_statutes_unfold_under_their_button(report):
    assert report["labor_headings"] == ACT_FIRST
    assert report["domestic_violence_headings"] == [h for h in ACT_FIRST if h != "时间期限"]  # no deadline
    assert report["toggle_text_open"] == "收起法律依据"
    assert report["law_paragraphs"] == 15  # five statutes: citation, gist and text each (the button is their heading)
    assert report["law_paragraphs_folded"] == 0
    assert 0 <= report["unfolded_button_below_view_top_px"] < 40  # the statutes start at the top of the view
    assert report["folded_button_in_view"] is True  # folded again, the button is still there to tap


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(report):
    for name in ("labor", "labor_law", "domestic_violence", "elderly"):
        assert report[f"{name}_lines"] > 40
        assert report[f"{name}_bad_lines"] == []
        assert report[f"{name}_rewrapped_by_kivy"] == []


def test_screenshots_of_both_opinions_and_the_statutes(report):
    for shot in ("labor_top", "labor_law_open", "first_scrolled", "domestic_violence_top", "domestic_violence_end",
                 "domestic_violence_elderly"):
        assert (ARTIFACTS / f"opinion_fresh-{shot}.png").stat().st_size > 5000


def test_the_screen_shows_the_one_layout_the_slip_and_terminal_print(report):
    """Issue 15 item 9: the widgets say what opinion_sections says, heading by heading and paragraph by
    paragraph (the statutes' heading is their button); the slip and the terminal are held to the same model in
    tests/integration/printer/test_opinion_renderings.py."""
    sections = opinion_sections(from_plain(report["labor_document"]), Translator())
    assert report["labor_screen_texts"] == [
        text for s in sections
        for text in ([s.heading] if s.heading and s.part is not Part.LAW else []) + [p.text for p in s.paragraphs]]


def test_a_deadlines_date_reads_on_one_line_and_the_rest_is_a_tap_away_in_the_elderly_look(display, tmp_path):
    """长辈模式's title size broke '2027年1月11日 星期一' after 星; the date now shrinks a little to stay whole."""
    report = run_scenario("opinion_elderly_dates", display, tmp_path, full_panel=True)
    assert report["dates"]
    for date in report["dates"]:
        assert "星期" in date["text"] and date["lines"] == 1, date
        assert date["width_px"] <= date["room_px"] + 1
        assert date["font_px"] >= 0.8 * report["title_px"]
    assert (ARTIFACTS / "opinion_elderly_dates-labor_elderly_deadline.png").stat().st_size > 5000
    # the rest of the opinion is one tap at a time away, and the last tap goes back to the top
    assert report["first_hint"] == "↓ 下面还有内容，点这里往下看"
    assert 2 <= report["read_on_taps"] <= 30
    assert report["last_hint"] == "↑ 回到上面" and report["closing_in_sight"] is True
    assert report["back_at_top"] == 1
