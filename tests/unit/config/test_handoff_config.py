"""The [handoff] section: site facts and the staff-call device are configuration, checked with the key named."""

import pytest

from kiosk.config.loader import load
from kiosk.core.errors import KioskError


def test_a_site_configures_its_staff_and_a_serial_bell(clean_env, monkeypatch):
    (clean_env / "kiosk.toml").write_text(
        '[handoff]\nstaff_location = "一楼大厅3号窗口，穿蓝色马甲的工作人员"\ncall = "bell"\n'
        '[handoff.bell]\nport = "/dev/kiosk/bell"\nring_hex = "AA 01 55"\n')
    monkeypatch.setenv("KIOSK_HANDOFF__COOLDOWN_S", "45")
    handoff = load().config.handoff
    assert handoff.staff_location == "一楼大厅3号窗口，穿蓝色马甲的工作人员"
    assert (handoff.call, handoff.bell.ring_hex, handoff.cooldown_s) == ("bell", "AA 01 55", 45.0)
    assert handoff.bell.write_timeout_s == 2.0  # unset keys keep their defaults


def test_the_defaults_call_nobody(clean_env):
    handoff = load().config.handoff
    assert handoff.call == "none" and handoff.video_url == ""


@pytest.mark.parametrize("text, key", [
    ('[handoff]\ncall = "video"\n', "handoff.video_url"),
    ('[handoff]\ncall = "phone"\n', "handoff.call"),
    ('[handoff]\ncooldown_s = 2\n', "handoff.cooldown_s"),
    ('[handoff]\nvideo_url = "javascript:alert(1)"\n', "handoff.video_url"),
    ('[handoff.bell]\nring_hex = "BEL"\n', "handoff.bell.ring_hex"),
    ('[handoff.bell]\nring_hex = ""\n', "handoff.bell.ring_hex"),
    ('[handoff.gpio]\npulse_s = 0\n', "handoff.gpio.pulse_s"),
    ('[handoff.gpio]\nvalue = "/sys/class/gpio/gpio17/value"\n', "handoff.gpio.value"),
])
def test_a_bad_handoff_setting_is_refused_with_its_key(clean_env, text, key):
    (clean_env / "overrides.toml").write_text(text)
    with pytest.raises(KioskError) as info:
        load()
    assert info.value.code == "CFG-002"
    assert key in info.value.detail and str(clean_env / "overrides.toml") in info.value.detail


def test_a_video_call_needs_only_its_url(clean_env):
    (clean_env / "overrides.toml").write_text('[handoff]\ncall = "video"\nvideo_url = "https://v.example.cn/r/7"\n')
    assert load().config.handoff.video_url == "https://v.example.cn/r/7"
