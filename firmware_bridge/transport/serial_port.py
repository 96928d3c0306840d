"""A Transport over pyserial's `serial_for_url`: device paths, `socket://`, `loop://`, simulator ptys.

Why: python-escpos 3.1 opens ports without a write timeout and without real flow control (its `dsrdtr=True`
does nothing on Linux), so a printer with its cover open blocks a write forever. This transport sets the write
timeout and the flow control explicitly, counts what happens, and survives a USB-serial adapter that disappears
and comes back: after a failure the port is closed and re-opened on the next use, no sooner than an
exponential backoff allows, so a missing adapter costs one cheap check per call instead of a hot loop.
"""

from __future__ import annotations

import termios
import time
from collections.abc import Callable
from typing import Literal

import serial

from firmware_bridge.errors import TransportError, TransportTimeout
from firmware_bridge.transport.base import LinkHealth

FlowControl = Literal["rtscts", "xonxoff", "none"]

LINK_ERRORS = (serial.SerialException, OSError, termios.error)
"""What a vanished port raises: pyserial wraps most, but tcflush and tcsetattr surface termios.error."""
FIRST_BACKOFF_S = 0.2
"""Seconds to wait before the first re-open attempt after a failure."""
MAX_BACKOFF_S = 5.0
"""Upper bound in seconds of the re-open backoff (doubles after each failed attempt)."""


class SerialTransport:
    """A serial link by URL with write timeout, explicit flow control, reconnect backoff and health counters."""

    def __init__(self, url: str, *, baudrate: int = 115200, flow_control: FlowControl = "none",
                 write_timeout_s: float = 5.0, first_backoff_s: float = FIRST_BACKOFF_S,
                 max_backoff_s: float = MAX_BACKOFF_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self.baudrate = baudrate
        self.flow_control = flow_control
        self.write_timeout_s = write_timeout_s
        self.health = LinkHealth()
        self._first_backoff_s = first_backoff_s
        self._max_backoff_s = max_backoff_s
        self._monotonic = monotonic
        self._port: serial.SerialBase | None = None
        self._backoff_s = 0.0
        self._next_attempt_at = 0.0
        self._lost = False

    # ---- lifecycle ---------------------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the port is open and has not failed since."""
        return self._port is not None and self._port.is_open

    @property
    def retry_in_s(self) -> float:
        """Seconds until the next re-open attempt is allowed (0 when allowed now)."""
        return max(0.0, self._next_attempt_at - self._monotonic())

    def open(self) -> None:
        """Open the port (idempotent); raises TransportError, and while backing off refuses without trying."""
        if self.is_open:
            return
        now = self._monotonic()
        if now < self._next_attempt_at:
            raise TransportError(f"{self.url} unavailable; next attempt in {self._next_attempt_at - now:.1f} s")
        try:
            port = serial.serial_for_url(self.url, do_not_open=True)
            port.baudrate = self.baudrate
            port.bytesize = serial.EIGHTBITS
            port.parity = serial.PARITY_NONE
            port.stopbits = serial.STOPBITS_ONE
            port.rtscts = self.flow_control == "rtscts"
            port.xonxoff = self.flow_control == "xonxoff"
            port.dsrdtr = False
            port.write_timeout = self.write_timeout_s
            port.timeout = 0
            port.open()
        except (*LINK_ERRORS, ValueError) as exc:
            self.health.errors += 1
            self._backoff_s = min(self._max_backoff_s, max(self._first_backoff_s, self._backoff_s * 2))
            self._next_attempt_at = now + self._backoff_s
            raise TransportError(f"cannot open {self.url}: {exc}") from exc
        self._port = port
        self.health.opens += 1
        if self._lost:
            self.health.reconnects += 1
            self._lost = False
        self._backoff_s = 0.0
        self._next_attempt_at = 0.0

    def close(self) -> None:
        """Close the port (idempotent, never raises)."""
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except LINK_ERRORS:
                self.health.errors += 1

    # ---- I/O ---------------------------------------------------------------------------------------------

    def write(self, data: bytes, timeout_s: float | None = None) -> None:
        """Write all of `data` within `timeout_s` (default: the configured write timeout) or raise.

        No tcdrain afterwards: under XOFF it would block without any timeout."""
        port = self._ready()
        try:
            _set_if_changed(port, "write_timeout", self.write_timeout_s if timeout_s is None else timeout_s)
            written = port.write(data)
        except serial.SerialTimeoutException as exc:
            self.health.write_timeouts += 1
            raise TransportTimeout(f"write of {len(data)} bytes to {self.url} timed out") from exc
        except LINK_ERRORS as exc:
            self._fail()
            raise TransportError(f"write to {self.url} failed: {exc}") from exc
        self.health.bytes_written += written or 0
        if written is not None and written < len(data):
            self.health.write_timeouts += 1
            raise TransportTimeout(f"only {written} of {len(data)} bytes written to {self.url}")

    def read(self, size: int, timeout_s: float) -> bytes:
        """Read up to `size` bytes, returning what arrived within `timeout_s` (possibly b"")."""
        port = self._ready()
        try:
            _set_if_changed(port, "timeout", timeout_s)
            data = port.read(size)
        except LINK_ERRORS as exc:
            self._fail()
            raise TransportError(f"read from {self.url} failed: {exc}") from exc
        self.health.bytes_read += len(data)
        return bytes(data)

    def read_exactly(self, size: int, timeout_s: float) -> bytes:
        """Read exactly `size` bytes or raise TransportTimeout after `timeout_s`."""
        deadline = self._monotonic() + timeout_s
        out = bytearray()
        while len(out) < size:
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                self.health.read_timeouts += 1
                raise TransportTimeout(f"{len(out)} of {size} bytes from {self.url} within {timeout_s} s")
            out += self.read(size - len(out), remaining)
        return bytes(out)

    def flush_input(self) -> None:
        """Discard unread input (stale replies before a new query)."""
        port = self._ready()
        try:
            port.reset_input_buffer()
        except LINK_ERRORS as exc:
            self._fail()
            raise TransportError(f"flush of {self.url} failed: {exc}") from exc

    def abort_write(self) -> None:
        """Drop output still queued after a stalled write and resume output held by XOFF, so a real-time
        status query can reach a printer that stopped reading (the job is lost either way)."""
        if self._port is None:
            return
        try:
            self._port.reset_output_buffer()
            if self._port.xonxoff:   # Linux resumes output held by a received XOFF only when IXON is cleared
                self._port.xonxoff = False
                self._port.xonxoff = True
        except LINK_ERRORS:
            self.health.errors += 1

    # ---- internals ---------------------------------------------------------------------------------------

    def _ready(self) -> serial.SerialBase:
        if not self.is_open:
            self.open()
        assert self._port is not None
        return self._port

    def _fail(self) -> None:
        """Count a link failure and drop the port so the next call re-opens it (after the backoff)."""
        self.health.errors += 1
        self._lost = True
        self.close()
        self._backoff_s = self._first_backoff_s
        self._next_attempt_at = self._monotonic() + self._backoff_s


def _set_if_changed(port: serial.SerialBase, name: str, value: float) -> None:
    """Set a timeout attribute only when it differs: each assignment re-applies termios settings."""
    if getattr(port, name) != value:
        setattr(port, name, value)
