"""Rebooting the terminal for the fleet's `reboot` command, through systemd.

Why: systemd stops every unit in order (the kiosk gets SIGTERM and wipes the session, flushes the outbox and
closes its ports) before the machine restarts; the kiosk runs unprivileged, so logind asks polkit, which
deploy/polkit/50-kiosk-reboot.rules allows for the kiosk user alone. `systemctl` is found on PATH and run
without a shell and without waiting for a password prompt.
"""

from __future__ import annotations

import logging
import subprocess

from kiosk.runtime.systemd import SystemdNotifier
from kiosk.fleet.protocol import Code, Rejected

logger = logging.getLogger(__name__)

REBOOT_ARGV = ("systemctl", "--no-ask-password", "reboot")
SYSTEMCTL_TIMEOUT_S = 30.0
"""How long `systemctl reboot` may take to queue the reboot (it returns before the machine goes down)."""


def reboot(notifier: SystemdNotifier) -> dict[str, bool]:
    """Ask systemd to reboot the machine; Rejected (503) unless systemd started this kiosk, so a development run
    never reboots the laptop it runs on; Rejected (500) when systemctl refuses, with its first line of stderr."""
    if not notifier.enabled:
        raise Rejected("not started by systemd (no NOTIFY_SOCKET): this machine is not rebooted", Code.UNAVAILABLE)
    try:
        done = subprocess.run(REBOOT_ARGV, capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise Rejected("systemctl not found", Code.UNAVAILABLE) from None
    except subprocess.TimeoutExpired:
        raise Rejected(f"systemctl reboot did not return within {SYSTEMCTL_TIMEOUT_S:.0f} s", Code.FAILED) from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
        raise Rejected(f"systemctl reboot failed: {reason[:300]}", Code.FAILED)
    logger.info("rebooting at the fleet's request: systemd is stopping the kiosk")
    return {"rebooting": True}
