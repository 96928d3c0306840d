"""The farmer owed wages walks from the attract screen to a printed slip and a rating, alone, at full panel size,
in 长辈模式 with every page read aloud."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_the_farmer_reaches_a_printed_slip_and_a_rating_with_every_page_spoken(display, tmp_path):
    report = run_scenario("farmer_walk", display, tmp_path, full_panel=True)
    assert report["printed_number"] is True
    assert report["elderly_after"] is False and report["wiped"] is True
    steps = report["steps"]
    assert [s for s in steps if s.startswith("q:")][:2] == ["q:situation", "q:left_date"]
    # every page that appeared in 长辈模式 was read: each question and the opinion (timing is the benchmark's)
    assert len(report["said_first"]) >= 12
    assert report["clips"][0] > 1000
    said = report["said_first"]
    assert "您现在还在这个老板（单位）那里干活吗？" in said and "您的法律意见书说：" in said
    assert "打印好了，请从出纸口取走。" in said  # the printer's message is read too
    assert report["taps"] <= 36
    # the review's rows run below the edge in 长辈模式, and the line under them says how many
    assert report["review_hint"] is not None and report["review_hint"].startswith("↓ 下面还有")
    for shot in ("home", "elderly_offer", "review", "opinion", "printed", "thanks"):
        assert (ARTIFACTS / f"farmer_walk-{shot}.png").stat().st_size > 5000


def test_not_knowing_a_date_or_an_amount_is_one_tap_and_still_reaches_an_opinion(display, tmp_path):
    report = run_scenario("unsure_walk", display, tmp_path, full_panel=True)
    assert {"date", "money", "choice", "yesno"} <= set(report["unsure_kinds"])
    assert report["outcome"] == "arbitration"
    assert report["review_unsure"] >= 5
