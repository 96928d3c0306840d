"""呼叫工作人员: a call bell on a serial port, or a GPIO line pulsed at the window, rung from the hand-off page.

Why: a citizen stuck at the screen needs a person, not another questionnaire. One tap must reach someone; twenty
taps must not ring twenty times; a bell that fails must send the citizen to the window or 12348 rather than leave
them waiting for nobody, and must show on the health board with its code so a technician fixes it. Ringing does
device I/O and may block up to the write timeout or the pulse: `call()` runs on a worker thread, never the UI's.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from firmware_bridge.errors import TransportError
from firmware_bridge.transport.base import Transport
from kiosk.config.schema import CallBellConfig, GpioCallConfig, HandoffConfig
from kiosk.core.clock import Clock
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.core.events import EventBus, SubsystemFailed, SubsystemRecovered

SUBSYSTEM = "staff_call"
"""The health board's name for the staff-call signal."""

BELL_FAILED = ErrorCode("HND-001", "staff call bell not reached (port missing, write failed or timed out)",
                        "hotline.call_failed")
GPIO_FAILED = ErrorCode("HND-002", "staff call GPIO line not writable (not exported, not an output, or no access)",
                        "hotline.call_failed")

Audit = Callable[..., None]
"""`AuditLog.record(action, detail, actor=...)`: queues a row, never raises."""


class CallResult(Enum):
    """What one tap on 呼叫工作人员 did."""

    CALLED = "called"
    COOLING = "cooling"
    """A call went out less than the cool-down ago: nothing was sent again."""
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CallOutcome:
    """The result of a call, with the error code when it failed (for the technician; the citizen gets words)."""

    result: CallResult
    code: str = ""


class Signal(Protocol):
    """A device that tells staff someone needs them; both methods raise KioskError when it cannot."""

    description: str
    """Kind and address for the health board and the audit log (no personal data)."""

    def check(self) -> None:
        """Make sure the device can be reached, without signalling."""

    def ring(self) -> None:
        """Signal staff once (blocking)."""

    def close(self) -> None:
        """Release the device (never raises)."""


class SerialBell:
    """A bell that rings when it receives `ring_hex` on its serial port."""

    def __init__(self, config: CallBellConfig, transport: Transport) -> None:
        self._config = config
        self._transport = transport
        self._ring = bytes.fromhex(config.ring_hex)
        self.description = f"bell:{transport.url}"

    def check(self) -> None:
        try:
            self._transport.open()
        except TransportError as exc:
            raise KioskError(BELL_FAILED, str(exc)) from exc

    def ring(self) -> None:
        try:
            self._transport.write(self._ring, self._config.write_timeout_s)
        except TransportError as exc:
            raise KioskError(BELL_FAILED, str(exc)) from exc

    def close(self) -> None:
        self._transport.close()


class GpioPulse:
    """An output line driven active for `pulse_s`, then idle again, through its sysfs `value` file."""

    def __init__(self, config: GpioCallConfig, sleep: Callable[[float], None] = time.sleep) -> None:
        self._config = config
        self._sleep = sleep
        self._active, self._idle = (b"0", b"1") if config.active_low else (b"1", b"0")
        self.description = f"gpio:{config.value_path}"

    def check(self) -> None:
        if not os.access(self._config.value_path, os.W_OK):
            raise KioskError(GPIO_FAILED, f"{self._config.value_path}: missing or not writable")

    def ring(self) -> None:
        try:
            self._write(self._active)
            try:
                self._sleep(self._config.pulse_s)
            finally:
                self._write(self._idle)
        except OSError as exc:
            raise KioskError(GPIO_FAILED, f"{self._config.value_path}: {exc}") from exc

    def _write(self, level: bytes) -> None:
        """Write one level; never creates the file (a line that is not exported must fail, not become a file)."""
        fd = os.open(self._config.value_path, os.O_WRONLY | os.O_TRUNC)
        try:
            os.write(fd, level)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Leave the line idle at shutdown."""
        with contextlib.suppress(OSError):
            self._write(self._idle)


def signal_for(config: HandoffConfig, bell: Transport | None) -> Signal | None:
    """The configured staff-call device (not opened), or None when the site has none (`none`, `video`).

    `bell` is the serial bell's transport, made with the other devices' links (kiosk.runtime.devices) when
    `call = "bell"`; a GPIO line is a file, not a link.
    """
    if config.call == "bell" and bell is not None:
        return SerialBell(config.bell, bell)
    if config.call == "gpio":
        return GpioPulse(config.gpio)
    return None


class StaffCall:
    """Rings the site's signal at most once per cool-down; every call audited, every failure on the health board."""

    def __init__(self, signal: Signal | None, bus: EventBus, clock: Clock, audit: Audit, *,
                 cooldown_s: float) -> None:
        self._signal = signal
        self._bus = bus
        self._clock = clock
        self._audit = audit
        self._cooldown_s = cooldown_s
        self._last_call_at: float | None = None
        self._lock = threading.Lock()
        self._ringing = threading.Lock()
        self._failed = False

    @property
    def available(self) -> bool:
        """Whether the site has a bell or line the kiosk can ring (the page shows 呼叫工作人员 only then)."""
        return self._signal is not None

    @property
    def description(self) -> str:
        """The signal's kind and address, for the health board."""
        return self._signal.description if self._signal is not None else "none"

    def start(self) -> None:
        """Check the signal once at start, so a missing bell shows on the board before a citizen presses it."""
        if self._signal is None:
            return
        try:
            self._signal.check()
        except KioskError:
            self._failed = True
            raise

    def stop(self) -> None:
        """Release the device."""
        if self._signal is not None:
            with self._ringing:
                self._signal.close()

    def call(self) -> CallOutcome:
        """Ring once unless a call went out within the cool-down (blocking: call it off the UI thread)."""
        if self._signal is None:
            raise RuntimeError("no staff-call signal configured")
        with self._lock:
            now = self._clock.monotonic()
            if self._last_call_at is not None and now - self._last_call_at < self._cooldown_s:
                return CallOutcome(CallResult.COOLING)
            self._last_call_at = now
        with self._ringing:
            try:
                self._signal.ring()
            except KioskError as exc:
                self._failed = True
                self._audit("staff_call", f"failed {exc.code} {self._signal.description}", actor="citizen")
                self._bus.publish(SubsystemFailed(SUBSYSTEM, exc.code, exc.detail))
                return CallOutcome(CallResult.FAILED, exc.code)
        self._audit("staff_call", f"rang {self._signal.description}", actor="citizen")
        if self._failed:
            self._failed = False
            self._bus.publish(SubsystemRecovered(SUBSYSTEM))
        return CallOutcome(CallResult.CALLED)
