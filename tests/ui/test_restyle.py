"""长辈模式 switched a slice of each frame at a time (kiosk.ui.restyle) gives every widget of every prebuilt page the
look one whole assignment of the theme gives, loses and leaks no kv rule, and survives a switch back mid-way."""

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui


def test_the_sliced_switch_gives_every_widget_the_whole_switch_look(display, tmp_path):
    report = run_scenario("restyle", display, tmp_path, full_panel=True)
    assert report["busy_after_tap"] == [True, True]   # the tap did not run all of it
    assert report["same_as_whole"] == [True, True]
    assert report["home_fits"] == [True, True]          # eight tiles under the bar in 长辈模式 too
    assert min(report["widgets"]) > 400                # every prebuilt page's widgets were compared
    first, last = report["observers"]
    assert first == last > 2000                        # each rule bound again once, none lost
    assert report["busy_between"] is True and report["toggled_back_differing"] == []
    for shot in ("elderly", "normal"):
        assert (ARTIFACTS / f"restyle-{shot}.png").stat().st_size > 5000
