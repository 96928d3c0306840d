"""Draw the slip's blocks twice: as an ESC/POS job for the printer and as a PNG that looks like the paper.

Why: the citizen sees on screen exactly what the printer will give them (and the QR code when it cannot).
Both renderers read the same blocks and the same printer profile, so widths and line breaks agree.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from firmware_bridge.escpos.job import DEFAULT_FONT, JobBuilder, PrintJob, qr_image
from firmware_bridge.escpos.profile import HANZI_DOTS, LINE_PITCH_DOTS, PrinterModel
from kiosk.services.slip_layout import CENTER, Block, Gap, Line, Qr, char_columns, text_columns

QR_MODULE_MM = 0.6
"""Printed size of one QR module in millimetres (comfortably phone-scannable)."""
PREVIEW_MARGIN_PX = 24
"""White margin around the preview, in pixels (the paper beyond the printable width)."""


def qr_module_dots(model: PrinterModel) -> int:
    """QR module size in printer dots for this model's resolution."""
    return max(2, round(QR_MODULE_MM * model.dots_per_mm))


def to_print_job(blocks: tuple[Block, ...], model: PrinterModel, font_path: str = DEFAULT_FONT) -> PrintJob:
    """The ESC/POS job of the slip."""
    builder = JobBuilder(model, font_path)
    for block in blocks:
        if isinstance(block, Line):
            builder.line(block.text, align=block.align, bold=block.bold, scale=block.scale)
        elif isinstance(block, Gap):
            builder.blank(block.lines)
        else:
            builder.qr(block.url, module_dots=qr_module_dots(model))
    return builder.finish()


def to_png(blocks: tuple[Block, ...], model: PrinterModel, font_path: str = DEFAULT_FONT) -> Image.Image:
    """A picture of the printed slip at printer resolution (one pixel per dot) with a paper margin."""
    width = model.paper_width_dots
    rows: list[tuple[Image.Image, int]] = []
    for block in blocks:
        if isinstance(block, Line):
            rows.append((_draw_line(block, width, font_path), block.align))
        elif isinstance(block, Gap):
            rows.append((Image.new("L", (width, LINE_PITCH_DOTS * block.lines), 255), 0))
        else:
            rows.append((qr_image(block.url, qr_module_dots(model), "M").convert("L"), CENTER))
    height = sum(image.height for image, _ in rows)
    page = Image.new("L", (width + 2 * PREVIEW_MARGIN_PX, height + 2 * PREVIEW_MARGIN_PX), 255)
    y = PREVIEW_MARGIN_PX
    for image, align in rows:
        x = PREVIEW_MARGIN_PX + ((width - image.width) // 2 if align == CENTER else 0)
        page.paste(image, (x, y))
        y += image.height
    return page


def _draw_line(line: Line, width: int, font_path: str) -> Image.Image:
    """The line as the printer font lays it out: every character in a fixed cell, half width for ASCII."""
    size = HANZI_DOTS * line.scale
    half_cell = size // 2
    font = ImageFont.truetype(font_path, size)
    pitch = LINE_PITCH_DOTS * line.scale  # a double-size line takes two lines' pitch, as on the printer
    image = Image.new("L", (width, pitch), 255)
    x = (width - text_columns(line.text) * half_cell) // 2 if line.align == CENTER else 0
    draw = ImageDraw.Draw(image)
    for ch in line.text:
        cell = char_columns(ch) * half_cell
        glyph = font.getlength(ch)
        draw.text((x + (cell - glyph) / 2, 0), ch, font=font, fill=0, stroke_width=1 if line.bold else 0,
                  stroke_fill=0)
        x += cell
    return image
