"""The fleet's `screenshot` command on the real app under Xvfb at 1080x1920, mid-session, through the real command
path (console → Mosquitto → the kiosk's agent → the UI thread → HTTP PUT): the PNG the server receives shows the
screen as the citizen sees it, with the typed question and the keyboard's composition, the opinion, the card
holder's name and ID number and the phone number blank, and the panel itself unchanged after it; a screen
without an entry in the list of what is personal (kiosk.ui.screen_capture.PERSONAL) is hidden whole, and every
screen of the app has its entry."""

import hashlib

import pytest
from PIL import Image, ImageChops

from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION, broker, broker_factory  # noqa: F401
from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = [pytest.mark.ui, pytest.mark.broker]

SCENARIO = "fleet_screenshot"


def colours(picture: Image.Image, box: list[int]) -> int:
    """How many distinct colours the box holds (1 = blank)."""
    return len(picture.crop(tuple(box)).getcolors(1 << 24))


def test_a_screenshot_mid_session_hides_every_personal_field(display, broker, tmp_path):
    password = tmp_path / "kiosk-password"
    password.write_text(KIOSK_PASSWORD)
    outdir = tmp_path / SCENARIO
    outdir.mkdir()
    (outdir / "overrides.toml").write_text(
        f'[kiosk]\nid = "k-0001"\nregion = "{REGION}"\n'
        f'[fleet]\nenabled = true\nhost = "127.0.0.1"\nport = {broker.port}\ntls = false\n'
        f'password_file = "{password}"\nstart_jitter_s = 0.0\n', encoding="utf-8")
    report = run_scenario(SCENARIO, display, tmp_path, full_panel=True)
    assert report["session_in_use"], "all three were taken while the citizen's session went on"
    assert report["typed"][0] == "老板" and report["typed"][1], report["typed"]
    assert set(report["moments"]) == {"typed", "opinion", "card_and_phone", "undecided"}
    assert report["unlisted"] == [], "every screen says what of it is personal, with names that exist"
    for name, moment in report["moments"].items():
        reply, result = moment["reply"], moment["reply"]["result"]
        assert reply["code"] == 200, (name, reply)
        received = ARTIFACTS / f"{SCENARIO}-{name}_fleet.png"
        body = received.read_bytes()
        assert moment["content_type"] == "image/png"
        assert result["sha256"] == moment["sha256"] == hashlib.sha256(body).hexdigest()
        assert result["bytes"] == len(body) and result["screen"] == moment["screen"] and result["hidden"] >= 1
        fleet = Image.open(received)
        assert fleet.format == "PNG" and fleet.size == (1080, 1920) == (result["width"], result["height"])
        fleet = fleet.convert("RGB")
        panel = Image.open(ARTIFACTS / f"{SCENARIO}-{name}_panel.png").convert("RGB")
        after = Image.open(ARTIFACTS / f"{SCENARIO}-{name}_after.png").convert("RGB")
        for field, box in moment["personal"].items():
            assert colours(panel, box) > 1, f"{name}: the citizen sees {field}"
            assert colours(fleet, box) == 1, f"{name}: {field} is blank in the screenshot"
            assert colours(after, box) > 1, f"{name}: {field} is back on the panel"
        for field, box in moment["visible"].items():
            assert colours(fleet, box) > 1, f"{name}: {field} is in the screenshot"
            assert ImageChops.difference(panel.crop(box), fleet.crop(box)).getbbox() is None, \
                f"{name}: {field} as on the panel"
