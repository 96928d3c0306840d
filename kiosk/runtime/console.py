"""The terminal's text console while the kiosk owns the screen: no switching to another console, no blanking.

Why: with Kivy straight on KMS/DRM there is no X server to refuse Ctrl+Alt+F2 or to keep the screen awake; the
kernel's virtual terminal does both. The unit runs `lock` as root before each start and `unlock` after the kiosk
stops, so a technician with a keyboard gets the console back whenever the kiosk is not running. Standard library
only: it runs from the last good release like the release guard.
"""

from __future__ import annotations

import fcntl
import os
import sys

VT_LOCKSWITCH = 0x560B
VT_UNLOCKSWITCH = 0x560C
"""ioctls of linux/vt.h: refuse or allow switching to another virtual console (root only)."""
BLANK_OFF = b"\x1b[9;0]\x1b[14;0]"
"""console_codes(4): screen blank timeout 0 and VESA powerdown 0 (what `setterm --blank 0 --powerdown 0` sends)."""
CURSOR_OFF = b"\x1b[?25l"
CURSOR_ON = b"\x1b[?25h"


def lock(tty: str) -> str:
    """Keep the console awake with no cursor and switching refused; says what was done."""
    return _apply(tty, BLANK_OFF + CURSOR_OFF, VT_LOCKSWITCH, "switching locked")


def unlock(tty: str) -> str:
    """Give the console back: cursor shown, switching allowed (blanking stays off)."""
    return _apply(tty, CURSOR_ON, VT_UNLOCKSWITCH, "switching allowed")


def _apply(tty: str, codes: bytes, request: int, done: str) -> str:
    fd = os.open(tty, os.O_WRONLY | os.O_NOCTTY)
    try:
        os.write(fd, codes)
        try:
            fcntl.ioctl(fd, request)
        except OSError as exc:
            return f"{tty}: blanking off; not a virtual console, {done.split()[0]} not changed ({exc.strerror})"
        return f"{tty}: blanking off, {done}"
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    """`python3 -m kiosk.runtime.console lock|unlock TTY`."""
    if len(argv) != 2 or argv[0] not in ("lock", "unlock"):
        print("usage: python3 -m kiosk.runtime.console lock|unlock TTY", file=sys.stderr)
        return 2
    try:
        print((lock if argv[0] == "lock" else unlock)(argv[1]))
    except OSError as exc:
        print(f"kiosk: {argv[1]}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
