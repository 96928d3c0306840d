"""QR codes as Kivy textures, for taking an opinion away by phone when it cannot (or need not) be printed."""

from __future__ import annotations

import qrcode
from kivy.graphics.texture import Texture

QR_BORDER_MODULES = 4
"""Quiet zone around the code, in modules (the QR standard asks for 4)."""


def qr_texture(data: str) -> Texture:
    """A crisp black-on-white texture of `data` (one texel per module; shown scaled with nearest filtering)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QR_BORDER_MODULES, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytearray()
    for row in reversed(matrix):  # Kivy textures start at the bottom row
        for dark in row:
            pixels += b"\x00\x00\x00\xff" if dark else b"\xff\xff\xff\xff"
    texture = Texture.create(size=(size, size), colorfmt="rgba")  # 4 bytes a texel: rows always aligned
    texture.mag_filter = "nearest"
    texture.min_filter = "nearest"
    texture.blit_buffer(bytes(pixels), colorfmt="rgba", bufferfmt="ubyte")
    return texture
