"""The QR code's pixels are encoded without Kivy (so off the UI thread) and read back as the text they carry."""

import zxingcpp
from PIL import Image

from kiosk.ui.qr import QR_BORDER_MODULES, qr_pixels

URL = "https://12348.example.cn/verify?n=dev-0001-20261207-0001&c=7Q2K9M"


def test_the_encoded_pixels_read_back_as_the_url():
    size, pixels = qr_pixels(URL)
    assert len(pixels) == size * size * 4
    image = Image.frombytes("RGBA", (size, size), pixels).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    image = image.convert("L").resize((size * 8, size * 8), Image.Resampling.NEAREST)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [URL]


def test_the_quiet_zone_is_white():
    size, pixels = qr_pixels(URL)
    first_rows = pixels[: size * QR_BORDER_MODULES * 4]
    assert set(first_rows) == {0xFF}
