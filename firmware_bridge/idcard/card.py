"""The typed record of one card read, for all four card kinds, and its validation against today's date.

Why one record: the kiosk asks the same questions (who, how old, which number, still valid) of a resident ID
card, a Hong Kong/Macau/Taiwan residence permit and both foreign permanent resident cards. The record holds
personal data: its repr shows only the kind, and the WLT photo is an opaque wrapper that never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from firmware_bridge.idcard import idnumber


class CardKind(Enum):
    """Card kind by the flag at text offset 248."""

    RESIDENT = " "
    GAT_RESIDENCE_PERMIT = "J"
    FOREIGN_PERMANENT_2017 = "I"
    FOREIGN_PERMANENT_2023 = "Y"

    @classmethod
    def from_flag(cls, flag: str) -> CardKind:
        """Dispatch on the flag: I, Y and J are their kinds; anything else is a resident card."""
        for kind in (cls.GAT_RESIDENCE_PERMIT, cls.FOREIGN_PERMANENT_2017, cls.FOREIGN_PERMANENT_2023):
            if flag == kind.value:
                return kind
        return cls.RESIDENT


class Gender(Enum):
    """GB/T 2261.1 sex codes, including 'not known' and 'not stated' (never folded into female)."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSPECIFIED = "9"

    @property
    def label(self) -> str:
        """The citizen-facing name."""
        return {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}[self.value]


class CardIssue(Enum):
    """What validation found wrong; EXPIRED alone still lets the kiosk use the data (it is flagged)."""

    NUMBER_FORMAT = "number_format"
    CHECK_DIGIT = "check_digit"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    EXPIRED = "expired"


BLOCKING_ISSUES = frozenset({CardIssue.NUMBER_FORMAT, CardIssue.CHECK_DIGIT, CardIssue.BIRTH_DATE_MISMATCH})
"""Issues that make the read unusable (a forged or misread card)."""


class WltPhoto:
    """The card photo in the vendor's closed WLT format: opaque, never printed, logged or stored."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)

    def __bytes__(self) -> bytes:
        return self._data

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WltPhoto) and other._data == self._data

    def __hash__(self) -> int:
        return hash(self._data)

    def __repr__(self) -> str:
        return f"<WLT photo, {len(self._data)} bytes>"


@dataclass(frozen=True, slots=True, repr=False)
class CardRecord:
    """One card's decoded text block; `valid_to` None means 长期 (long-term). Kind-specific fields default empty."""

    kind: CardKind
    name: str
    gender: Gender
    birth_date: date
    id_number: str
    valid_from: date
    valid_to: date | None
    address: str = ""
    issuer: str = ""
    nation_code: str = ""
    nation: str = ""
    name_en: str = ""
    nationality: str = ""
    pass_number: str = ""
    issue_count: str = ""
    renewal_count: str = ""
    card_version: str = ""
    previous_permit_link: str = ""
    new_address: str = ""
    photo: WltPhoto = field(default_factory=lambda: WltPhoto(b""))
    new_address_unavailable: bool = False
    """The reader could not read the additional address (30 03) for this card: `new_address` is unknown, not empty."""

    @property
    def long_term(self) -> bool:
        """True when the card is valid for an unlimited period (长期)."""
        return self.valid_to is None

    def __repr__(self) -> str:
        return f"<CardRecord {self.kind.name}, personal fields hidden>"

    __str__ = __repr__


def validate(record: CardRecord, today: date) -> frozenset[CardIssue]:
    """Check the number's format and check digit, the birth date it encodes, and expiry on `today`."""
    issues: set[CardIssue] = set()
    number = record.id_number
    if record.kind is CardKind.FOREIGN_PERMANENT_2017:
        if not idnumber.is_foreign_2017_format(number):
            issues.add(CardIssue.NUMBER_FORMAT)
    elif not _number_format_ok(record.kind, number):
        issues.add(CardIssue.NUMBER_FORMAT)
    else:
        if not idnumber.has_valid_check_digit(number):
            issues.add(CardIssue.CHECK_DIGIT)
        if idnumber.birth_date_of(number) != record.birth_date:
            issues.add(CardIssue.BIRTH_DATE_MISMATCH)
    if record.valid_to is not None and record.valid_to < today:
        issues.add(CardIssue.EXPIRED)
    return frozenset(issues)


def _number_format_ok(kind: CardKind, number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    if kind is CardKind.GAT_RESIDENCE_PERMIT:
        return number.startswith(idnumber.PERMIT_PREFIXES)
    if kind is CardKind.FOREIGN_PERMANENT_2023:
        return number.startswith("9")
    return not number.startswith(idnumber.PERMIT_PREFIXES) and not number.startswith("9")
