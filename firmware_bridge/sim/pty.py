"""A pseudo-terminal pair for simulators: the device side is driven by the simulator, the other path is a port.

Why: integration tests and development runs must exercise real pyserial and termios, not an in-process fake.
A pty does not model baud timing or modem lines (DTR/DSR/CTS); simulators model speed themselves.
"""

from __future__ import annotations

import os
import termios
import tty
from dataclasses import dataclass


@dataclass(slots=True)
class PtyPair:
    """The simulator's end (`master_fd`) and the path a driver opens like a serial port (`port_path`)."""

    master_fd: int
    slave_fd: int
    port_path: str

    def close(self) -> None:
        """Close both ends (idempotent)."""
        for fd in (self.master_fd, self.slave_fd):
            try:
                os.close(fd)
            except OSError:
                pass


def open_pty() -> PtyPair:
    """Open a raw pty pair; the slave fd stays open so the port survives a driver's close/reopen."""
    master_fd, slave_fd = os.openpty()
    for fd in (master_fd, slave_fd):
        tty.setraw(fd)
        attrs = termios.tcgetattr(fd)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
    return PtyPair(master_fd=master_fd, slave_fd=slave_fd, port_path=os.ttyname(slave_fd))
