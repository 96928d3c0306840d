"""An in-memory scripted Transport for unit tests of drivers: replies keyed by what was written.

Why: a driver's unit tests must pin down its bytes and its reaction to every reply (good, garbage, silence,
a pulled cable) without a port or a thread. Integration tests use the simulators on real ptys instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from firmware_bridge.errors import TransportError, TransportTimeout
from firmware_bridge.transport.base import LinkHealth

Responder = Callable[[bytes], bytes]
"""Given the bytes of one write, the bytes the device answers (b"" for silence)."""


class FakeTransport:
    """Records every write; answers from queued replies, rules by exact request, or a responder function."""

    def __init__(self, url: str = "fake://", responder: Responder | None = None) -> None:
        self.url = url
        self.health = LinkHealth()
        self.writes: list[bytes] = []
        self.responder = responder
        self.rules: dict[bytes, bytes] = {}
        """Exact request bytes → reply bytes; consulted after the queued replies are used up."""
        self.fail_writes = False
        """When set, writes raise TransportError as if the cable were pulled."""
        self.stall_writes = False
        """When set, writes raise TransportTimeout as if flow control held the line."""
        self._inbox: deque[int] = deque()
        self._queued: deque[bytes] = deque()
        self._open = False

    @property
    def written(self) -> bytes:
        """Everything written so far, concatenated."""
        return b"".join(self.writes)

    @property
    def is_open(self) -> bool:
        return self._open

    def queue_reply(self, data: bytes) -> None:
        """Answer the next write with `data` (replies queue up in order)."""
        self._queued.append(data)

    def open(self) -> None:
        if not self._open:
            self._open = True
            self.health.opens += 1

    def close(self) -> None:
        self._open = False

    def write(self, data: bytes, timeout_s: float | None = None) -> None:
        self.open()
        if self.fail_writes:
            self.health.errors += 1
            raise TransportError(f"write to {self.url} failed (simulated)")
        if self.stall_writes:
            self.health.write_timeouts += 1
            raise TransportTimeout(f"write to {self.url} timed out (simulated)")
        self.writes.append(bytes(data))
        self.health.bytes_written += len(data)
        if self._queued:
            reply = self._queued.popleft()
        elif data in self.rules:
            reply = self.rules[data]
        elif self.responder is not None:
            reply = self.responder(bytes(data))
        else:
            reply = b""
        self._inbox.extend(reply)

    def read(self, size: int, timeout_s: float) -> bytes:
        self.open()
        out = bytes(self._inbox.popleft() for _ in range(min(size, len(self._inbox))))
        self.health.bytes_read += len(out)
        return out

    def read_exactly(self, size: int, timeout_s: float) -> bytes:
        data = self.read(size, timeout_s)
        if len(data) < size:
            self._inbox.extendleft(reversed(data))
            self.health.read_timeouts += 1
            raise TransportTimeout(f"{len(data)} of {size} bytes from {self.url}")
        return data

    def abort_write(self) -> None:
        """Clear a simulated stall, as the serial transport's abort does for a held line."""
        self.stall_writes = False

    def flush_input(self) -> None:
        self._inbox.clear()
