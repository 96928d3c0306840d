"""Every citizen screen at the panel's 1080x1920: no text under 24 px (32 px in 长辈模式), no touch target under
60 px (about 15 mm on a 21.5-inch panel; 78 px in 长辈模式)."""

import pytest

from tests.ui.runner import run_scenario

pytestmark = pytest.mark.ui

FLOORS_PX = {"normal": {"text": 24, "target": 60}, "elderly": {"text": 32, "target": 60}}


@pytest.fixture(scope="module")
def sizes(display, tmp_path_factory):
    return run_scenario("sizes", display, tmp_path_factory.mktemp("sizes"), full_panel=True)


def test_the_walk_saw_every_page_kind_at_full_panel_size(sizes):
    assert sizes["window"] == [1080, 1920]
    assert {"choice", "yesno", "money", "date"} <= set(sizes["kinds"])


@pytest.mark.parametrize("look", ["normal", "elderly"])
@pytest.mark.parametrize("kind", ["text", "target"])
def test_nothing_is_smaller_than_the_floor(sizes, look, kind):
    floor = FLOORS_PX[look][kind]
    measured = [m for m in sizes[look] if m["kind"] == kind]
    assert len(measured) > 100
    too_small = [f"{m['where']} {m['text']!r} {m['px']} px" for m in measured if m["px"] < floor]
    assert not too_small, "\n".join(too_small)
