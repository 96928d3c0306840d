"""The bugs a real walk-through found (issue 12), each replayed with real taps in the real app at 1080x1920.

Scenarios are in tests/ui/scenarios_bugs.py; screenshots land in tests/_artifacts/ui/bugs_*.png.
"""

import pytest
from PIL import Image

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_the_keyboard_reopens_on_every_tap_and_each_session_starts_clean(display, tmp_path):
    report = run_scenario("bugs_keyboard", display, tmp_path, full_panel=True)
    for visit in ("visit1", "visit2"):
        seen = report[visit]
        assert seen["start"] == {"text": "", "keyboard": False, "chinese": True}
        assert seen["opened"] is True
        assert seen["first"] == ["老板", ["劳动争议与欠薪"]]
        assert seen["key_over_topic"] is True  # a topic appeared where the q key was...
        assert seen["after_stray_tap"] == ["smart_consult", False]  # ...and a tap meant for q did not pick it
        assert seen["reopened"] is True  # tapping the box after the results opens the keyboard again
        assert seen["screen_after_typing"] == "smart_consult" and seen["interview_after_typing"] is False
        assert seen["second"] == ["老板拖欠工资", ["劳动争议与欠薪"]]  # the text was edited, not replaced
    for shot in ("visit2_results", "visit2_reopened", "visit2_found_again"):
        assert (ARTIFACTS / f"bugs_keyboard-{shot}.png").stat().st_size > 5000


def test_a_double_tap_answers_one_question(display, tmp_path):
    report = run_scenario("bugs_double_tap", display, tmp_path, full_panel=True)
    assert report["gap_s"] >= 0.24  # at least 250 ms by Kivy's frame clock (more when frames are slow)
    assert report["step_before"] == [6, "contract"]
    assert report["step_after"] == [7, "evidence"]  # not 8: the second tap was ignored


def test_no_dead_ends_back_from_the_card_offer_the_legal_aid_check_and_smart_consultation(display, tmp_path):
    report = run_scenario("bugs_dead_ends", display, tmp_path, full_panel=True)
    assert report["consent_back"] == "topics"
    assert report["legal_aid_flow"] == "legal_aid"
    assert report["legal_aid_back"] == "opinion" and report["opinion_kept"] is True
    assert report["consent_back_to_smart"] is True
    assert report["smart_back"] == "smart_consult" and report["smart_back_kept"] is True
    assert report["new_visit_clean"] is True


def test_date_pages_start_from_the_earlier_date_and_a_month_question_asks_only_the_month(display, tmp_path):
    report = run_scenario("bugs_dates", display, tmp_path, full_panel=True)
    assert report["left_starts"] == "2026-11-22"  # today (the test clock)
    assert report["later_months_disabled"] == [False, True]  # this month, but nothing after it
    assert report["owed_starts"] == "2026-06-01"  # from the date the farmer left
    assert report["owed_month_only"] is True and report["owed_day_buttons"] == 0
    assert report["date_taps"] == {"left_date": 3, "owed_since": 2}  # was 6 + 10 on − / +
    assert report["answers"] == ["2026年6月30日", "2026年2月"]
    width, height = report["minus_ink_px"]
    assert width >= 30 and height >= 6  # the "−" was 3 px tall
    assert min(report["plus_ink_px"]) >= 30
    assert report["year_steps"] == [["2025-06-30", False], ["2024-06-30", False], ["2025-06-30", False]]


def test_the_keypad_has_a_backspace_beside_clear(display, tmp_path):
    report = run_scenario("bugs_keypad", display, tmp_path, full_panel=True)
    assert report["shown"] == "18600 元"
    assert report["side_by_side"] is True
    assert report["smallest_key_px"] >= 60
    assert report["answer"] == "18600元"


def test_the_review_page_of_the_longest_flow_shows_every_row_whole(display, tmp_path):
    report = run_scenario("bugs_review", display, tmp_path, full_panel=True)
    assert report["rows"] == 11
    assert report["bad_rows"] == []
    assert report["last_visible"] is True


def test_no_candidate_is_clipped_behind_the_page_keys(display, tmp_path):
    report = run_scenario("bugs_candidates", display, tmp_path, full_panel=True)
    assert len(report["clipped"]) > 1 and all(page == [] for page in report["clipped"])
    assert report["in_order"] is True


def test_the_countdown_shows_whole_offers_to_finish_and_can_hide_the_screen(display, tmp_path):
    report = run_scenario("bugs_countdown", display, tmp_path, full_panel=True)
    assert report["all_inside"] is True and report["title_whole"] is True
    assert report["session"] == "idle" and report["wiped"] is True
    margin = report["box_x_px"] - 8  # a strip left of the dialog, where the question page's buttons are
    for shot, one_colour in (("countdown", False), ("countdown_opaque", True)):
        image = Image.open(ARTIFACTS / f"bugs_countdown-{shot}.png").convert("RGB")
        strip = image.crop((margin - 30, 200, margin, image.height - 10))
        assert (len(strip.getcolors(maxcolors=4096) or range(4097)) == 1) is one_colour, shot
