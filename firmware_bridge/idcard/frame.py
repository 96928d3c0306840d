"""Frame codec of the SAM serial protocol: `AA AA AA 96 69 | Len(2, big-endian) | body | XOR`.

Why pure functions and a byte-fed reader: the same code serves the driver, the simulator and the golden-byte
tests, and a stream with garbage, truncated or corrupted frames must never wedge the link. `Len` counts the
body plus the checksum byte; the checksum is the XOR of the two length bytes and the body.
"""

from __future__ import annotations

from firmware_bridge.idcard.errors import FrameChecksumError, FrameError, FrameLengthError

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_BYTES = len(PREAMBLE) + 2
"""Preamble plus the two length bytes: what must arrive before the rest of a frame's size is known."""
MIN_LEN = 3
"""Smallest legal `Len`: a command's CMD + PARA + CHK (a response has at least SW1 SW2 SW3 CHK = 4)."""
MAX_LEN = 4096
"""Largest `Len` accepted, in bytes: above text 256 + photo 1024 + two 512-byte fingerprints + lengths (0x090A)."""


def xor_checksum(data: bytes) -> int:
    """XOR of every byte of `data` (the length bytes and the body)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def encode_frame(body: bytes) -> bytes:
    """Wrap a command or response body in preamble, big-endian length and checksum."""
    length = len(body) + 1
    if not MIN_LEN <= length <= MAX_LEN:
        raise FrameLengthError(f"body of {len(body)} bytes cannot be framed")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([xor_checksum(head + body)])


def decode_frame(frame: bytes) -> bytes:
    """Return the body of exactly one complete frame, or raise a FrameError naming what is wrong."""
    if not frame.startswith(PREAMBLE):
        raise FrameError("frame does not start with the preamble AA AA AA 96 69")
    if len(frame) < HEADER_BYTES:
        raise FrameLengthError(f"frame of {len(frame)} bytes is shorter than its header")
    length = int.from_bytes(frame[5:7], "big")
    if not MIN_LEN <= length <= MAX_LEN:
        raise FrameLengthError(f"length field {length} outside {MIN_LEN}..{MAX_LEN}")
    if len(frame) != HEADER_BYTES + length:
        raise FrameLengthError(f"length field says {HEADER_BYTES + length} bytes, frame has {len(frame)}")
    if xor_checksum(frame[5:-1]) != frame[-1]:
        raise FrameChecksumError(f"checksum {frame[-1]:02X} != {xor_checksum(frame[5:-1]):02X}")
    return bytes(frame[HEADER_BYTES:-1])


class FrameReader:
    """Collects bytes from a stream and yields frame bodies; resynchronises on the preamble after any fault.

    `pop()` returns the next body, None while more bytes are needed, or raises a FrameError for a broken frame
    after discarding its first byte, so the following call scans on for the next preamble. A frame claimed by a
    length that never arrives is given up with `drop_pending()` (the caller's timeout decides when).
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.rejected = 0
        """Broken frames dropped since creation (checksum, length)."""

    def feed(self, data: bytes) -> None:
        """Append bytes received from the link."""
        self._buf += data

    @property
    def buffered(self) -> int:
        """Bytes held waiting for a frame to complete."""
        return len(self._buf)

    def clear(self) -> None:
        """Forget everything buffered (before a new command; no personal bytes linger)."""
        self._buf.clear()

    def wanted(self) -> int:
        """Bytes still needed before the next frame could be complete (at least 1)."""
        self._skip_to_preamble()
        state = self._examine()
        return 1 if isinstance(state, FrameError) else max(1, state[0])

    def pop(self) -> bytes | None:
        """The next complete frame's body, None if incomplete; raises FrameError for a broken frame."""
        self._skip_to_preamble()
        state = self._examine()
        if isinstance(state, FrameError):
            self._reject()
            raise state
        need, end = state
        if need:
            return None
        frame = bytes(self._buf[:end])
        del self._buf[:end]
        return frame[HEADER_BYTES:-1]

    def _examine(self) -> tuple[int, int] | FrameError:
        """The state of the frame at the head: (bytes still needed, 0), (0, its end), or why it is broken.

        A 1-byte XOR passes one corrupt frame in 256. When a truncated frame swallows the start of the next
        one, the next frame's preamble sits inside the first: if that inner frame is complete and valid, the
        outer one is the impostor and is rejected, so the good frame is not lost. (A body that itself holds a
        whole valid frame would be refused the same way; card data never does: text is UCS-2, and a 1024-byte
        photo holds the 5-byte preamble about once in 2^30 reads.)
        """
        state = _frame_at(self._buf, 0)
        if isinstance(state, FrameError) or state[0]:
            return state
        inner = self._buf.find(PREAMBLE, 1)
        if 0 < inner < state[1]:
            inner_state = _frame_at(self._buf, inner)
            if not isinstance(inner_state, FrameError) and not inner_state[0]:
                return FrameChecksumError("frame overlaps a valid frame that starts inside it")
        return state

    def drop_pending(self) -> None:
        """Give up the frame whose preamble heads the buffer (its bytes never came) and rescan after it."""
        self._skip_to_preamble()
        if self._buf:
            del self._buf[:1]

    def _reject(self) -> None:
        self.rejected += 1
        del self._buf[:1]

    def _skip_to_preamble(self) -> None:
        """Drop bytes before the first preamble, keeping a tail that could be the start of one."""
        index = self._buf.find(PREAMBLE)
        if index > 0:
            del self._buf[:index]
        elif index < 0:
            keep = _partial_preamble_tail(self._buf)
            del self._buf[:len(self._buf) - keep]


def _frame_at(buf: bytearray, start: int) -> tuple[int, int] | FrameError:
    """For a preamble at `start`: (bytes still needed, 0), (0, end of a checksum-valid frame), or the error."""
    available = len(buf) - start
    if available < HEADER_BYTES:
        return (HEADER_BYTES - available, 0)
    length = int.from_bytes(buf[start + 5:start + 7], "big")
    if not MIN_LEN <= length <= MAX_LEN:
        return FrameLengthError(f"length field {length} outside {MIN_LEN}..{MAX_LEN}")
    end = start + HEADER_BYTES + length
    if len(buf) < end:
        return (end - len(buf), 0)
    if xor_checksum(buf[start + 5:end - 1]) != buf[end - 1]:
        return FrameChecksumError(f"checksum {buf[end - 1]:02X} != {xor_checksum(buf[start + 5:end - 1]):02X}")
    return (0, end)


def _partial_preamble_tail(buf: bytearray) -> int:
    """Length of the longest suffix of `buf` that is a proper prefix of the preamble."""
    for size in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf[-size:] == PREAMBLE[:size]:
            return size
    return 0
