"""Kivy's process-wide settings, applied before Kivy is first imported.

Why: Kivy reads its environment and `Config` at import time; the window size, density, log routing and the
Kivy home directory must be set first or the kiosk opens at the wrong size and writes into $HOME. On the
terminal the pointer is hidden, the picture turned for a panel mounted in portrait, and the touch panel's
calibrated provider replaces Kivy's default (the video driver itself comes from the unit: SDL's kmsdrm).
Layouts are designed in pixels of the 1080x1920 portrait panel; a development window at `window_scale`
sets Kivy's density to the same factor, so `dp(1080)` is always the full width. Kivy decodes pictures with SDL2
only (KIVY_IMAGE): every picture it shows is a PNG of kiosk/ui/icons, and QR codes are textures made from pixels,
so its other loaders (Pillow's among them, imported with Kivy otherwise) would only lengthen the start.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.config.schema import UiConfig

DESIGN_WIDTH_PX = 1080
DESIGN_HEIGHT_PX = 1920
KIVY_IMAGE_LOADERS = "sdl2"
"""Kivy's image providers, all imported with Kivy: SDL2_image reads the PNGs the kiosk shows."""
KIVY_DEFAULT_TOUCH = "%(name)s"
"""The key of Kivy's default touch provider on Linux (probesysfs) in its [input] section."""


def prepare_kivy(ui: UiConfig, data_dir: Path) -> None:
    """Set Kivy's environment and Config for this process; must run before `import kivy.*`."""
    scale = 1.0 if ui.fullscreen else ui.window_scale
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_IMAGE", KIVY_IMAGE_LOADERS)
    os.environ["KIVY_HOME"] = str(data_dir / "kivy")
    os.environ["KIVY_METRICS_DENSITY"] = f"{scale:.4f}"
    (data_dir / "kivy").mkdir(parents=True, exist_ok=True)
    from kivy.config import Config

    Config.set("graphics", "width", str(round(DESIGN_WIDTH_PX * scale)))
    Config.set("graphics", "height", str(round(DESIGN_HEIGHT_PX * scale)))
    Config.set("graphics", "fullscreen", "auto" if ui.fullscreen else "0")
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "borderless", "1" if ui.fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if ui.fullscreen else "1")
    Config.set("graphics", "rotation", str(ui.rotation_deg))
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    if ui.touch_input:
        Config.remove_option("input", KIVY_DEFAULT_TOUCH)
        Config.set("input", "touch", ui.touch_input)
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_enable", "0")
