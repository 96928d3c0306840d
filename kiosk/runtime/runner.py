"""Running the kiosk: configuration, logging, the crash-loop guard, the object graph, then the Kivy loop.

Why: `kiosk run` on a terminal and `kiosk run --dev` on a laptop or a headless CI machine are the same code;
development only changes where the configuration and data live and adds a virtual display when none exists.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import MutableMapping
from importlib import resources
from pathlib import Path

from kiosk.runtime import safe_mode
from kiosk.runtime.bootstrap import Kiosk, build, data_dir_of
from kiosk.runtime.display import ensure_display
from kiosk.runtime.logging_setup import configure_logging, keep_recent_problems
from kiosk.config.loader import load
from kiosk.core.clock import Clock
from kiosk.core.events import AppStarted
from kiosk.core.ids import read_boot_id
from kiosk.release.health import REPORT_FILE, write_report

logger = logging.getLogger(__name__)


def dev_data_dir(environ: MutableMapping[str, str]) -> Path:
    """The per-user data directory of development runs (XDG data home)."""
    base = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kiosk-dev"


def apply_dev_environment(environ: MutableMapping[str, str]) -> None:
    """Point configuration and data at development locations unless the caller already chose them."""
    data_dir = dev_data_dir(environ)
    dev_profile = resources.files("kiosk.runtime").joinpath("dev.toml")
    environ.setdefault("KIOSK_CONFIG_FILE", str(dev_profile))
    environ.setdefault("KIOSK_OVERRIDES_FILE", str(data_dir / "overrides.toml"))
    environ.setdefault("KIOSK_PATHS__DATA_DIR", str(data_dir))
    environ.setdefault("KIOSK_LEGAL_AID__VERIFICATION_KEY_FILE", str(data_dir / "opinion.key"))
    environ.setdefault("KIOSK_LEGAL_AID__APPLICATION_KEY_FILE", str(data_dir / "legal_aid_application.key"))
    environ.setdefault("KIOSK_FLEET__CONTENT_DIR", str(data_dir / "content"))


def prepare(*, dev: bool, force_safe_mode: bool = False, clock: Clock | None = None) -> Kiosk:
    """Load config, set up logging, consult the crash-loop guard and build the object graph (not started)."""
    if dev:
        apply_dev_environment(os.environ)
    loaded = load()
    configure_logging(loaded.config.logging.level, loaded.config.logging.format, read_boot_id())
    kiosk = build(loaded, clock=clock)
    kiosk.recent_problems = keep_recent_problems()
    kiosk.safe_mode = (kiosk.guard.begin() or force_safe_mode
                       or safe_mode.requested(data_dir_of(loaded.config)) is not None)
    # What the release guard reads after READY=1 before it commits a new release (kiosk.release.guard.commit).
    report = data_dir_of(loaded.config) / REPORT_FILE
    kiosk.bus.subscribe(AppStarted, lambda event: write_report(report, safe_mode=event.safe_mode))
    logger.info("kiosk %s starting (safe_mode=%s, data=%s)", loaded.config.kiosk.id, kiosk.safe_mode,
                data_dir_of(loaded.config))
    return kiosk


def stop_on_signal(app) -> None:
    """SIGTERM (systemd stopping the unit) and SIGINT close the app the normal way, so every service stops in
    order: the outbox is flushed, ports are closed, the session is wiped."""
    from kivy.clock import Clock

    def request_stop(_signum, _frame) -> None:
        Clock.schedule_once(lambda _dt: app.stop(), 0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)


def run_ui(kiosk: Kiosk, *, dev: bool) -> int:
    """Start the services and the Kivy loop until the window closes; stop everything after."""
    xvfb = ensure_display() if dev else None
    try:
        kiosk.start(after_first_frame=True)
        from kiosk.ui.environment import prepare_kivy

        prepare_kivy(kiosk.config.ui, data_dir_of(kiosk.config))
        from kiosk.ui.app import KioskApp

        app = KioskApp(kiosk)
        stop_on_signal(app)
        app.run()
    finally:
        kiosk.stop()
        if xvfb is not None:
            close_window()
            xvfb.terminate()
            xvfb.wait(timeout=10)
    return 0


def close_window() -> None:
    """Close Kivy's window (and with it the X connection) before its virtual display goes away: Xlib ends a
    process whose server vanishes under an open connection with exit status 1 ("XIO: fatal IO error")."""
    if "kivy.core.window" in sys.modules:
        from kivy.core.window import Window

        Window.close()
