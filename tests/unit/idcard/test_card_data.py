"""Card data: check digits, number formats, birth-date consistency, expiry, genders, nations, encoding round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from firmware_bridge.idcard import idnumber
from firmware_bridge.idcard.card import CardIssue, CardKind, Gender, validate
from firmware_bridge.idcard.errors import CardDataError
from firmware_bridge.idcard.nations import NATIONS, nation_name
from firmware_bridge.idcard.textblock import decode_text_block, encode_text_block
from firmware_bridge.sim.idcard_cards import TEST_CARDS

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("number", ["11010519491231002X", "810000199408230021", "830000199201300022"])
def test_published_numbers_have_valid_check_digits(number):
    assert idnumber.has_valid_check_digit(number)


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491231002", "1101051949123100XX", ""])
def test_wrong_check_digit_or_shape_refused(number):
    assert not idnumber.has_valid_check_digit(number)


def test_birth_date_and_region_of_number():
    assert idnumber.birth_date_of("11010519491231002X") == date(1949, 12, 31)
    assert idnumber.birth_date_of("110105194913310028") is None
    assert idnumber.region_code("11010519491231002X") == "110105"


def test_mask_keeps_first_six_and_last_four():
    assert idnumber.mask("11010519491231002X") == "110105********002X"
    assert idnumber.mask("USA110079012045") == "USA110*****2045"


def test_foreign_2017_format():
    assert idnumber.is_foreign_2017_format("USA110079012045")
    assert not idnumber.is_foreign_2017_format("US1110079012045")


def test_nation_table_is_complete_and_spelled_right():
    assert len(NATIONS) == 58
    assert [nation_name(c) for c in ("01", "46", "56", "97", "98")] == ["汉", "德昂", "基诺", "其他", "外国血统中国籍人士"]
    assert nation_name("57") is None


@pytest.mark.parametrize("name", sorted(TEST_CARDS))
def test_test_cards_round_trip_and_validate(name):
    card = TEST_CARDS[name]
    decoded = decode_text_block(encode_text_block(card), bytes(card.photo))
    assert decoded == replace(card, new_address="")
    expected = {CardIssue.EXPIRED} if name == "expired" else set()
    assert validate(card, TODAY) == expected


def test_rare_characters_survive():
    assert TEST_CARDS["rare_long_term"].name == "李\u4dae"
    decoded = decode_text_block(encode_text_block(TEST_CARDS["minor"]))
    assert decoded.name == "陈\u36c3"


@pytest.mark.parametrize(("code", "gender"), [("0", Gender.UNKNOWN), ("1", Gender.MALE), ("2", Gender.FEMALE),
                                              ("9", Gender.UNSPECIFIED)])
def test_all_gb2261_genders_decode(code, gender):
    text = bytearray(encode_text_block(TEST_CARDS["resident"]))
    text[30:32] = code.encode("utf-16-le")
    assert decode_text_block(bytes(text)).gender is gender


def test_unknown_gender_code_is_invalid_data():
    text = bytearray(encode_text_block(TEST_CARDS["resident"]))
    text[30:32] = "5".encode("utf-16-le")
    with pytest.raises(CardDataError):
        decode_text_block(bytes(text))


@pytest.mark.parametrize(("offset", "value"), [(36, "19850231"), (32, "99"), (188, "2015AB01")])
def test_bad_dates_and_nation_codes_are_invalid_data(offset, value):
    text = bytearray(encode_text_block(TEST_CARDS["resident"]))
    data = value.encode("utf-16-le")
    text[offset:offset + len(data)] = data
    with pytest.raises(CardDataError):
        decode_text_block(bytes(text))


def test_text_block_of_wrong_size_is_invalid_data():
    with pytest.raises(CardDataError):
        decode_text_block(bytes(200))


def test_unknown_flag_dispatches_to_resident():
    text = bytearray(encode_text_block(TEST_CARDS["resident"]))
    text[248:250] = "\x00".encode("utf-16-le")
    assert decode_text_block(bytes(text)).kind is CardKind.RESIDENT


@pytest.mark.parametrize(("change", "issue"), [
    ({"id_number": "110105198506150015"}, CardIssue.CHECK_DIGIT),
    ({"birth_date": date(1985, 6, 16)}, CardIssue.BIRTH_DATE_MISMATCH),
    ({"id_number": "81000019850615001"}, CardIssue.NUMBER_FORMAT),
    ({"id_number": "810000198506150014"}, CardIssue.NUMBER_FORMAT),
    ({"valid_to": date(2026, 11, 21)}, CardIssue.EXPIRED),
])
def test_validation_issues(change, issue):
    assert issue in validate(replace(TEST_CARDS["resident"], **change), TODAY)


def test_card_valid_on_its_last_day_and_long_term_never_expires():
    assert validate(replace(TEST_CARDS["resident"], valid_to=TODAY), TODAY) == set()
    assert TEST_CARDS["rare_long_term"].long_term
    assert validate(TEST_CARDS["rare_long_term"], date(2099, 1, 1)) == set()


def test_permit_and_foreign_numbers_have_their_own_formats():
    permit = TEST_CARDS["hk_permit"]
    assert CardIssue.NUMBER_FORMAT in validate(replace(permit, id_number="110105198804120036"), TODAY)
    foreign = TEST_CARDS["foreign_2023"]
    assert CardIssue.NUMBER_FORMAT in validate(replace(foreign, id_number="811724199003070123"), TODAY)
    old = TEST_CARDS["foreign_2017"]
    assert CardIssue.NUMBER_FORMAT in validate(replace(old, id_number="911724199003070123"), TODAY)


def test_repr_hides_personal_fields():
    card = TEST_CARDS["resident"]
    text = repr(card) + str(card) + repr(card.photo) + f"{card}"
    assert card.name not in text and card.id_number not in text and "RESIDENT" in text
    assert repr(card.photo) == "<WLT photo, 1024 bytes>"
