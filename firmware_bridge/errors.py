"""Device-level errors, independent of the kiosk: each carries a stable code the kiosk maps to its catalogue.

Why: firmware_bridge must not import kiosk, but a paper-out or a bad checksum must still arrive with the same
code everywhere (`PRN-020`, `IDR-011`). Areas: TRN (transport), PRN (printer), IDR (ID-card reader).
"""

from __future__ import annotations


class DeviceError(Exception):
    """Base of every device error; `code` is stable (e.g. `TRN-001`)."""

    code = "DEV-000"

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail)
        if code is not None:
            self.code = code
        self.detail = detail


class TransportError(DeviceError):
    """The link failed: port missing, cable pulled, write refused."""

    code = "TRN-001"


class TransportTimeout(TransportError):
    """A read or write did not complete within its timeout."""

    code = "TRN-002"


class ProtocolError(DeviceError):
    """Bytes arrived but do not follow the protocol (bad frame, checksum, length, unknown reply)."""

    code = "DEV-010"
