"""`screenshot` through the real command path on a kiosk that shows no screen (composed without its UI, as tools
and these tests run it): answered 503, and nothing is uploaded. The screenshot itself, mid-session with personal
fields hidden, is tested on the real app under Xvfb: tests/ui/test_fleet_screenshot.py."""

import sys

import pytest

from tests.integration.app.fleet_commands_support import (broker, broker_factory, command, console,  # noqa: F401
                                                          make_kiosk, receiver, wait_online)  # noqa: F401

pytestmark = pytest.mark.broker


def test_a_kiosk_without_a_screen_answers_503_and_uploads_nothing(make_kiosk, console, broker, receiver):
    make_kiosk()
    wait_online(console)
    kivy_loaded = "kivy.app" in sys.modules
    reply = command(console, broker, "screenshot", {"url": receiver.url("/shots/k-0001.png")})
    assert reply["code"] == 503 and reply["error"] == "no screen: the kiosk runs without its UI"
    assert receiver.bodies == {}
    assert ("kivy.app" in sys.modules) == kivy_loaded, "answering did not start Kivy"
