"""找人工帮忙 at full panel size: 都不是 reaches a person, the bell rings once per cool-down over a real pty, a failed
bell is told calmly and shown to the technician, and the QR codes on the page read back as what they promise."""

import select
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from firmware_bridge.sim.pty import open_pty
from tests.pty_reading import received
from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui

STAFF = "一楼大厅3号窗口，穿蓝色马甲的工作人员"
RING = b"\xaa\x01\x55"
READ_TIMEOUT_S = 5.0


def _configure(tmp_path: Path, scenario: str, handoff: str) -> None:
    """The site's [handoff] settings, in the overrides file the harness points the kiosk at."""
    outdir = tmp_path / scenario
    outdir.mkdir(parents=True)
    (outdir / "overrides.toml").write_text(
        f'[handoff]\nstaff_location = "{STAFF}"\nstaff_hours = "每天 8:30-17:30"\n{handoff}', encoding="utf-8")


def _qr_codes(shot: Path) -> list[str]:
    return sorted(r.text for r in zxingcpp.read_barcodes(Image.open(shot).convert("L")))


def test_none_of_these_reaches_a_person_and_the_bell_rings_once_per_cooldown(display, tmp_path):
    bell = open_pty()
    try:
        _configure(tmp_path, "handoff_bell",
                   f'call = "bell"\ncooldown_s = 60\n[handoff.bell]\nport = "{bell.port_path}"\nring_hex = "AA 01 55"\n')
        report = run_scenario("handoff_bell", display, tmp_path, full_panel=True)
        # The harness has exited, so every write it made is in the pty: exactly one ring, nothing after it.
        assert received(bell.master_fd, len(RING), READ_TIMEOUT_S) == RING
        assert select.select([bell.master_fd], [], [], 0)[0] == []
    finally:
        bell.close()
    assert report["chosen"] == ["referral"] and report["interview_started"] is False
    assert report["board_at_start"] == [True, ""]
    assert report["can_call"] is True and report["has_referral"] is True
    assert STAFF in report["texts"] and "12348" in report["texts"]
    assert report["audit"] == [["citizen", "staff_call", f"rang bell:{bell.port_path}"]]
    assert report["on_return"] == [1, ""]  # back at the top, the last message gone
    assert "tel:12348" in _qr_codes(ARTIFACTS / "handoff_bell-page.png")
    assert (ARTIFACTS / "handoff_bell-call_again.png").exists() and (ARTIFACTS / "handoff_bell-elderly.png").exists()


def test_a_missing_bell_sends_the_citizen_to_the_window_and_shows_on_the_health_board(display, tmp_path):
    port = tmp_path / "no-such-bell"
    _configure(tmp_path, "handoff_bell_missing", f'call = "bell"\n[handoff.bell]\nport = "{port}"\n')
    report = run_scenario("handoff_bell_missing", display, tmp_path, full_panel=True)
    assert report["board_at_start"] == [False, "HND-001"]
    assert report["message"] == f"没有叫通。请直接去找{STAFF}，或者拨打12348。"
    assert report["audit"] == [["citizen", "staff_call", f"failed HND-001 bell:{port}"]]
    assert any("呼叫工作人员" in line and "HND-001" in line for line in report["health_text"].splitlines())


def test_a_site_with_a_video_call_link_shows_it_as_a_qr_code_beside_12348(display, tmp_path):
    url = "https://video.example.cn/room/3"
    _configure(tmp_path, "handoff_video", f'call = "video"\nvideo_url = "{url}"\n')
    report = run_scenario("handoff_video", display, tmp_path, full_panel=True)
    assert report["can_call"] is False and report["call_button_height"] == 0
    assert report["video_qr"] is True and report["board"] is None
    assert _qr_codes(ARTIFACTS / "handoff_video-page.png") == sorted([url, "tel:12348"])
    assert report["flow"] == "referral"  # the referral questions stay one tap away
