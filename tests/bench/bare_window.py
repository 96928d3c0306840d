"""A bare Kivy window, the baseline of the start-up bench: one label, set up as `kiosk run` sets up its fullscreen
window (size, density, Kivy environment), and READY=1 to systemd's socket once its first frame is flipped.

Run: `python -m tests.bench.bare_window WIDTH_PX HEIGHT_PX`. It imports nothing but Kivy and the notifier, so the
baseline carries none of the bench's own imports; KIVY_HOME comes from the caller.
"""

from __future__ import annotations

import os
import sys


def main(width_px: int, height_px: int) -> None:
    """Open the window and run until stopped."""
    os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON",
                      KIVY_METRICS_DENSITY="1.0000")
    from kivy.config import Config

    Config.set("graphics", "width", str(width_px))
    Config.set("graphics", "height", str(height_px))
    Config.set("graphics", "fullscreen", "auto")
    Config.set("graphics", "resizable", "0")
    Config.set("graphics", "borderless", "1")
    from kivy.app import App
    from kivy.core.window import Window
    from kivy.uix.label import Label

    from kiosk.runtime.systemd import SystemdNotifier

    def flipped(*_) -> None:
        Window.unbind(on_flip=flipped)
        SystemdNotifier().notify("READY=1")

    class Bare(App):
        def build(self):
            return Label(text="bare")

        def on_start(self):
            Window.bind(on_flip=flipped)

    Bare().run()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
