"""Plain answers on the real screen at full panel size: the words on the buttons, the progress line and 不清楚."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_buttons_fit_the_question_and_unsure_reaches_the_opinion(display, tmp_path):
    report = run_scenario("plain_answers", display, tmp_path, full_panel=True)
    steps = report["steps"]
    assert steps["situation"] == "第 1 题 / 共 10 题"
    assert steps["migrant"] == "第 10 题 / 共 10 题"          # every question of the longest path was asked
    review = report["review"]
    assert review["site_company"] == "不知道"                # tapped by its word: the buttons read 知道 / 不知道
    assert review["left_date"] == review["amount"] == review["contract"] == "不清楚"
    assert ["被欠的钱", "不清楚"] in report["facts"] and ["是否签了书面劳动合同", "不清楚"] in report["facts"]
    assert report["deadlines"] == []                        # no date is made up from a date nobody knows
    assert any("您说不清这个日子" in risk for risk in report["risks"])
    for shot in ("know", "signed", "yesno", "review", "opinion"):
        assert (ARTIFACTS / f"plain_answers-{shot}.png").stat().st_size > 5000


def test_a_worker_dismissed_in_probation_taps_through_the_rights_branch_in_elderly_mode(display, tmp_path):
    report = run_scenario("labour_rights", display, tmp_path, full_panel=True)
    assert report["pages"] == ["situation", "rights_issue", "probation_issue", "rights_employer", "rights_left_date"]
    assert report["outcome"].startswith("加班费、年休假、试用期、劳动合同")
    assert report["deadlines"] == ["申请劳动仲裁（请仲裁委评理）的最后一天"]
    for shot in ("rights_issue", "probation_issue", "opinion"):
        assert (ARTIFACTS / f"labour_rights-{shot}.png").stat().st_size > 5000
