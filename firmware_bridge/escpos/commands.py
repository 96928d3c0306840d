"""ESC/POS command bytes the kiosk sends, as constants and small pure builders.

Why: every byte that reaches the printer is named here once, so golden-byte tests pin the protocol and the
job encoder never spells a command inline. Semantics follow the Epson ESC/POS reference; Chinese firmwares
(Xprinter, Rongta, Zjiang) accept this subset.
"""

from __future__ import annotations

INIT = b"\x1b@"
"""ESC @: reset the printer's modes (not its buffer)."""
CHINESE_ON = b"\x1c&"
"""FS &: two-byte (GBK/GB18030) character mode; python-escpos never sends it."""
LF = b"\n"
"""Print the line buffer and feed one line."""

DLE_EOT = b"\x10\x04"
"""Real-time status request prefix; answered even while the printer is busy or offline."""
STATUS_PRINTER = 1
STATUS_OFFLINE_CAUSE = 2
STATUS_ERROR_CAUSE = 3
STATUS_PAPER = 4

ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT = 0, 1, 2


def status_request(n: int) -> bytes:
    """DLE EOT n (n = 1 printer, 2 offline cause, 3 error cause, 4 paper sensor)."""
    if n not in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_ERROR_CAUSE, STATUS_PAPER):
        raise ValueError(f"DLE EOT {n} is not a status request")
    return DLE_EOT + bytes([n])


def align(mode: int) -> bytes:
    """ESC a n: justification of the following lines."""
    if mode not in (ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT):
        raise ValueError(f"bad alignment {mode}")
    return b"\x1ba" + bytes([mode])


def bold(on: bool) -> bytes:
    """ESC E n: emphasised printing."""
    return b"\x1bE" + (b"\x01" if on else b"\x00")


def char_size(width: int, height: int) -> bytes:
    """GS ! n: magnify every character (Hanzi included) 1-8 times in each direction."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError(f"character magnification out of range: {width}x{height}")
    return b"\x1d!" + bytes([((width - 1) << 4) | (height - 1)])


def line_spacing(dots: int) -> bytes:
    """ESC 3 n: line spacing in dots (motion units of 1/203 in on common 203 dpi printers)."""
    if not 0 <= dots <= 255:
        raise ValueError(f"line spacing out of range: {dots}")
    return b"\x1b3" + bytes([dots])


def feed_lines(n: int) -> bytes:
    """ESC d n: print and feed n lines."""
    if not 0 <= n <= 255:
        raise ValueError(f"feed out of range: {n}")
    return b"\x1bd" + bytes([n])


def feed_dots(n: int) -> bytes:
    """ESC J n: print and feed n dots (motion units)."""
    if not 0 <= n <= 255:
        raise ValueError(f"feed out of range: {n}")
    return b"\x1bJ" + bytes([n])


def cut(feed_dots: int = 0) -> bytes:
    """GS V 66 n: feed `feed_dots` to the cutter and make a partial cut (the common Chinese autocutter)."""
    if not 0 <= feed_dots <= 255:
        raise ValueError(f"cut feed out of range: {feed_dots}")
    return b"\x1dVB" + bytes([feed_dots])


def raster_image(width_bytes: int, rows: int, bitmap: bytes) -> bytes:
    """GS v 0 m=0: a raster bit image, `width_bytes` bytes per row (MSB = leftmost dot), `rows` rows."""
    if len(bitmap) != width_bytes * rows:
        raise ValueError(f"raster payload {len(bitmap)} != {width_bytes} x {rows}")
    if not (1 <= width_bytes <= 0xFFFF and 1 <= rows <= 0xFFFF):
        raise ValueError(f"raster size out of range: {width_bytes} x {rows}")
    return (b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little") + bitmap)


def _qr_function(fn: int, params: bytes) -> bytes:
    """GS ( k pL pH cn=49 fn params: one function of the QR symbol (Model 2)."""
    body = bytes([49, fn]) + params
    return b"\x1d(k" + len(body).to_bytes(2, "little") + body


QR_EC_LEVELS = {"L": 48, "M": 49, "Q": 50, "H": 51}


def native_qr(data: bytes, *, module_dots: int = 5, ec: str = "M") -> bytes:
    """GS ( k functions 165/167/169/180/181: select model 2, module size, EC level, store `data`, print."""
    if not 1 <= module_dots <= 16:
        raise ValueError(f"QR module size out of range: {module_dots}")
    if not 1 <= len(data) <= 7089:
        raise ValueError(f"QR data length out of range: {len(data)}")
    return (_qr_function(65, b"\x32\x00")
            + _qr_function(67, bytes([module_dots]))
            + _qr_function(69, bytes([QR_EC_LEVELS[ec]]))
            + _qr_function(80, b"\x30" + data)
            + _qr_function(81, b"\x30"))
