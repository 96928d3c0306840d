"""The citizen bar at full panel size: 快速离开 wipes a sensitive consultation, the danger page comes first,
长辈模式 is offered by age and forgotten with the session."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_quick_exit_mid_flow_on_a_sensitive_topic_leaves_nothing(display, tmp_path):
    report = run_scenario("quick_exit", display, tmp_path, full_panel=True)
    assert report["bar_on_home"] is True
    assert report["sensitive"] is True and report["idle_timeout_s"] == 45.0
    assert report["header"] == "法律咨询"  # a passer-by does not read 家庭暴力 over her shoulder
    assert report["danger_shown_after_no"] is False
    assert report["countdown_opaque"] is True  # nothing of the question shows through the countdown
    assert report["session_after_exit"] == "idle" and report["interview_after_exit"] is False
    assert report["sensitive_after_exit"] is False and report["idle_timeout_after_exit"] == 60.0
    assert report["bar_after_exit"] is False
    assert (ARTIFACTS / "quick_exit-after_exit.png").stat().st_size > 5000


def test_an_answer_of_danger_shows_110_before_anything_else(display, tmp_path):
    report = run_scenario("danger", display, tmp_path, full_panel=True)
    assert report["steps"][0].startswith("请马上拨打110")
    assert report["screen_after"] == "consult"


def test_elderly_mode_is_offered_by_age_and_forgotten_with_the_session(display, tmp_path):
    report = run_scenario("elderly_offer", display, tmp_path, full_panel=True)
    normal, elderly = report["body_px"]
    assert elderly > normal * 1.2
    assert report["idle_timeout_s"] == 180.0
    assert report["elderly_after_end"] is False and report["body_after_end"] == normal
