"""An independent ESC/POS decoder for tests: parses the subset a slip may use and draws it like paper.

Why: the slip is checked by code that shares nothing with the encoder (written from the Epson command
reference): GB18030 text only in Chinese mode (FS &), raster GS v 0, GS ( k QR store/print. Any command
outside the subset, or a byte ≥ 0x80 outside Chinese mode, is an error, so a new command in the output fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import qrcode
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
CANVAS_ROWS = 30000


class DecodeError(ValueError):
    """The bytes are not in the accepted subset."""


@dataclass
class Decoded:
    """What the printer would have done."""

    lines: list[str] = field(default_factory=list)
    qr_payloads: list[bytes] = field(default_factory=list)
    qr_module_dots: list[int] = field(default_factory=list)
    rasters: list[tuple[int, int]] = field(default_factory=list)
    cuts: int = 0
    max_line_dots: int = 0
    image: Image.Image | None = None


class Decoder:
    """Feed bytes with `decode()`; the result holds text lines, QR data, rasters and a rendered page."""

    def __init__(self, width_dots: int) -> None:
        self.width = width_dots
        self.canvas = Image.new("L", (width_dots, CANVAS_ROWS), 255)
        self.draw = ImageDraw.Draw(self.canvas)
        self.out = Decoded()
        self.y = 0
        self._reset()
        self.chinese = False
        self.line: list[str] = []

    def _reset(self) -> None:
        self.align = 0
        self.bold = False
        self.mag = 1
        self.spacing = 30
        self.chinese = False
        self.qr_store = b""
        self.qr_size = 3

    def decode(self, data: bytes) -> Decoded:
        i = 0
        while i < len(data):
            i = self._step(data, i)
        if self.line:
            raise DecodeError("text left unprinted at end of job")
        self.out.image = self.canvas.crop((0, 0, self.width, max(1, self.y)))
        return self.out

    def _need(self, data: bytes, i: int, n: int) -> bytes:
        if i + n > len(data):
            raise DecodeError(f"truncated command at {i}")
        return data[i:i + n]

    def _step(self, data: bytes, i: int) -> int:
        b = data[i]
        if b == 0x0A:
            self._print_line()
            return i + 1
        if 0x20 <= b <= 0x7E:
            self.line.append(chr(b))
            return i + 1
        if b >= 0x81:
            if not self.chinese:
                raise DecodeError(f"byte {b:#x} at {i} outside Chinese mode")
            n = 4 if 0x30 <= self._need(data, i, 2)[1] <= 0x39 else 2
            try:
                self.line.append(self._need(data, i, n).decode("gb18030"))
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid GB18030 at {i}") from exc
            return i + n
        head = self._need(data, i, 2)
        if head == b"\x1b@":
            self._reset()
            return i + 2
        if head == b"\x1c&":
            self.chinese = True
            return i + 2
        if head == b"\x1c.":
            self.chinese = False
            return i + 2
        one_arg = {b"\x1b3": "spacing", b"\x1ba": "align", b"\x1bE": "bold", b"\x1bd": "feed", b"\x1bJ": "dots",
                   b"\x1d!": "size"}
        if head in one_arg:
            n = self._need(data, i, 3)[2]
            kind = one_arg[head]
            if kind == "spacing":
                self.spacing = n
            elif kind == "align":
                if n not in (0, 1, 2, 48, 49, 50):
                    raise DecodeError(f"ESC a {n}")
                self.align = n % 48
            elif kind == "bold":
                self.bold = bool(n & 1)
            elif kind == "feed":
                self._print_line(empty_ok=True)
                self.y += n * self.spacing
            elif kind == "dots":
                self._print_line(empty_ok=True)
                self.y += n
            else:
                if (n >> 4) != (n & 0x0F):
                    raise DecodeError("unequal magnification is not used by slips")
                self.mag = (n & 0x0F) + 1
            return i + 3
        if head == b"\x1dV":
            m = self._need(data, i, 3)[2]
            if m not in (65, 66):
                raise DecodeError(f"GS V {m}")
            self.y += self._need(data, i, 4)[3]
            self.out.cuts += 1
            return i + 4
        if head == b"\x1dv":
            hdr = self._need(data, i, 8)
            if hdr[2:4] != b"0\x00":
                raise DecodeError("GS v 0 with a mode other than normal")
            xb, rows = int.from_bytes(hdr[4:6], "little"), int.from_bytes(hdr[6:8], "little")
            bitmap = self._need(data, i + 8, xb * rows)
            if xb * 8 > self.width:
                raise DecodeError(f"raster {xb * 8} dots wider than paper {self.width}")
            picture = Image.frombytes("1", (xb * 8, rows), bytes(x ^ 0xFF for x in bitmap))
            self.canvas.paste(picture.convert("L"), (self._x(xb * 8), self.y))
            self.y += rows
            self.out.rasters.append((xb * 8, rows))
            return i + 8 + xb * rows
        if head == b"\x1d(":
            hdr = self._need(data, i, 5)
            if hdr[2] != ord("k"):
                raise DecodeError("GS ( other than k")
            size = int.from_bytes(hdr[3:5], "little")
            body = self._need(data, i + 5, size)
            self._qr(body)
            return i + 5 + size
        raise DecodeError(f"unknown command {head.hex()} at {i}")

    def _qr(self, body: bytes) -> None:
        cn, fn, params = body[0], body[1], body[2:]
        if cn != 49:
            raise DecodeError(f"GS ( k cn={cn} is not QR")
        if fn == 65:
            if params[:1] != b"\x32":
                raise DecodeError("QR model other than 2")
        elif fn == 67:
            self.qr_size = params[0]
        elif fn == 69:
            if params[0] not in (48, 49, 50, 51):
                raise DecodeError("QR error-correction level")
        elif fn == 80:
            if params[:1] != b"0":
                raise DecodeError("QR store with m != 48")
            self.qr_store = params[1:]
        elif fn == 81:
            code = qrcode.QRCode(box_size=self.qr_size, border=2)
            code.add_data(self.qr_store)
            picture = code.make_image().get_image().convert("L")
            self.canvas.paste(picture, (self._x(picture.width), self.y))
            self.y += picture.height
            self.out.qr_payloads.append(self.qr_store)
            self.out.qr_module_dots.append(self.qr_size)
        else:
            raise DecodeError(f"QR function {fn}")

    def _x(self, width: int) -> int:
        return {0: 0, 1: (self.width - width) // 2, 2: self.width - width}[self.align]

    def _print_line(self, empty_ok: bool = False) -> None:
        text = "".join(self.line)
        self.line = []
        if not text:
            if not empty_ok:
                self.y += max(self.spacing, 24 * self.mag)
            return
        cells = [(ch, (24 if ord(ch) > 0x7F else 12) * self.mag) for ch in text]
        width = sum(w for _, w in cells)
        self.out.max_line_dots = max(self.out.max_line_dots, width)
        font = ImageFont.truetype(FONT, 24 * self.mag)
        x = self._x(min(width, self.width))
        for ch, w in cells:
            self.draw.text((x, self.y), ch, font=font, fill=0, stroke_width=1 if self.bold else 0, stroke_fill=0)
            x += w
        self.out.lines.append(text)
        self.y += max(self.spacing, 24 * self.mag)


def decode(data: bytes, width_dots: int) -> Decoded:
    """Decode a whole job for paper `width_dots` wide."""
    return Decoder(width_dots).decode(data)
