"""Made-up people on test cards of all four kinds, for the ID reader simulator and tests.

Why these: each exercises something the kiosk must handle — an Ext-A rare character in a name (䶮, 㛃), a
long-term (长期) validity, a minor, an elderly citizen, an expired card, an additional address, and an English
name long enough to spill into the 2023 card's second name field. Every number has a valid check digit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from firmware_bridge.idcard.card import CardKind, CardRecord, Gender, WltPhoto

FAKE_WLT = WltPhoto(bytes((i * 37 + 11) % 256 for i in range(1024)))
"""1024 bytes standing in for a WLT photo (not a real image; the kiosk never decodes it here)."""


def _card(**fields: Any) -> CardRecord:
    return CardRecord(photo=FAKE_WLT, **fields)


TEST_CARDS: dict[str, CardRecord] = {
    "resident": _card(
        kind=CardKind.RESIDENT, name="王小明", gender=Gender.MALE, nation_code="01", nation="汉",
        birth_date=date(1985, 6, 15), address="北京市朝阳区幸福路88号院3号楼2单元501室",
        id_number="110105198506150014", issuer="北京市公安局朝阳分局",
        valid_from=date(2015, 3, 1), valid_to=date(2035, 3, 1)),
    "rare_long_term": _card(
        kind=CardKind.RESIDENT, name="李䶮", gender=Gender.FEMALE, nation_code="06", nation="苗",
        birth_date=date(1950, 2, 3), address="贵州省贵阳市南明区花果园路12号",
        id_number="520102195002030047", issuer="贵阳市公安局南明分局",
        valid_from=date(2010, 5, 20), valid_to=None,
        new_address="贵州省贵阳市云岩区中华北路200号"),
    "minor": _card(
        kind=CardKind.RESIDENT, name="陈㛃", gender=Gender.FEMALE, nation_code="08", nation="壮",
        birth_date=date(2012, 8, 8), address="广东省深圳市南山区科苑路15号",
        id_number="440305201208080021", issuer="深圳市公安局南山分局",
        valid_from=date(2022, 9, 1), valid_to=date(2027, 9, 1)),
    "expired": _card(
        kind=CardKind.RESIDENT, name="赵六", gender=Gender.MALE, nation_code="10", nation="朝鲜",
        birth_date=date(1970, 1, 1), address="黑龙江省哈尔滨市道里区中央大街1号",
        id_number="230102197001010052", issuer="哈尔滨市公安局道里分局",
        valid_from=date(2000, 1, 1), valid_to=date(2020, 1, 1)),
    "hk_permit": _card(
        kind=CardKind.GAT_RESIDENCE_PERMIT, name="黄志强", gender=Gender.MALE,
        birth_date=date(1988, 4, 12), address="广东省深圳市福田区福华路3号",
        id_number="810000198804120030", issuer="深圳市公安局", valid_from=date(2024, 1, 10),
        valid_to=date(2029, 1, 10), pass_number="H12345678", issue_count="01"),
    "foreign_2017": _card(
        kind=CardKind.FOREIGN_PERMANENT_2017, name="史密斯", name_en="SMITH, JOHN ALEXANDER",
        gender=Gender.MALE, birth_date=date(1979, 1, 20), id_number="USA110079012045",
        nationality="USA", issuer="1500", card_version="01",
        valid_from=date(2017, 6, 1), valid_to=date(2027, 6, 1)),
    "foreign_2023": _card(
        kind=CardKind.FOREIGN_PERMANENT_2023, name="玛丽", gender=Gender.FEMALE,
        name_en="MARTINEZ GARCIA, MARIA DEL CARMEN ALEJANDRA", birth_date=date(1990, 3, 7),
        id_number="911724199003070123", nationality="ESP", renewal_count="00",
        valid_from=date(2023, 12, 1), valid_to=date(2033, 12, 1)),
}
