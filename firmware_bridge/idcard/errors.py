"""Errors of the ID card reader, each with a stable `IDR-0xx` code the kiosk maps to its catalogue.

Link and frame faults use IDR-001..IDR-005; a SAM result code (SW3) keeps its hex digits (0x41 → IDR-041,
see `status.py`); card data that fails its checks is IDR-050.
"""

from __future__ import annotations

from firmware_bridge.errors import DeviceError, ProtocolError, TransportError, TransportTimeout

READER_OFFLINE = "IDR-001"
"""The port is missing, the cable was pulled, or the SAM cannot be reached."""
NO_REPLY = "IDR-002"
"""The reader did not answer a command within its timeout."""
MALFORMED_REPLY = "IDR-003"
"""A reply arrived but is not what the command expects (layout, lengths)."""
BAD_CHECKSUM = "IDR-004"
"""A frame's XOR checksum does not match."""
BAD_LENGTH = "IDR-005"
"""A frame's length field is outside what the protocol allows."""
CARD_DATA_INVALID = "IDR-050"
"""The card's text block cannot be decoded or fails the number and date checks."""


class FrameError(ProtocolError):
    """A frame is broken; the frame reader drops it and resynchronises on the next preamble."""

    code = MALFORMED_REPLY


class FrameChecksumError(FrameError):
    """The XOR checksum of a frame does not match its bytes."""

    code = BAD_CHECKSUM


class FrameLengthError(FrameError):
    """The length field is too small or too large for any frame of this protocol."""

    code = BAD_LENGTH


class SamResultError(DeviceError):
    """The SAM answered with a failure result code (SW3); `code` is IDR-0 plus the code's hex digits."""

    def __init__(self, sw3: int, code: str, detail: str = "") -> None:
        super().__init__(detail, code=code)
        self.sw3 = sw3


class CardDataError(ProtocolError):
    """The card's data could not be decoded or failed validation."""

    code = CARD_DATA_INVALID


def link_error_code(exc: TransportError) -> str:
    """The reader code of a link failure: no reply for a timeout, offline for anything else."""
    return NO_REPLY if isinstance(exc, TransportTimeout) else READER_OFFLINE
