"""Golden frames of the SAM protocol: every command, the canned replies of public code, full base-info replies.

The expected bytes are written out here (or assembled field by field at the documented offsets), never produced
by the code under test.
"""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest

from firmware_bridge.idcard import commands
from firmware_bridge.idcard.card import CardKind, Gender
from firmware_bridge.idcard.frame import FrameReader, decode_frame
from firmware_bridge.idcard.responses import parse_base_info, parse_new_address, parse_response, parse_sam_id
from firmware_bridge.idcard.status import Sw3, describe, result_code
from firmware_bridge.idcard.textblock import decode_text_block

P = "AA AA AA 96 69 "


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


@pytest.mark.parametrize(("command", "frame"), [
    (commands.RESET_SAM, P + "00 03 10 FF EC"),
    (commands.SAM_STATUS, P + "00 03 11 FF ED"),
    (commands.READ_SAM_ID, P + "00 03 12 FF EE"),
    (commands.FIND_CARD, P + "00 03 20 01 22"),
    (commands.SELECT_CARD, P + "00 03 20 02 21"),
    (commands.READ_BASE_INFO, P + "00 03 30 01 32"),
    (commands.READ_NEW_ADDRESS, P + "00 03 30 03 30"),
    (commands.READ_MID, P + "00 03 30 05 36"),
    (commands.READ_BASE_INFO_WITH_FINGERPRINT, P + "00 03 30 10 23"),
    (commands.set_max_rf_frame(), P + "00 04 61 FF 50 CA"),
    (commands.set_baud(115200), P + "00 03 60 00 63"),
    (commands.set_baud(57600), P + "00 03 60 01 62"),
    (commands.set_baud(38400), P + "00 03 60 02 61"),
    (commands.set_baud(19200), P + "00 03 60 03 60"),
    (commands.set_baud(9600), P + "00 03 60 04 67"),
], ids=lambda v: getattr(v, "name", ""))
def test_command_frames(command, frame):
    assert command.encode() == hexbytes(frame)


@pytest.mark.parametrize("rate_bps", [0, 4800, 14400, 230400])
def test_set_baud_refuses_a_speed_the_sam_does_not_have(rate_bps):
    with pytest.raises(ValueError, match="not a SAM rate"):
        commands.set_baud(rate_bps)


@pytest.mark.parametrize(("frame", "sw3", "data_len", "name"), [
    (P + "00 04 00 00 90 94", 0x90, 0, "OK"),
    (P + "00 08 00 00 9F 00 00 00 00 97", 0x9F, 4, "FIND_OK"),
    (P + "00 04 00 00 80 84", 0x80, 0, "NO_CARD"),
    (P + "00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, 8, "OK"),
    (P + "00 04 00 00 81 85", 0x81, 0, "SELECT_FAILED"),
    (P + "00 04 00 00 41 45", 0x41, 0, "READ_FAILED"),
])
def test_canned_replies_decode(frame, sw3, data_len, name):
    response = parse_response(decode_frame(hexbytes(frame)))
    assert (response.sw1, response.sw2, response.sw3, len(response.data)) == (0, 0, sw3, data_len)
    assert response.outcome == name
    assert response.encode() == hexbytes(frame)


@pytest.mark.parametrize(("sw3", "name", "code"), [
    (0x10, "HOST_CHECKSUM_ERROR", "IDR-010"), (0x11, "HOST_LENGTH_ERROR", "IDR-011"),
    (0x21, "COMMAND_ERROR", "IDR-021"), (0x23, "UNAUTHORISED_OPERATION", "IDR-023"),
    (0x24, "UNRECOGNISED_ERROR", "IDR-024"), (0x31, "CARD_REJECTED_SAM", "IDR-031"),
    (0x32, "SAM_REJECTED_CARD", "IDR-032"), (0x33, "VERIFICATION_ERROR", "IDR-033"),
    (0x40, "UNKNOWN_CARD_TYPE", "IDR-040"), (0x41, "READ_FAILED", "IDR-041"),
    (0x47, "RANDOM_NUMBER_FAILED", "IDR-047"), (0x60, "SAM_SELF_TEST_FAILED", "IDR-060"),
    (0x66, "SAM_NOT_AUTHORISED", "IDR-066"), (0x80, "NO_CARD", "IDR-080"), (0x81, "SELECT_FAILED", "IDR-081"),
    (0xFF, "COMMUNICATION_FAULT", "IDR-099"), (0x55, "UNKNOWN_0x55", "IDR-098"),
])
def test_sw3_outcomes_and_codes(sw3, name, code):
    assert describe(sw3) == name
    assert result_code(sw3) == code


def test_success_codes_are_named():
    assert [describe(v) for v in (0x90, 0x91, 0x9F)] == ["OK", "NO_CONTENT", "FIND_OK"]
    assert Sw3.NO_CONTENT == 0x91


# ---- full base-info replies, assembled field by field ------------------------------------------------------


def f(text: str, size: int) -> bytes:
    """A fixed-width UCS-2LE field padded with spaces."""
    data = text.encode("utf-16-le")
    assert len(data) <= size and size % 2 == 0
    return data + b"\x20\x00" * ((size - len(data)) // 2)


def xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


PHOTO = bytes(range(256)) * 4


def base_info_frame(text: bytes) -> bytes:
    assert len(text) == 256
    head = hexbytes("05 08 00 00 90 01 00 04 00")
    body = head + text + PHOTO
    frame = hexbytes("AA AA AA 96 69") + body + bytes([xor(body)])
    assert len(frame) == 1295
    assert frame[:14] == hexbytes("AA AA AA 96 69 05 08 00 00 90 01 00 04 00")
    return frame


RESIDENT = (f("张三", 30) + f("1", 2) + f("01", 4) + f("19491231", 16) + f("北京市东城区正义路1号", 70)
            + f("11010519491231002X", 36) + f("北京市公安局东城分局", 30) + f("20100101", 16) + f("长期", 16)
            + f("", 28) + f(" ", 2) + f("", 6))
PERMIT = (f("梁嘉欣", 30) + f("2", 2) + f("", 4) + f("19940823", 16) + f("广东省珠海市香洲区情侣路9号", 70)
          + f("810000199408230021", 36) + f("珠海市公安局", 30) + f("20190301", 16) + f("20240301", 16)
          + f("H98765432", 18) + f("02", 4) + f("", 6) + f("J", 2) + f("", 6))
FOREIGN_2017 = (f("WILLIAMS, SARAH", 120) + f("2", 2) + f("GBR310076040021", 30) + f("GBR", 6)
                + f("威廉姆斯", 30) + f("20170915", 16) + f("20270915", 16) + f("19760402", 16) + f("01", 4)
                + f("3100", 8) + f("I", 2) + f("", 6))
FOREIGN_2023 = (f("金敏俊", 30) + f("1", 2) + f("01", 4) + f("19920514", 16)
                + f("KIMWOOBINPARKHYUNSEOJUNGHOYEOLLEES", 70) + f("931410199205140035", 36) + f("", 30)
                + f("20231120", 16) + f("20331120", 16) + f("", 22) + f("KOR", 6) + f("Y", 2) + f("", 6))


def read_base_info(frame: bytes):
    reader = FrameReader()
    reader.feed(frame)
    response = parse_response(reader.pop())
    assert response.sw3 == Sw3.OK
    info = parse_base_info(response.data)
    assert info.photo == PHOTO
    return decode_text_block(info.text, info.photo)


def test_resident_card_base_info():
    record = read_base_info(base_info_frame(RESIDENT))
    assert record.kind is CardKind.RESIDENT
    assert (record.name, record.gender, record.nation_code, record.nation) == ("张三", Gender.MALE, "01", "汉")
    assert record.birth_date == date(1949, 12, 31)
    assert record.address == "北京市东城区正义路1号"
    assert record.id_number == "11010519491231002X"
    assert record.issuer == "北京市公安局东城分局"
    assert (record.valid_from, record.valid_to, record.long_term) == (date(2010, 1, 1), None, True)
    assert bytes(record.photo) == PHOTO


def test_hk_macau_taiwan_permit_base_info():
    record = read_base_info(base_info_frame(PERMIT))
    assert record.kind is CardKind.GAT_RESIDENCE_PERMIT
    assert (record.name, record.gender, record.nation) == ("梁嘉欣", Gender.FEMALE, "")
    assert record.id_number == "810000199408230021"
    assert (record.pass_number, record.issue_count) == ("H98765432", "02")
    assert record.valid_to == date(2024, 3, 1)


def test_foreign_2017_base_info():
    record = read_base_info(base_info_frame(FOREIGN_2017))
    assert record.kind is CardKind.FOREIGN_PERMANENT_2017
    assert (record.name_en, record.name, record.nationality) == ("WILLIAMS, SARAH", "威廉姆斯", "GBR")
    assert record.id_number == "GBR310076040021"
    assert record.birth_date == date(1976, 4, 2)
    assert (record.card_version, record.issuer) == ("01", "3100")


def test_foreign_2023_base_info():
    record = read_base_info(base_info_frame(FOREIGN_2023))
    assert record.kind is CardKind.FOREIGN_PERMANENT_2023
    assert (record.name, record.gender, record.renewal_count) == ("金敏俊", Gender.MALE, "01")
    assert record.name_en == "KIMWOOBINPARKHYUNSEOJUNGHOYEOLLEES"
    assert record.id_number == "931410199205140035"
    assert (record.nationality, record.birth_date) == ("KOR", date(1992, 5, 14))


def test_foreign_2023_english_name_continues_at_offset_220():
    head = "MARTINEZ GARCIA, MARIA DEL CARMEN A"
    text = bytearray(FOREIGN_2023)
    text[52:122] = f(head, 70)
    text[220:242] = f("LEJANDRA", 22)
    record = decode_text_block(bytes(text))
    assert record.name_en == head + "LEJANDRA"


def test_base_info_with_fingerprint_parses_three_lengths():
    finger = bytes([0x43]) * 1024
    data = hexbytes("01 00 04 00 04 00") + RESIDENT + PHOTO + finger
    body = hexbytes("09 0A 00 00 90") + data
    frame = hexbytes("AA AA AA 96 69") + body + bytes([xor(body)])
    assert len(frame) == 2321
    response = parse_response(decode_frame(frame))
    info = parse_base_info(response.data, with_fingerprint=True)
    assert (info.text, info.photo, info.fingerprint) == (RESIDENT, PHOTO, finger)


def test_base_info_with_empty_fingerprint():
    info = parse_base_info(hexbytes("01 00 04 00 00 00") + RESIDENT + PHOTO, with_fingerprint=True)
    assert info.fingerprint == b""


def test_new_address_reply():
    body = hexbytes("00 4A 00 00 90") + f("北京市西城区新街口外大街19号", 70)
    frame = hexbytes("AA AA AA 96 69") + body + bytes([xor(body)])
    response = parse_response(decode_frame(frame))
    assert parse_new_address(response.data) == "北京市西城区新街口外大街19号"


def test_no_new_address_reply():
    assert parse_response(decode_frame(hexbytes(P + "00 04 00 00 91 95"))).outcome == "NO_CONTENT"


def test_sam_id_reply():
    data = hexbytes("05 00 01 00") + (20240101).to_bytes(4, "little") + (12345678).to_bytes(4, "little") \
        + (87654321).to_bytes(4, "little")
    assert parse_sam_id(data) == "05.01-20240101-0012345678-0087654321"
