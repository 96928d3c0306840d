"""Long answer lists on the real screen at full panel size: all in sight where they fit, a tap for the rest."""

import pytest

from kiosk.ui.cjk_wrap import NO_LINE_START
from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_every_answer_shows_at_once_in_the_normal_look_none_below_the_touch_size(display, tmp_path):
    report = run_scenario("choices_fit", display, tmp_path, full_panel=True)
    assert report["answers"] >= 9 and report["seen"] == report["answers"]
    assert report["smallest_px"] >= report["touch_px"]
    assert report["hint_shown"] is False
    assert (ARTIFACTS / "choices_fit-administrative.png").stat().st_size > 5000


def test_a_list_too_long_for_the_elderly_look_counts_the_rest_and_a_tap_shows_them(display, tmp_path):
    report = run_scenario("choices_page", display, tmp_path, full_panel=True)
    answers, first_seen = report["answers"], report["first_seen"]
    assert 5 <= len(first_seen) < len(answers)          # as many as the help line above leaves room for
    assert first_seen == answers[: len(first_seen)]
    assert report["below"] == len(answers) - len(first_seen)
    assert report["first_hint"] == f"↓ 下面还有 {report['below']} 项，点这里往下看"
    assert report["hints"][-1] == "↑ 回到上面"
    assert report["all_seen"] is True
    assert report["answered"] == "unsure" and report["hint_after"] is False
    assert report["given_in_sight"] is True and report["first_in_sight"] is False
    # the long answers break by Chinese line rules: no line starts with a closing mark, the words stay whole
    assert any(len(lines) > 1 for lines in report["lines"])
    assert not [line for lines in report["lines"] for line in lines if line[:1] in NO_LINE_START]
    assert ["".join(lines) for lines in report["lines"]] == answers
    for shot in ("first", "last", "back"):
        assert (ARTIFACTS / f"choices_page-{shot}.png").stat().st_size > 5000


def test_the_last_topic_is_reached_by_taps_alone_in_the_elderly_look(display, tmp_path):
    report = run_scenario("topics_page", display, tmp_path, full_panel=True)
    assert report["first_below"] == report["topics"] - report["first_seen"] > 0
    assert 1 <= report["taps"] <= 4
    assert report["last_hint"] == "↑ 回到上面"
    assert report["screen"] != "topics"
    for shot in ("first", "last"):
        assert (ARTIFACTS / f"topics_page-{shot}.png").stat().st_size > 5000


def test_the_whole_date_picker_is_in_sight_under_the_longest_date_question_in_the_elderly_look(display, tmp_path):
    """Twenty of the 48 date pages hid the days after 20 below the edge in 长辈模式 (a citizen whose day was the
    25th had to know the keys scroll); months in rows of six and keys at the touch size bring all into sight."""
    report = run_scenario("date_fits", display, tmp_path, full_panel=True)
    assert report["keys"] == 12 + 31 and report["keys_in_sight"] == report["keys"]
    assert report["smallest_key_px"] >= report["touch_px"] - 0.01  # the same size, less float rounding
    assert report["month_lines"] == [1]        # "10月" on one line in a key a sixth of the row wide
    assert report["answered"] == "2025-10-31"
    assert (ARTIFACTS / "date_fits-found_date.png").stat().st_size > 5000


def test_the_last_common_question_of_smart_consultation_is_reached_by_taps_in_the_elderly_look(display, tmp_path):
    report = run_scenario("smart_common_page", display, tmp_path, full_panel=True)
    assert report["first_below"] == report["common"] - report["first_seen"] > 0
    assert report["first_hint"] == f"↓ 下面还有 {report['first_below']} 项，点这里往下看"
    assert 1 <= report["taps"] <= 4
    assert report["offered"]                     # the tapped question was ranked as if typed
    assert report["hint_after"] == [False, 0]    # the line goes with the list it counted
    for shot in ("first", "last"):
        assert (ARTIFACTS / f"smart_common_page-{shot}.png").stat().st_size > 5000


def test_the_hand_off_pages_last_place_is_a_tap_away_in_the_elderly_look(display, tmp_path):
    report = run_scenario("hotline_page", display, tmp_path, full_panel=True)
    assert report["first_hint"] == "↓ 下面还有内容，点这里往下看"
    assert 1 <= report["taps"] <= 3 and report["last_hint"] == "↑ 回到上面"
    assert (ARTIFACTS / "hotline_page-last.png").stat().st_size > 5000
