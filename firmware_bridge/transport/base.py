"""The Transport protocol every device driver talks through; drivers receive one, never build one.

Why: the same driver must run on a real port (`/dev/kiosk/printer`), a simulator's pty, a TCP bridge
(`socket://`), pyserial's `loop://`, or an in-memory fake in unit tests, with no code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(slots=True)
class LinkHealth:
    """Counters of one link since start, for diagnosing a flaky cable or adapter (nothing reports them yet)."""

    bytes_written: int = 0
    bytes_read: int = 0
    write_timeouts: int = 0
    read_timeouts: int = 0
    errors: int = 0
    reconnects: int = 0
    opens: int = 0


class Transport(Protocol):
    """A byte link. Methods raise `firmware_bridge.errors.TransportError` (or its `TransportTimeout`)."""

    url: str
    health: LinkHealth

    def open(self) -> None:
        """Open the link (idempotent)."""

    def close(self) -> None:
        """Close the link (idempotent, never raises)."""

    @property
    def is_open(self) -> bool:
        """Whether the link is believed usable."""

    def write(self, data: bytes, timeout_s: float | None = None) -> None:
        """Write all of `data` or raise; `timeout_s` bounds the whole write."""

    def read(self, size: int, timeout_s: float) -> bytes:
        """Read up to `size` bytes, returning what arrived within `timeout_s` (possibly b"")."""

    def read_exactly(self, size: int, timeout_s: float) -> bytes:
        """Read exactly `size` bytes or raise TransportTimeout after `timeout_s`."""

    def flush_input(self) -> None:
        """Discard unread input (stale replies before a new query)."""
