"""SW3 result codes of the SAM (byte 9 of every response) as named outcomes with stable IDR codes.

Why: the reader answers every command with one result byte; the driver, the simulator, the kiosk's error
catalogue and telemetry must agree on what each value means and which code a technician sees.
"""

from __future__ import annotations

from enum import IntEnum


class Sw3(IntEnum):
    """Result codes per the SAM interface (libsamv.h comments, §C.3 of the hardware research)."""

    OK = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    HOST_CHECKSUM_ERROR = 0x10
    HOST_LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    UNAUTHORISED_OPERATION = 0x23
    UNRECOGNISED_ERROR = 0x24
    CARD_REJECTED_SAM = 0x31
    SAM_REJECTED_CARD = 0x32
    VERIFICATION_ERROR = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_NUMBER_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81
    COMMUNICATION_FAULT = 0xFF


SUCCESS_CODES = frozenset({Sw3.OK, Sw3.NO_CONTENT, Sw3.FIND_OK})
"""Results that are not failures (0x91 means 'this item is absent', an answer, not a fault)."""

COMMUNICATION_FAULT_CODE = "IDR-099"
"""0xFF has no decimal-looking hex digits, so it gets its own code."""
UNKNOWN_RESULT_CODE = "IDR-098"
"""A result byte outside the table."""


def describe(sw3: int) -> str:
    """The outcome's name (`READ_FAILED`), or `UNKNOWN_0xNN` for a byte outside the table."""
    try:
        return Sw3(sw3).name
    except ValueError:
        return f"UNKNOWN_0x{sw3:02X}"


def result_code(sw3: int) -> str:
    """The stable IDR code of a failure result: IDR-0 plus its hex digits (0x41 → IDR-041)."""
    if sw3 == Sw3.COMMUNICATION_FAULT:
        return COMMUNICATION_FAULT_CODE
    try:
        Sw3(sw3)
    except ValueError:
        return UNKNOWN_RESULT_CODE
    return f"IDR-0{sw3:02X}"
