"""Where a technician's USB stick is: the configured directory, else the stick mounted last under /media.

Why: the diagnostic bundle goes to a stick the technician carries away; a terminal has no desktop to ask where it
is, so it is found among the mounts (deploy/udev/80-kiosk-usb-stick.rules mounts a stick under /media/kiosk-usb,
desktop systems mount under /media/USER/LABEL or /run/media/USER/LABEL). A site can name a fixed directory instead
(maintenance.bundle_dir), which tests use for a directory standing for the stick. The stick mounted last is the
one the technician just plugged in.
"""

from __future__ import annotations

import re
from pathlib import Path

MOUNTS = Path("/proc/self/mounts")
MOUNT_ROOTS = ("/media/", "/run/media/")
"""Mount points below these are removable media (udisks, systemd-mount by the udev rule)."""
_ESCAPE = re.compile(r"\\([0-7]{3})")


class NoStick(Exception):
    """No stick is mounted (or the configured directory does not exist)."""


def removable_mounts(mounts_text: str) -> list[Path]:
    """Mount points of removable media in a mounts table (/proc/self/mounts), in mount order."""
    found = []
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        point = _ESCAPE.sub(lambda m: chr(int(m[1], 8)), fields[1])  # the table writes a space as \040
        if point.startswith(MOUNT_ROOTS):
            found.append(Path(point))
    return found


def stick_directory(configured: str, mounts: Path = MOUNTS) -> Path:
    """The directory a bundle is written to; NoStick when there is none."""
    if configured:
        if not Path(configured).is_dir():
            raise NoStick(f"{configured} is not a directory")
        return Path(configured)
    try:
        table = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise NoStick(f"{mounts}: {exc.strerror}") from None
    points = removable_mounts(table)
    if not points:
        raise NoStick(f"nothing mounted under {' or '.join(MOUNT_ROOTS)}")
    return points[-1]
