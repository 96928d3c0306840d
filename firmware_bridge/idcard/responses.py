"""SAM → host response bodies: SW1 SW2 SW3 + data, and the layouts of the data of each read command.

Why parse lengths instead of fixed offsets: readers differ (with or without fingerprint, fingerprint of
length 0), and a reply whose lengths do not add up must be refused, not sliced into a wrong name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from firmware_bridge.idcard.errors import FrameError
from firmware_bridge.idcard.frame import encode_frame
from firmware_bridge.idcard.status import describe

NEW_ADDRESS_BYTES = 70
"""The additional address (30 03) is 35 UCS-2LE characters."""
SAM_ID_BYTES = 16
"""Data bytes of the SAM management info (12 FF)."""


@dataclass(frozen=True, slots=True)
class Response:
    """One decoded reply: status words and data (the data may hold personal bytes: never log it)."""

    sw1: int
    sw2: int
    sw3: int
    data: bytes = field(default=b"", repr=False)

    @property
    def outcome(self) -> str:
        """The named outcome of SW3, e.g. `FIND_OK`."""
        return describe(self.sw3)

    def encode(self) -> bytes:
        """The full frame of this reply (the simulator sends it; tests compare it)."""
        return encode_frame(bytes([self.sw1, self.sw2, self.sw3]) + self.data)


def parse_response(body: bytes) -> Response:
    """Split a response body into SW1, SW2, SW3 and data."""
    if len(body) < 3:
        raise FrameError(f"response body of {len(body)} bytes has no SW1 SW2 SW3")
    return Response(body[0], body[1], body[2], bytes(body[3:]))


def parse_command(body: bytes) -> tuple[int, int, bytes]:
    """Split a command body into CMD, PARA and DATA (the simulator's side)."""
    if len(body) < 2:
        raise FrameError(f"command body of {len(body)} bytes has no CMD PARA")
    return body[0], body[1], bytes(body[2:])


@dataclass(frozen=True, slots=True)
class BaseInfo:
    """The blocks of a read-base-info reply; `photo` (WLT) and `fingerprint` stay opaque."""

    text: bytes = field(repr=False)
    photo: bytes = field(repr=False)
    fingerprint: bytes | None = field(default=None, repr=False)


def parse_base_info(data: bytes, *, with_fingerprint: bool = False) -> BaseInfo:
    """Parse `text_len photo_len [finger_len] text photo [finger]` (lengths big-endian) from reply data."""
    count = 3 if with_fingerprint else 2
    head = 2 * count
    if len(data) < head:
        raise FrameError(f"base info of {len(data)} bytes has no length fields")
    lengths = [int.from_bytes(data[2 * i:2 * i + 2], "big") for i in range(count)]
    if head + sum(lengths) != len(data):
        raise FrameError(f"base info lengths {lengths} do not add up to {len(data) - head} data bytes")
    blocks, offset = [], head
    for size in lengths:
        blocks.append(bytes(data[offset:offset + size]))
        offset += size
    return BaseInfo(blocks[0], blocks[1], blocks[2] if with_fingerprint else None)


def encode_base_info(info: BaseInfo) -> bytes:
    """The reply data for `info` (with the fingerprint length field when `info.fingerprint` is not None)."""
    blocks = [info.text, info.photo] + ([info.fingerprint] if info.fingerprint is not None else [])
    return b"".join(len(b).to_bytes(2, "big") for b in blocks) + b"".join(blocks)


def decode_ucs2(raw: bytes) -> str:
    """UCS-2LE text with the trailing spaces and NULs of fixed-width fields stripped."""
    if len(raw) % 2:
        raise FrameError(f"UCS-2 field of odd length {len(raw)}")
    try:
        return raw.decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError as exc:
        raise FrameError(f"UCS-2 field not decodable: {exc.reason}") from exc


def parse_new_address(data: bytes) -> str:
    """The additional address (30 03): 70 bytes of UCS-2LE."""
    if len(data) != NEW_ADDRESS_BYTES:
        raise FrameError(f"new address has {len(data)} bytes, expected {NEW_ADDRESS_BYTES}")
    return decode_ucs2(data)


def parse_sam_id(data: bytes) -> str:
    """The SAM's printed id `AA.BB-NNNN-NNNNNNNNNN-NNNNNNNNNN` from 16 bytes of management info."""
    if len(data) != SAM_ID_BYTES:
        raise FrameError(f"SAM id has {len(data)} bytes, expected {SAM_ID_BYTES}")

    def u32(offset: int) -> int:
        return int.from_bytes(data[offset:offset + 4], "little")

    return f"{data[0]:02X}.{data[2]:02X}-{u32(4)}-{u32(8):010d}-{u32(12):010d}"
