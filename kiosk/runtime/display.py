"""A virtual display for development and tests: start Xvfb when there is no screen to draw on.

Why: the development command and the UI tests must run on a headless machine exactly as on a desk, with the
real Kivy window drawn by Mesa's software renderer. On a kiosk the display is always there and this is unused.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time

logger = logging.getLogger(__name__)

XVFB_SCREEN = "1080x1920x24"
"""Virtual screen: the kiosk panel's portrait size at 24-bit colour."""
XVFB_START_TIMEOUT_S = 15.0


def have_display(environ=os.environ) -> bool:
    """Whether an X or Wayland display is already set."""
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def start_xvfb(timeout_s: float = XVFB_START_TIMEOUT_S) -> tuple[subprocess.Popen, str]:
    """Start Xvfb on a free display number (it picks one and tells us through a pipe); returns (process, ':N')."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise FileNotFoundError("Xvfb not found; install the Debian package xvfb")
    read_fd, write_fd = os.pipe()
    # -noreset: without it Xvfb resets when its last client leaves, and a client connecting during the reset
    # dies with "XIO: fatal IO error" (one UI test process after another does exactly that).
    process = subprocess.Popen([xvfb, "-displayfd", str(write_fd), "-screen", "0", XVFB_SCREEN, "-nolisten", "tcp",
                                "-noreset"],
                               pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)  # Ctrl-C in the terminal stops the kiosk, which stops Xvfb
    os.close(write_fd)
    try:
        import selectors

        with selectors.DefaultSelector() as selector:
            selector.register(read_fd, selectors.EVENT_READ)
            deadline = time.monotonic() + timeout_s
            reported = b""
            # Xvfb writes the number and its newline in two writes and dies if the pipe is closed in between.
            while not reported.endswith(b"\n"):
                if not selector.select(max(0.0, deadline - time.monotonic())):
                    process.kill()
                    raise TimeoutError(f"Xvfb did not report a display within {timeout_s} s")
                chunk = os.read(read_fd, 64)
                if not chunk:
                    break
                reported += chunk
        number = reported.decode("ascii").strip()
    finally:
        os.close(read_fd)
    if not number.isdigit():
        process.kill()
        raise RuntimeError(f"Xvfb failed to start (said {number!r})")
    logger.info("started Xvfb on :%s", number)
    return process, f":{number}"


def ensure_display() -> subprocess.Popen | None:
    """Set DISPLAY to a fresh Xvfb when no display exists; returns the process to stop at exit, or None."""
    if have_display():
        return None
    process, display = start_xvfb()
    os.environ["DISPLAY"] = display
    return process
