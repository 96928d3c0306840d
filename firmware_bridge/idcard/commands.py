"""Every command of the SAM serial protocol as a frozen value that knows its frame bytes.

Why values, not ad-hoc byte strings: the driver, the simulator's dispatch and the golden-frame tests name the
same commands, and the per-command timeout class travels with the command.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware_bridge.idcard.frame import encode_frame

PARA_NONE = 0xFF
"""PARA of commands that take no parameter."""


@dataclass(frozen=True, slots=True)
class Command:
    """One host → SAM command: CMD, PARA, optional DATA, and whether it is a slow card read."""

    name: str
    cmd: int
    para: int
    data: bytes = b""
    slow: bool = False
    """True for reads of card data (RF transfer, about 2 s); False for quick commands (about 100 ms)."""

    @property
    def body(self) -> bytes:
        """CMD + PARA + DATA, what the checksum covers after the length."""
        return bytes([self.cmd, self.para]) + self.data

    def encode(self) -> bytes:
        """The full frame sent on the wire."""
        return encode_frame(self.body)

    @property
    def key(self) -> tuple[int, int]:
        """(CMD, PARA): how a SAM dispatches the command."""
        return (self.cmd, self.para)


RESET_SAM = Command("reset_sam", 0x10, PARA_NONE)
SAM_STATUS = Command("sam_status", 0x11, PARA_NONE)
READ_SAM_ID = Command("read_sam_id", 0x12, PARA_NONE)
FIND_CARD = Command("find_card", 0x20, 0x01)
SELECT_CARD = Command("select_card", 0x20, 0x02)
READ_BASE_INFO = Command("read_base_info", 0x30, 0x01, slow=True)
READ_NEW_ADDRESS = Command("read_new_address", 0x30, 0x03, slow=True)
READ_MID = Command("read_mid", 0x30, 0x05, slow=True)
READ_BASE_INFO_WITH_FINGERPRINT = Command("read_base_info_with_fingerprint", 0x30, 0x10, slow=True)

DEFAULT_MAX_RF_FRAME_BYTES = 0x50
"""The RF frame size (bytes) public samples set after reset."""


def set_max_rf_frame(size_bytes: int = DEFAULT_MAX_RF_FRAME_BYTES) -> Command:
    """Set the largest RF frame the SAM exchanges with the card (`61 FF <size>`)."""
    if not 1 <= size_bytes <= 0xFF:
        raise ValueError(f"RF frame size {size_bytes} outside 1..255 bytes")
    return Command("set_max_rf_frame", 0x61, PARA_NONE, bytes([size_bytes]))


BAUD_PARAS = {115200: 0x00, 57600: 0x01, 38400: 0x02, 19200: 0x03, 9600: 0x04}
"""Line speed (bit/s) → PARA of `60 xx`, the SAM's "set UART interface rate" command.

CMD 0x60 with the rate in PARA is named in public reader code ("60XX 设置UART接口速率"); the PARA values follow
the order in which the SAM_V protocol lists its rates (115200 by default, then 57600, 38400, 19200, 9600).
No second public source confirms those PARA bytes, so the kiosk never sends this command by itself: only a
technician does (`kiosk idcard set-baud`), and the change is verified at the new speed before it counts.
"""
DEFAULT_BAUD_BPS = 115200
"""The SAM's factory line speed."""


def set_baud(rate_bps: int) -> Command:
    """Switch the SAM's serial line speed (`60 xx`); it answers at the old speed, then listens at the new one."""
    if rate_bps not in BAUD_PARAS:
        raise ValueError(f"{rate_bps} bit/s is not a SAM rate; choose one of {', '.join(map(str, BAUD_PARAS))}")
    return Command("set_baud", 0x60, BAUD_PARAS[rate_bps])


ALL_COMMANDS = (RESET_SAM, SAM_STATUS, READ_SAM_ID, FIND_CARD, SELECT_CARD, READ_BASE_INFO, READ_NEW_ADDRESS,
                READ_MID, READ_BASE_INFO_WITH_FINGERPRINT, set_max_rf_frame(), *map(set_baud, BAUD_PARAS))
"""Every command, for dispatch tables and tests."""
