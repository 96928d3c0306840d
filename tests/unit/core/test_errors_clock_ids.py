"""Coded errors, the fake clock and ids."""

from datetime import timedelta

import pytest

from kiosk.core.clock import CHINA_TZ, FakeClock, SystemClock
from kiosk.core.errors import CONFIG_INVALID, KioskError
from kiosk.core.ids import new_id, read_boot_id, short_code


def test_kiosk_error_carries_code_citizen_key_and_detail():
    error = KioskError(CONFIG_INVALID, "kiosk.toml: ui.window_scale")
    assert error.code == "CFG-002"
    assert error.citizen_key == "error.config"
    assert error.detail == "kiosk.toml: ui.window_scale"
    assert "CFG-002" in str(error)


def test_fake_clock_moves_wall_and_monotonic_together():
    clock = FakeClock()
    wall, mono = clock.now(), clock.monotonic()
    clock.advance(90)
    assert clock.now() - wall == timedelta(seconds=90)
    assert clock.monotonic() - mono == pytest.approx(90)
    assert clock.now().tzinfo == CHINA_TZ


def test_system_clock_is_china_time():
    assert SystemClock().now().utcoffset() == timedelta(hours=8)


def test_ids():
    assert len(new_id()) == 32 and new_id() != new_id()
    code = short_code(10)
    assert len(code) == 10 and not set(code) & set("01IO")
    assert read_boot_id() == read_boot_id()
