"""What one printer model can do, as plain data the encoder and the pacer read (filled from configuration)."""

from __future__ import annotations

from dataclasses import dataclass

HANZI_DOTS = 24
"""Height and width in dots of a Hanzi in the standard font A (half-width characters are 12 dots wide)."""
LINE_PITCH_DOTS = 32
"""Line pitch the encoder sets with ESC 3 (24-dot glyph + 8 dots leading = 4 mm at 203 dpi)."""
CUT_TIME_S = 0.5
"""Seconds a feed-to-cutter plus cut takes on a typical autocutter (datasheet-typical)."""


@dataclass(frozen=True, slots=True)
class PrinterModel:
    """A printer profile: paper width, native QR, code page, speed and buffer (see config `printer_profiles`)."""

    name: str
    paper_width_dots: int = 576
    dots_per_mm: float = 8.0
    chars_per_line_cjk: int = 24
    native_qr: bool = True
    codepage: str = "gb18030"
    print_speed_mm_s: float = 150.0
    receive_buffer_bytes: int = 4096
    has_cutter: bool = True

    @property
    def width_bytes(self) -> int:
        """Bytes in one full-width raster row."""
        return (self.paper_width_dots + 7) // 8

    def dots_to_mm(self, dots: float) -> float:
        """Paper length in millimetres of `dots` vertical dots."""
        return dots / self.dots_per_mm


GENERIC_80MM = PrinterModel("generic_80mm")
GENERIC_58MM = PrinterModel("generic_58mm", paper_width_dots=384, chars_per_line_cjk=16, native_qr=False,
                            codepage="gbk", print_speed_mm_s=60.0, receive_buffer_bytes=1024, has_cutter=False)
"""The two bundled profiles, identical to the configuration defaults (for the simulator and tests)."""
