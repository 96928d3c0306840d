"""Reading what a program wrote to a pty's device side, with a deadline (the tests' stand-in for a device)."""

from __future__ import annotations

import os
import select
import time


def received(fd: int, size: int, timeout_s: float) -> bytes:
    """Up to `size` bytes from the pty's device side, waiting at most `timeout_s` for them."""
    deadline = time.monotonic() + timeout_s
    out = b""
    while len(out) < size:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        out += os.read(fd, size - len(out))
    return out
