"""Golden bytes of the ESC/POS pieces: commands, status decoding, text encoding, job framing."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy
from PIL import Image

from firmware_bridge.escpos import commands as cmd
from firmware_bridge.escpos import text
from firmware_bridge.escpos.job import JobBuilder, estimate, raster_segments
from firmware_bridge.escpos.profile import GENERIC_58MM, GENERIC_80MM
from firmware_bridge.escpos.status import (FAULT_STATES, READY_STATES, PrinterState, StatusReport,
                                           decode_state, is_status_byte)


def test_command_bytes():
    assert cmd.INIT + cmd.CHINESE_ON == bytes.fromhex("1b40 1c26")
    assert cmd.status_request(4) == bytes.fromhex("100404")
    assert cmd.align(cmd.ALIGN_CENTER) == bytes.fromhex("1b6101")
    assert cmd.bold(True) == bytes.fromhex("1b4501")
    assert cmd.char_size(2, 2) == bytes.fromhex("1d2111")
    assert cmd.line_spacing(32) == bytes.fromhex("1b3320")
    assert cmd.feed_lines(3) == bytes.fromhex("1b6403")
    assert cmd.feed_dots(8) == bytes.fromhex("1b4a08")
    assert cmd.cut(96) == bytes.fromhex("1d564260")
    assert cmd.raster_image(2, 1, b"\xff\x00") == bytes.fromhex("1d763000 0200 0100 ff00")
    with pytest.raises(ValueError):
        cmd.status_request(5)
    with pytest.raises(ValueError):
        cmd.raster_image(2, 2, b"\x00")


def test_native_qr_matches_python_escpos():
    """python-escpos 3.1's native QR is an independent oracle for our GS ( k framing."""
    url = "https://verify.example.cn/v/ABCD2345"
    oracle = Dummy(profile="TM-T20II")
    oracle.qr(url, native=True, size=6, ec=1)
    assert cmd.native_qr(url.encode(), module_dots=6, ec="M") == oracle.output


def test_raster_matches_python_escpos():
    image = Image.new("1", (20, 3), 1)
    image.putpixel((0, 0), 0)
    image.putpixel((19, 2), 0)
    oracle = Dummy(profile="TM-T20II")
    oracle.image(image, impl="bitImageRaster")
    [segment] = raster_segments(image, 4096)
    assert segment.data == oracle.output
    assert segment.data == bytes.fromhex("1d763000 0300 0300 800000 000000 000010")


@pytest.mark.parametrize("eot1, eot2, eot4, state", [
    (0x12, 0x12, 0x12, PrinterState.ONLINE),
    (0x12, 0x12, 0x1E, PrinterState.PAPER_NEAR_END),
    (0x1A, 0x32, 0x7E, PrinterState.PAPER_OUT),      # a real out-of-paper printer
    (0x12, 0x12, 0x72, PrinterState.PAPER_OUT),      # sensor says end before the stop
    (0x1A, 0x16, 0x12, PrinterState.COVER_OPEN),
    (0x1A, 0x36, 0x7E, PrinterState.COVER_OPEN),     # cover open wins over paper end
    (0x1A, 0x52, 0x12, PrinterState.ERROR),          # error bit in offline cause
    (0x1A, 0x12, 0x12, PrinterState.ERROR),          # offline without a named cause
    (0x12, 0xFF, 0x12, PrinterState.ERROR),          # not a status byte
    (None, None, None, PrinterState.OFFLINE),
    (0x12, 0x12, None, PrinterState.OFFLINE),
])
def test_decode_state(eot1, eot2, eot4, state):
    assert decode_state(eot1, eot2, eot4) is state


def test_status_byte_pattern_and_codes():
    assert [b for b in range(256) if is_status_byte(b)][:4] == [0x12, 0x16, 0x1A, 0x1E]
    assert not is_status_byte(0x11) and not is_status_byte(0x13)   # never XON / XOFF
    assert StatusReport(0x12, 0x12, 0x12).code is None
    assert StatusReport(0x1A, 0x32, 0x7E).code == "PRN-020"
    assert StatusReport(0x00, 0x12, 0x12).code == "PRN-002"
    assert StatusReport(None, None, None).as_dict() == {"state": "offline", "code": "PRN-001",
                                                        "eot1": None, "eot2": None, "eot4": None}
    assert READY_STATES.isdisjoint(FAULT_STATES) and PrinterState.PAPER_OUT in FAULT_STATES


def test_text_encoding_refuses_what_the_font_lacks():
    assert text.encode("第三十条：工资", "gbk") == "第三十条：工资".encode("gbk")
    assert text.encode("￥", "gbk") == b"\xa3\xa4"
    for ch in "¥•€䶮\x07":
        assert not text.printable(ch, "gbk"), ch
    assert text.runs("张㐀三", "gb18030") == [("张", True), ("㐀", False), ("三", True)]
    with pytest.raises(ValueError, match=r"U\+3400"):
        text.encode("张㐀", "gb18030")


def test_job_framing_80mm():
    builder = JobBuilder(GENERIC_80MM)
    builder.line("法律意见书", align=cmd.ALIGN_CENTER, bold=True, scale=2)
    builder.line("编号 A-1")
    builder.qr("https://v.example.cn/x", module_dots=6)
    job = builder.finish()
    expected = (bytes.fromhex("1b40 1c26 1b3320")
                + bytes.fromhex("1b6101 1b4501 1d2111") + "法律意见书".encode("gb18030") + b"\n"
                + bytes.fromhex("1b6100 1b4500 1d2100") + "编号 A-1".encode("gb18030") + b"\n"
                + bytes.fromhex("1b6101") + cmd.native_qr(b"https://v.example.cn/x", module_dots=6, ec="M")
                + bytes.fromhex("1b6100 1d564260"))
    assert job.data == expected
    assert b"\x1bt" not in job.data


def test_job_draws_unprintable_line_and_image_qr_on_58mm():
    builder = JobBuilder(GENERIC_58MM)
    builder.line("姓名：张䶮")
    builder.qr("https://v.example.cn/x", module_dots=4)
    job = builder.finish()
    assert b"\x1d(k" not in job.data and b"\x1dv0" in job.data
    assert "张".encode("gbk") not in job.data          # the whole line went as a picture
    assert all(len(s.data) <= GENERIC_58MM.receive_buffer_bytes // 2 + 16 for s in job.segments)
    assert job.data.endswith(cmd.feed_lines(4))        # no cutter on this model


def test_estimate_is_link_bound_at_9600_and_mechanism_bound_at_115200_for_text():
    builder = JobBuilder(GENERIC_80MM)
    for _ in range(40):
        builder.line("劳动者可以向劳动争议仲裁委员会申请仲裁，时效为一年。")
    job = builder.finish()
    slow, fast = estimate(job, 9600), estimate(job, 115200)
    assert fast.bound == "mechanism" and fast.total_s == pytest.approx(fast.mechanism_s, rel=0.05)
    assert slow.link_s == pytest.approx(len(job.data) / 960)
