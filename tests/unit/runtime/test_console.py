"""The console set-up the unit runs around the kiosk: the escape codes reach the terminal, a pty is not a VT."""

from __future__ import annotations

import os
import subprocess
import sys

from kiosk.runtime.console import BLANK_OFF, CURSOR_OFF, CURSOR_ON


def run_on_pty(action: str) -> tuple[subprocess.CompletedProcess, bytes]:
    """`python -m kiosk.runtime.console ACTION` on a fresh pty; its result and what the terminal received."""
    master, slave = os.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "kiosk.runtime.console", action, os.ttyname(slave)],
                                capture_output=True, text=True, timeout=30)
        received = os.read(master, 1024)
    finally:
        os.close(master)
        os.close(slave)
    return result, received


def test_lock_turns_blanking_and_cursor_off_and_names_a_pty_as_no_console() -> None:
    result, received = run_on_pty("lock")
    assert result.returncode == 0, result.stderr
    assert received == BLANK_OFF + CURSOR_OFF
    assert "not a virtual console, switching not changed" in result.stdout


def test_unlock_shows_the_cursor_again() -> None:
    result, received = run_on_pty("unlock")
    assert result.returncode == 0 and received == CURSOR_ON


def test_missing_terminal_is_one_line_and_exit_1() -> None:
    result = subprocess.run([sys.executable, "-m", "kiosk.runtime.console", "lock", "/dev/no-such-tty"],
                            capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stderr.strip()) == (1, "kiosk: /dev/no-such-tty: No such file or directory")
