"""The slip's bytes decoded independently, drawn with a CJK font, and its QR code read back with zxing-cpp."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import ImageOps

from kiosk.config.schema import KioskConfig
from kiosk.legal.examples import build_example_opinion
from kiosk.core.clock import CHINA_TZ
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import to_png, to_print_job
from kiosk.ui.i18n import Translator
from tests.integration.printer.escpos_decoder import DecodeError, decode

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts"


def render(profile_name: str):
    config = KioskConfig()
    model = model_from_profile(profile_name, config.printer_profiles[profile_name])
    document = build_example_opinion("specimen", kiosk_id="dev-0001",
                                     issued_at=datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ))
    blocks = layout(document, model.chars_per_line_cjk * 2, Translator())
    return model, document, blocks, to_print_job(blocks, model)


def read_qr(image) -> list[str]:
    framed = ImageOps.expand(image.convert("L"), border=40, fill=255)
    return [r.text for r in zxingcpp.read_barcodes(framed)]


@pytest.mark.parametrize("profile_name", ["generic_80mm", "generic_58mm"])
def test_slip_decodes_renders_and_its_qr_reads_back(profile_name):
    model, document, blocks, job = render(profile_name)
    assert job.data.startswith(b"\x1b@\x1c&")
    assert b"\x1bt" not in job.data
    decoded = decode(job.data, model.paper_width_dots)
    ARTIFACTS.mkdir(exist_ok=True)
    decoded.image.save(ARTIFACTS / f"slip_decoded_{profile_name}.png")
    to_png(blocks, model).save(ARTIFACTS / f"slip_preview_{profile_name}.png")

    text = "\n".join(decoded.lines)
    assert decoded.lines[1] == "法律意见书"
    assert "《中华人民共和国劳动合同法》第三十条" in text.replace("\n", "")
    assert "证件号码：440106********0012" in text.replace("\n", "")
    assert "12348" in text and "仅供参考" in text.replace("\n", "")
    assert decoded.max_line_dots <= model.paper_width_dots
    for line in decoded.lines:
        assert line[0] not in "，。、；：！？）》", line
    assert read_qr(decoded.image) == [document.verify_url]
    if model.native_qr:
        assert decoded.qr_payloads == [document.verify_url.encode()]
        assert decoded.cuts == 1
    else:
        assert decoded.qr_payloads == [] and decoded.cuts == 0
        assert any(w > 0 for w, _ in decoded.rasters)


def test_rare_character_is_drawn_on_a_gbk_printer():
    model, document, blocks, job = render("generic_58mm")
    decoded = decode(job.data, model.paper_width_dots)
    assert not any("䶮" in line for line in decoded.lines)
    assert not any("是谁招您去干活的" in line for line in decoded.lines)   # that whole line went as a picture
    assert len(decoded.rasters) > 1


@pytest.mark.parametrize("data, message", [
    (b"\x1b@\x1bZ", "unknown command"),
    (b"\x1b@\xb7\xa8\n", "outside Chinese mode"),
    (b"\x1b@\x1c&\x1bt\x01", "unknown command"),
    (b"\x1b@\x1dv0\x00\x02\x00\x02\x00\x00", "truncated"),
])
def test_decoder_rejects_what_a_slip_must_not_contain(data, message):
    with pytest.raises(DecodeError, match=message):
        decode(data, 384)


def test_the_preview_draws_a_double_size_title_whole():
    """A double-size title lost the bottom of its glyphs when its row was only one glyph tall."""
    from kiosk.services.slip_layout import CENTER, Line

    model = model_from_profile("generic_80mm", KioskConfig().printer_profiles["generic_80mm"])

    def ink_height(scale: int) -> int:
        page = to_png((Line("法律意见书", CENTER, True, scale),), model).convert("L")
        rows = [y for y in range(page.height) if page.crop((0, y, page.width, y + 1)).getextrema()[0] < 128]
        return rows[-1] - rows[0] + 1

    assert abs(ink_height(2) - 2 * ink_height(1)) <= 3
