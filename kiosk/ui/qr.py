"""QR codes as Kivy textures, for taking an opinion away by phone when it cannot (or need not) be printed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import qrcode

if TYPE_CHECKING:
    from kivy.graphics.texture import Texture

QR_BORDER_MODULES = 4
"""Quiet zone around the code, in modules (the QR standard asks for 4)."""


def qr_pixels(data: str) -> tuple[int, bytes]:
    """The code of `data` as (edge in modules, RGBA rows bottom first): pure Python, so it may run off the UI
    thread (encoding takes tens of ms)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER_MODULES, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    pixels = bytearray()
    for row in reversed(matrix):  # Kivy textures start at the bottom row
        for dark in row:
            pixels += b"\x00\x00\x00\xff" if dark else b"\xff\xff\xff\xff"
    return len(matrix), bytes(pixels)


def pixels_texture(encoded: tuple[int, bytes]) -> Texture:
    """A crisp black-on-white texture of `qr_pixels`' result (one texel per module; shown scaled with nearest
    filtering); on the UI thread, where textures live."""
    from kivy.graphics.texture import Texture  # Kivy only here: the encoding above needs none

    size, pixels = encoded
    texture = Texture.create(size=(size, size), colorfmt="rgba")  # 4 bytes a texel: rows always aligned
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
    return texture


def qr_texture(data: str) -> Texture:
    """`data` as a QR texture, encoded here (for codes made while the kiosk is idle)."""
    return pixels_texture(qr_pixels(data))
