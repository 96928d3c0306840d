"""Start-up benchmark: process start → interactive home screen, and resident memory, kiosk vs a bare Kivy window.

Both are started the same way (a fresh interpreter under the same display) in the same run; each child
reports when the first frame showing its content was drawn and flipped to the screen (the window's `on_flip`,
not a clock callback, which Kivy may run before anything is drawn) and its RSS then. Budget: both ratios ≤ 1.5.
Both use compiled bytecode, as an installed kiosk does. Run: `python -m tests.bench.startup` (starts Xvfb when
there is no display). Prints one JSON object.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
CHILD_TIMEOUT_S = 120


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child_bare(t0: float) -> dict:
    """A bare Kivy window with one label: same window size, density and Kivy environment as the kiosk's
    development run, set directly (importing nothing of the kiosk, not even its config schema)."""
    os.environ.update(KIVY_NO_ARGS="1", KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1", KIVY_LOG_MODE="PYTHON",
                      KIVY_HOME=tempfile.mkdtemp(), KIVY_METRICS_DENSITY="0.4")
    from kivy.config import Config

    Config.set("graphics", "width", "432")
    Config.set("graphics", "height", "768")
    Config.set("graphics", "fullscreen", "0")
    from kivy.app import App
    from kivy.uix.label import Label

    result: dict = {}

    class Bare(App):
        def build(self):
            return Label(text="bare")

        def on_start(self):
            _after_next_flip(lambda: (result.update(ready_s=time.time() - t0, rss_kb=_rss_kb()), self.stop()))

    Bare().run()
    return result


def _after_next_flip(callback) -> None:
    """Call `callback` once, right after the next frame has been drawn and flipped to the screen."""
    from kivy.core.window import Window

    def flipped(*_):
        Window.unbind(on_flip=flipped)
        callback()

    Window.bind(on_flip=flipped)


def child_kiosk(t0: float) -> dict:
    """The kiosk in development mode up to the home screen being current and drawn."""
    data = Path(tempfile.mkdtemp())
    os.environ["KIOSK_PATHS__DATA_DIR"] = str(data)
    os.environ["KIOSK_OVERRIDES_FILE"] = str(data / "overrides.toml")
    from kiosk.app.runner import prepare

    kiosk = prepare(dev=True)
    kiosk.start(after_first_frame=True)
    from kiosk.app.bootstrap import data_dir_of
    from kiosk.ui.environment import prepare_kivy

    prepare_kivy(kiosk.config.ui, data_dir_of(kiosk.config))
    from kivy.clock import Clock

    from kiosk.ui.app import KioskApp

    result: dict = {}
    app = KioskApp(kiosk)

    def home_drawn() -> None:
        result.update(ready_s=time.time() - t0, rss_kb=_rss_kb())
        threading.Thread(target=wait_for_subsystems, daemon=True).start()

    def wait_for_subsystems() -> None:
        """Devices, content and fleet start after the first frame; how long until all have tried, UI running."""
        if kiosk.wait_started(CHILD_TIMEOUT_S / 2):
            result["subsystems_started_s"] = round(time.time() - t0, 3)
        Clock.schedule_once(lambda _dt: app.stop(), 0)

    def go_home(_dt):
        app.show("home")
        _after_next_flip(home_drawn)

    def started(*_args) -> None:
        """Returns None: a true return would stop the dispatch before the app's own on_start runs."""
        Clock.schedule_once(go_home, 0)

    app.bind(on_start=started)
    try:
        app.run()
    finally:
        kiosk.stop()
    return result


def _measure(kind: str, display: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["DISPLAY"] = display
    code = ("import sys,time,json; t0=float(sys.argv[1]); from tests.bench.startup import child_{0};"
            "print('RESULT'+json.dumps(child_{0}(t0)))").format(kind)
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", code, repr(t0)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=CHILD_TIMEOUT_S)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT"):
            return json.loads(line[len("RESULT"):])
    raise RuntimeError(f"{kind} child failed: {out.stderr[-2000:]}")


def _median_or_none(values: list[float | None]) -> float | None:
    """The median, or None when any run did not get that far."""
    return None if None in values else round(statistics.median(values), 3)


def compile_kiosk() -> None:
    """Give the kiosk's modules the bytecode an installed kiosk has (pip compiles them on install) and Kivy's
    already have; where PYTHONDONTWRITEBYTECODE is set, a source checkout would otherwise compile every module
    at every start."""
    for package in ("kiosk", "firmware_bridge"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise SystemExit(f"could not compile {package}")


def main() -> None:
    from kiosk.app.display import have_display, start_xvfb

    xvfb = None
    if have_display():
        display = os.environ.get("DISPLAY", "")
    else:
        xvfb, display = start_xvfb()
    try:
        compile_kiosk()
        for kind in ("bare", "kiosk"):
            _measure(kind, display)  # warm the page cache so the first measured runs are not penalised
        runs = {"bare": [], "kiosk": []}
        for _ in range(RUNS):
            for kind in runs:
                runs[kind].append(_measure(kind, display))
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(timeout=10)
    med = {kind: {"ready_s": round(statistics.median(r["ready_s"] for r in results), 3),
                  "rss_mb": round(statistics.median(r["rss_kb"] for r in results) / 1024, 1)}
           for kind, results in runs.items()}
    print(json.dumps({
        "runs": RUNS,
        "bare_kivy": med["bare"],
        "kiosk_home": med["kiosk"],
        "kiosk_subsystems_started_s": _median_or_none([r.get("subsystems_started_s") for r in runs["kiosk"]]),
        "start_ratio": round(med["kiosk"]["ready_s"] / med["bare"]["ready_s"], 2),
        "rss_ratio": round(med["kiosk"]["rss_mb"] / med["bare"]["rss_mb"], 2),
        "budget_ratio": 1.5,
    }))


if __name__ == "__main__":
    main()
