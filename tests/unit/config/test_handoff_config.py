"""The [handoff] section: site facts and the staff-call device are configuration (a bad value is refused with its
key named: test_loader's test of bad keys and values)."""

from kiosk.config.loader import load


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


def test_a_video_call_needs_only_its_url(clean_env):
    (clean_env / "overrides.toml").write_text('[handoff]\ncall = "video"\nvideo_url = "https://v.example.cn/r/7"\n')
    assert load().config.handoff.video_url == "https://v.example.cn/r/7"
