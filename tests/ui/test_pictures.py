"""Pictures for citizens who recognise a picture before they read, checked in the real app at 1080x1920."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def _own(pictures: list[dict], name: str) -> bool:
    """Exactly one picture, its own (not the fallback), loaded into a texture and drawn at least 80 px tall."""
    return [(p["name"], p["texture"], p["height"] >= 80) for p in pictures] == [(name, True, True)]


def test_every_tile_topic_level_and_the_consent_screen_show_their_pictures_then_a_rating_is_thanked(
        display, tmp_path):
    report = run_scenario("pictures", display, tmp_path, full_panel=True)
    controls = ("smart", "topics", "legal_aid", "mediation", "notarization", "hotline", "library", "pufa")
    assert {control: _own(pictures, control) for control, pictures in report["tiles"].items()} == {
        control: True for control in controls}
    assert len({pictures[0]["height"] for pictures in report["tiles"].values()}) == 1  # all tiles' alike
    ids = {title: flow_id for flow_id, title in report["topic_ids"].items()}
    assert len(report["topics"]) == len(ids) == 16
    assert [title for title, pictures in report["topics"].items() if not _own(pictures, ids[title])] == []
    for title, pictures in report["topics"].items():  # the picture grows with the button in 长辈模式
        assert report["topics_elderly"][title][0]["height"] > pictures[0]["height"] * 1.2
    assert _own(report["consent"], "card") and report["consent"][0]["height"] >= 300
    levels = {"非常满意": 5, "满意": 4, "基本满意": 3, "不满意": 2, "非常不满意": 1}
    assert {text: _own(pictures, f"rating.{levels[text]}") for text, pictures in report["levels"].items()} == {
        text: True for text in levels}
    assert report["thanks_shown"] and report["thanks_picture"] and report["session_during_thanks"] == "active"
    assert report["thanks_s"] == 2.0
    assert report["ratings"] == [2]  # a tap during the thank-you rates nothing again
    assert report["session_after"] == "idle"
    for shot in ("home", "topics", "topics_elderly", "consent", "rating", "thanks"):
        assert (ARTIFACTS / f"pictures-{shot}.png").stat().st_size > 5000
