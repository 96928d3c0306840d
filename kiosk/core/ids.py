"""Identifiers: the boot id that ties log lines and telemetry of one boot together, and random ids."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

_LINUX_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def read_boot_id() -> str:
    """The kernel's boot id when there is one (stable across app restarts within a boot), else a fresh uuid."""
    try:
        return _LINUX_BOOT_ID.read_text(encoding="ascii").strip()
    except OSError:
        return str(uuid.uuid4())


def new_id() -> str:
    """A random 128-bit id as 32 hex digits, for sessions, jobs and commands."""
    return uuid.uuid4().hex


def short_code(length: int = 8) -> str:
    """A random code of upper-case letters and digits without look-alikes (0/O, 1/I), for humans to read."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(length))
