"""The polling driver of the ID card reader: a thread that finds, selects and reads cards and reports them.

Why a thread with callbacks: the kiosk's UI must never wait on the reader, and firmware_bridge knows nothing
of the kiosk's bus; the identity service turns these callbacks into events. The SAM itself answers 'no card'
(0x80) to find after a successful read until the card is lifted and presented again, so a 'found' after a read
is always a new presentation; after a failed read the driver waits for a 'no card' before it tries again, so a
bad card left on the reader is not failed over and over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from firmware_bridge.errors import DeviceError, TransportError, TransportTimeout
from firmware_bridge.idcard.card import CardRecord
from firmware_bridge.idcard.client import SamClient
from firmware_bridge.idcard.errors import link_error_code
from firmware_bridge.transport.base import Transport

logger = logging.getLogger(__name__)

POLL_INTERVAL_S = 0.5
"""Seconds between find-card polls while reading is on."""
STATUS_INTERVAL_S = 3.0
"""Seconds between SAM status checks while reading is off (keeps online/offline truthful)."""
RECONNECT_INTERVAL_S = 1.0
"""Seconds between attempts to reach a reader that is offline."""
OFFLINE_AFTER_FAILURES = 2
"""Failed polls in a row (no reply, broken frame, SAM fault) before the reader is declared offline."""


@dataclass(frozen=True, slots=True)
class ReaderCallbacks:
    """What the driver reports, called on its own thread; a callback that raises is logged and contained."""

    card_presented: Callable[[], None]
    card_read: Callable[[CardRecord], None]
    card_read_failed: Callable[[str], None]
    """Called with the IDR code of the failure (e.g. IDR-041 read failed)."""
    reader_online: Callable[[], None]
    reader_offline: Callable[[str], None]
    """Called with the IDR code of why (IDR-001 link down, IDR-002 no reply, IDR-060 SAM self-test failed)."""


@dataclass(frozen=True, slots=True)
class DriverTimings:
    """Intervals and per-command timeouts, in seconds."""

    poll_interval_s: float = POLL_INTERVAL_S
    status_interval_s: float = STATUS_INTERVAL_S
    reconnect_interval_s: float = RECONNECT_INTERVAL_S
    quick_timeout_s: float = 0.5
    read_timeout_s: float = 3.0


class IdCardDriver:
    """Owns the reader's transport on one thread; `set_reading(True)` turns card polling on."""

    def __init__(self, transport: Transport, callbacks: ReaderCallbacks,
                 timings: DriverTimings = DriverTimings()) -> None:
        self._transport = transport
        self._callbacks = callbacks
        self._timings = timings
        self._client = SamClient(transport, quick_timeout_s=timings.quick_timeout_s,
                                 read_timeout_s=timings.read_timeout_s)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._reading = False
        self._online: bool | None = None
        self._offline_code = ""
        self._failures = 0
        self._awaiting_lift = False

    # ---- lifecycle and control (any thread) --------------------------------------------------------------

    def start(self) -> None:
        """Start the driver thread (idempotent)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="idcard-driver", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the thread and close the port."""
        thread, self._thread = self._thread, None
        self._stop.set()
        self._wake.set()
        if thread is not None:
            thread.join(timeout_s)
        self._transport.close()

    def set_reading(self, on: bool) -> None:
        """Turn card polling on (after the citizen's consent) or off (session end); wakes the thread."""
        self._reading = on
        self._wake.set()

    @property
    def online(self) -> bool | None:
        """True/False once known, None before the first contact."""
        return self._online

    @property
    def frames_rejected(self) -> int:
        """Broken frames dropped since start (health counter)."""
        return self._client.frames_rejected

    # ---- thread ------------------------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                interval = self._tick() if self._online else self._connect()
            except Exception as exc:  # the thread must outlive any port library surprise (e.g. termios.error)
                logger.exception("ID card reader link failed unexpectedly")
                self._failed_contact(TransportError(f"{type(exc).__name__}: {exc}"), immediate=True)
                interval = self._timings.reconnect_interval_s
            self._wake.wait(interval)
            self._wake.clear()

    def _connect(self) -> float:
        """Open the port and check the SAM; returns the seconds to wait before the next step."""
        try:
            self._transport.open()
            self._client.forget_capabilities()
            self._client.sam_status()
        except DeviceError as exc:
            self._failed_contact(exc, immediate=True)
            return self._timings.reconnect_interval_s
        self._set_online()
        return 0.0

    def _tick(self) -> float:
        """One poll: find (and read) when reading is on, else a status check."""
        try:
            if self._reading:
                self._poll_card()
                interval = self._timings.poll_interval_s
            else:
                self._client.sam_status()
                interval = self._timings.status_interval_s
        except DeviceError as exc:
            self._failed_contact(exc, immediate=isinstance(exc, TransportError)
                                 and not isinstance(exc, TransportTimeout))
            return self._timings.poll_interval_s
        self._failures = 0
        return interval

    def _poll_card(self) -> None:
        if not self._client.find_card():
            self._awaiting_lift = False
            return
        if self._awaiting_lift:
            return
        self._notify(self._callbacks.card_presented)
        try:
            self._client.select_card()
            record = self._client.read_card()
        except TransportTimeout as exc:
            self._read_failed(link_error_code(exc))
        except TransportError:
            raise
        except DeviceError as exc:
            self._read_failed(exc.code)
        else:
            self._notify(self._callbacks.card_read, record)

    def _read_failed(self, code: str) -> None:
        """Report the failure and wait for a 'no card' before trying again (no retry storm on a bad card)."""
        self._awaiting_lift = True
        self._notify(self._callbacks.card_read_failed, code)

    def _failed_contact(self, exc: DeviceError, *, immediate: bool) -> None:
        """Count a failed poll; declare the reader offline at once for a dead link, else after repeats."""
        self._failures += 1
        if isinstance(exc, TransportError) and not isinstance(exc, TransportTimeout):
            self._transport.close()
        code = link_error_code(exc) if isinstance(exc, TransportError) else exc.code
        if immediate or self._failures >= OFFLINE_AFTER_FAILURES or self._online is None:
            self._set_offline(code)

    def _set_online(self) -> None:
        self._failures = 0
        if self._online is not True:
            self._online = True
            self._offline_code = ""
            self._notify(self._callbacks.reader_online)

    def _set_offline(self, code: str) -> None:
        if self._online is not False or self._offline_code != code:
            self._online = False
            self._offline_code = code
            self._notify(self._callbacks.reader_offline, code)

    def _notify(self, callback: Callable[..., None], *args: object) -> None:
        try:
            callback(*args)
        except Exception:
            logger.exception("ID card callback %s failed", getattr(callback, "__name__", callback))
