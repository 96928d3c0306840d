"""Encode a print job: lines of Chinese in the printer font, drawn lines for what the font lacks, QR, cut.

Why: a slip sent as text plus a native QR is a few kilobytes and prints at the mechanism's speed; the same slip
as one raster image is tens of kilobytes and link-bound at 9600 baud. The job is a list of segments, each with
the paper it advances, so the driver can pace it against the printer's receive buffer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from firmware_bridge.escpos import commands as cmd
from firmware_bridge.escpos import text as text_codec
from firmware_bridge.escpos.profile import CUT_TIME_S, HANZI_DOTS, LINE_PITCH_DOTS, PrinterModel

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
"""CJK font used to draw characters the printer font lacks (Debian fonts-wqy-zenhei)."""
QR_QUIET_MODULES = 2
"""Quiet-zone width in modules around an image QR (the paper margin adds to it)."""
LINE_GAP_DOTS = LINE_PITCH_DOTS - HANZI_DOTS
"""Leading in dots fed after a drawn line, so it sits like a font line."""
CUT_FEED_DOTS = 96
"""Dots fed before the cut so the last line clears the cutter (12 mm at 203 dpi)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Bytes the printer consumes in order, and the paper length in dots they advance."""

    data: bytes
    paper_dots: int


@dataclass(frozen=True, slots=True)
class PrintJob:
    """A complete job: segments in order, for one printer model."""

    model: PrinterModel
    segments: tuple[Segment, ...]

    @property
    def data(self) -> bytes:
        """All bytes of the job."""
        return b"".join(s.data for s in self.segments)

    @property
    def paper_mm(self) -> float:
        """Paper length the job prints, in millimetres."""
        return self.model.dots_to_mm(sum(s.paper_dots for s in self.segments))


@dataclass(frozen=True, slots=True)
class PrintEstimate:
    """Time in seconds to move the bytes (link), to print the paper (mechanism), and both pipelined."""

    link_s: float
    mechanism_s: float
    total_s: float

    @property
    def bound(self) -> str:
        """Which of the two sets the pace: 'link' or 'mechanism'."""
        return "link" if self.link_s > self.mechanism_s else "mechanism"


def estimate(job: PrintJob, baudrate: int) -> PrintEstimate:
    """Pipeline model: segment i prints after it has arrived (8N1: 10 bits a byte) and after segment i-1."""
    link_bytes_s = baudrate / 10
    speed = job.model.print_speed_mm_s
    arrived = finished = 0.0
    for segment in job.segments:
        arrived += len(segment.data) / link_bytes_s
        finished = max(arrived, finished) + job.model.dots_to_mm(segment.paper_dots) / speed
    cut_s = CUT_TIME_S if job.model.has_cutter else 0.0
    return PrintEstimate(link_s=len(job.data) / link_bytes_s, mechanism_s=job.paper_mm / speed + cut_s,
                         total_s=finished + cut_s)


def raster_segments(image: Image.Image, max_bytes: int) -> list[Segment]:
    """A 1-bit picture as GS v 0 bands of at most `max_bytes` each (black = printed dot)."""
    gray = image.convert("L")
    width = (gray.width + 7) // 8 * 8
    canvas = Image.new("L", (width, gray.height), 255)
    canvas.paste(gray, (0, 0))
    mono = canvas.point(lambda v: 255 if v >= 128 else 0, "1")
    packed = bytes(b ^ 0xFF for b in mono.tobytes())
    width_bytes = width // 8
    rows_per_band = max(1, min(0xFFFF, max_bytes // width_bytes))
    out = []
    for top in range(0, mono.height, rows_per_band):
        rows = min(rows_per_band, mono.height - top)
        band = packed[top * width_bytes:(top + rows) * width_bytes]
        out.append(Segment(cmd.raster_image(width_bytes, rows, band), rows))
    return out


def qr_image(data: str, module_dots: int, ec: str) -> Image.Image:
    """A QR code as a picture with `module_dots` dots per module (the fallback where GS ( k is missing)."""
    levels = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
    code = qrcode.QRCode(error_correction=levels[ec], box_size=module_dots, border=QR_QUIET_MODULES)
    code.add_data(data)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


@dataclass
class JobBuilder:
    """Append lines, blank lines and a QR code; `finish()` feeds, cuts and returns the PrintJob."""

    model: PrinterModel
    font_path: str = DEFAULT_FONT
    segments: list[Segment] = field(default_factory=list)
    _align: int = cmd.ALIGN_LEFT
    _bold: bool = False
    _scale: int = 1

    def __post_init__(self) -> None:
        self.segments.append(Segment(cmd.INIT + cmd.CHINESE_ON + cmd.line_spacing(LINE_PITCH_DOTS), 0))

    @property
    def band_bytes(self) -> int:
        """Largest raster band: half the receive buffer, so a band never fills it alone."""
        return self.model.receive_buffer_bytes // 2

    def line(self, text: str, *, align: int = cmd.ALIGN_LEFT, bold: bool = False, scale: int = 1) -> None:
        """One printed line; in the printer font when it can, otherwise drawn as a picture of the line."""
        prefix = self._style(align, bold, scale)
        if all(ok for _, ok in text_codec.runs(text, self.model.codepage)):
            pitch = max(LINE_PITCH_DOTS, HANZI_DOTS * scale)
            self.segments.append(Segment(prefix + text_codec.encode(text, self.model.codepage) + cmd.LF, pitch))
            return
        if prefix:
            self.segments.append(Segment(prefix, 0))
        self.segments.extend(raster_segments(self._draw_line(text, scale, bold), self.band_bytes))
        self.segments.append(Segment(cmd.feed_dots(LINE_GAP_DOTS), LINE_GAP_DOTS))

    def blank(self, lines: int = 1) -> None:
        """Feed empty lines."""
        self.segments.append(Segment(cmd.feed_lines(lines), lines * LINE_PITCH_DOTS))

    def qr(self, data: str, *, module_dots: int, ec: str = "M") -> None:
        """A centred QR code: native GS ( k where the profile has it, a raster picture otherwise."""
        prefix = self._style(cmd.ALIGN_CENTER, False, 1)
        image = qr_image(data, module_dots, ec)
        if self.model.native_qr:
            self.segments.append(Segment(prefix + cmd.native_qr(data.encode("ascii"), module_dots=module_dots,
                                                                ec=ec), image.height))
            return
        if prefix:
            self.segments.append(Segment(prefix, 0))
        self.segments.extend(raster_segments(image, self.band_bytes))

    def finish(self) -> PrintJob:
        """Feed past the cutter and cut (or feed to tear-off on models without a cutter)."""
        tail = cmd.cut(CUT_FEED_DOTS) if self.model.has_cutter else cmd.feed_lines(4)
        tail_dots = CUT_FEED_DOTS if self.model.has_cutter else 4 * LINE_PITCH_DOTS
        self.segments.append(Segment(self._style(cmd.ALIGN_LEFT, False, 1) + tail, tail_dots))
        return PrintJob(self.model, tuple(self.segments))

    def _style(self, align: int, bold: bool, scale: int) -> bytes:
        """Only the mode changes needed for the next line."""
        out = b""
        if align != self._align:
            out += cmd.align(align)
            self._align = align
        if bold != self._bold:
            out += cmd.bold(bold)
            self._bold = bold
        if scale != self._scale:
            out += cmd.char_size(scale, scale)
            self._scale = scale
        return out

    def _draw_line(self, text: str, scale: int, bold: bool) -> Image.Image:
        """The line drawn with the CJK font at the printer font's size (24 dots a Hanzi, times `scale`)."""
        size = HANZI_DOTS * scale
        font = ImageFont.truetype(str(Path(self.font_path)), size)
        width = min(self.model.paper_width_dots, int(font.getlength(text)) + 1)
        _, top, _, bottom = font.getbbox(text)
        image = Image.new("L", (max(8, width), max(size, bottom - top)), 255)
        ImageDraw.Draw(image).text((0, -top), text, font=font, fill=0, stroke_width=1 if bold else 0,
                                   stroke_fill=0)
        return image
