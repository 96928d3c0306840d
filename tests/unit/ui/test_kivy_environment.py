"""Kivy's settings on the terminal (kiosk.ui.environment): pointer hidden, picture turned, touch provider replaced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from pathlib import Path
from kiosk.config.schema import UiConfig
from kiosk.ui.environment import prepare_kivy
prepare_kivy(UiConfig(**json.loads(sys.argv[1])), Path(sys.argv[2]))
from kivy.config import Config
print(json.dumps({"show_cursor": Config.get("graphics", "show_cursor"), "rotation": Config.get("graphics", "rotation"),
                  "fullscreen": Config.get("graphics", "fullscreen"), "input": dict(Config.items("input"))}))
"""


def kivy_settings(tmp_path: Path, **ui) -> dict:
    """Kivy's Config after prepare_kivy, in a fresh process (Kivy's Config is process-wide)."""
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(ui), str(tmp_path)], capture_output=True,
                            text=True, timeout=60, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_terminal_hides_the_pointer_turns_the_picture_and_uses_the_calibrated_touch_provider(tmp_path: Path) -> None:
    touch = "probesysfs,provider=hidinput,param=invert_y=1,param=min_position_x=0.02"
    settings = kivy_settings(tmp_path, fullscreen=True, rotation_deg=90, touch_input=touch)
    assert settings == {"show_cursor": "0", "rotation": "90", "fullscreen": "auto",
                        "input": {"mouse": "mouse,multitouch_on_demand", "touch": touch}}


def test_development_window_keeps_the_pointer_and_kivys_touch_default(tmp_path: Path) -> None:
    settings = kivy_settings(tmp_path, fullscreen=False)
    assert (settings["show_cursor"], settings["rotation"]) == ("1", "0")
    assert settings["input"] == {"mouse": "mouse,multitouch_on_demand", "%(name)s": "probesysfs"}
