"""Printer state from DLE EOT 1/2/4 replies: pure functions over the reply bytes, with validation.

Why: python-escpos 3.1's `paper_status()` says "paper OK" when the printer says nothing. Here a missing reply
is OFFLINE and a reply that is not of the form 0xx1xx10 is a protocol fault, never a healthy printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from firmware_bridge.escpos import errors as prn

STATUS_MASK = 0x93
STATUS_FIXED_BITS = 0x12
"""A real-time status byte has bits 0 and 7 clear and bits 1 and 4 set: (b & 0x93) == 0x12."""

EOT1_OFFLINE = 0x08
EOT2_COVER_OPEN = 0x04
EOT2_PAPER_END_STOP = 0x20
EOT2_ERROR = 0x40
EOT4_NEAR_END = 0x0C
EOT4_PAPER_END = 0x60


class PrinterState(str, Enum):
    """What the kiosk believes about the printer, most severe condition first when several hold."""

    UNKNOWN = "unknown"            # not checked yet
    ONLINE = "online"
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    ERROR = "error"                # offline for another cause, cutter or head error, invalid reply
    OFFLINE = "offline"            # no reply or no port


READY_STATES = frozenset({PrinterState.ONLINE, PrinterState.PAPER_NEAR_END})
"""States in which a job may be sent."""
FAULT_STATES = frozenset({PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.ERROR,
                          PrinterState.OFFLINE})
"""States in which a job must not be sent; leaving one is a recovery."""

STATE_CODES = {
    PrinterState.OFFLINE: prn.OFFLINE,
    PrinterState.ERROR: prn.PRINTER_ERROR,
    PrinterState.COVER_OPEN: prn.COVER_OPEN,
    PrinterState.PAPER_OUT: prn.PAPER_OUT,
    PrinterState.PAPER_NEAR_END: prn.PAPER_NEAR_END,
}
"""Stable error code of each non-healthy state (the kiosk's catalogue maps these to citizen messages)."""


def is_status_byte(b: int) -> bool:
    """Whether `b` has the fixed bit pattern of a DLE EOT reply."""
    return (b & STATUS_MASK) == STATUS_FIXED_BITS


@dataclass(frozen=True, slots=True)
class StatusReport:
    """The three raw replies (None = no reply) and what they mean."""

    printer: int | None
    offline_cause: int | None
    paper: int | None

    @property
    def answered(self) -> bool:
        """Whether every query got a byte."""
        return None not in (self.printer, self.offline_cause, self.paper)

    @property
    def valid(self) -> bool:
        """Whether every reply has the fixed status bit pattern."""
        return self.answered and all(is_status_byte(b) for b in (self.printer, self.offline_cause, self.paper))

    @property
    def state(self) -> PrinterState:
        """The single state shown to people: no reply → OFFLINE, invalid → ERROR, else most severe cause."""
        return decode_state(self.printer, self.offline_cause, self.paper)

    @property
    def code(self) -> str | None:
        """Stable code of the condition, None when the printer is simply online."""
        if self.answered and not self.valid:
            return prn.INVALID_REPLY
        return STATE_CODES.get(self.state)

    def as_dict(self) -> dict[str, object]:
        """Raw bytes (hex) and the decoded state, for `kiosk printer status --json` and logs."""
        return {"state": self.state.value, "code": self.code,
                "eot1": _hex(self.printer), "eot2": _hex(self.offline_cause), "eot4": _hex(self.paper)}


def _hex(b: int | None) -> str | None:
    return None if b is None else f"{b:02x}"


def decode_state(eot1: int | None, eot2: int | None, eot4: int | None) -> PrinterState:
    """Decode replies to DLE EOT 1, 2 and 4 into one state (pure; golden-tested)."""
    replies = (eot1, eot2, eot4)
    if any(b is None for b in replies):
        return PrinterState.OFFLINE
    if not all(is_status_byte(b) for b in replies):
        return PrinterState.ERROR
    if eot2 & EOT2_COVER_OPEN:
        return PrinterState.COVER_OPEN
    if eot2 & EOT2_PAPER_END_STOP or eot4 & EOT4_PAPER_END:
        return PrinterState.PAPER_OUT
    if eot2 & EOT2_ERROR or eot1 & EOT1_OFFLINE:
        return PrinterState.ERROR
    if eot4 & EOT4_NEAR_END:
        return PrinterState.PAPER_NEAR_END
    return PrinterState.ONLINE
