"""systemd notification: READY=1 once the home screen is interactive, WATCHDOG=1 from the UI loop.

Why: pinging the watchdog from the Kivy thread means a frozen UI (the failure a citizen sees) stops the pings
and systemd restarts the kiosk. Does nothing when not started by systemd (no NOTIFY_SOCKET).
"""

from __future__ import annotations

import os
import socket


class SystemdNotifier:
    """Sends sd_notify datagrams; silent no-op outside systemd."""

    def __init__(self, environ=os.environ) -> None:
        self._address = environ.get("NOTIFY_SOCKET", "")
        watchdog_usec = environ.get("WATCHDOG_USEC", "")
        self.watchdog_interval_s = int(watchdog_usec) / 2e6 if watchdog_usec.isdigit() else 0.0
        """Half the watchdog timeout in seconds (0 when no watchdog is configured)."""

    @property
    def enabled(self) -> bool:
        """Whether systemd is listening."""
        return bool(self._address)

    def notify(self, message: str) -> None:
        """Send one state line such as `READY=1` (errors are ignored: systemd may be gone at shutdown)."""
        if not self._address:
            return
        address = "\0" + self._address[1:] if self._address.startswith("@") else self._address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.sendto(message.encode(), address)
        except OSError:
            pass
