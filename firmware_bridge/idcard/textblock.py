"""The 256-byte UCS-2LE text block of a card: field layouts of the four kinds, decoding and encoding.

Why layouts as data: decoding (driver) and encoding (simulator) read the same table, so they cannot drift;
the golden tests build blocks byte by byte independently of it. Offsets and sizes are in bytes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from firmware_bridge.idcard.card import CardKind, CardRecord, Gender, WltPhoto
from firmware_bridge.idcard.errors import CardDataError, FrameError
from firmware_bridge.idcard.nations import nation_name
from firmware_bridge.idcard.responses import decode_ucs2

TEXT_BLOCK_BYTES = 256
FLAG_OFFSET = 248
"""Byte offset of the card-kind flag character, the same for every kind."""
LONG_TERM = "长期"
"""The end date of a card valid for an unlimited period."""

Layout = tuple[tuple[str, int, int], ...]
"""(field, byte offset, byte size) triples."""

_RESIDENT: Layout = (
    ("name", 0, 30), ("gender", 30, 2), ("nation_code", 32, 4), ("birth_date", 36, 16), ("address", 52, 70),
    ("id_number", 122, 36), ("issuer", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16),
)
_PERMIT: Layout = (
    ("name", 0, 30), ("gender", 30, 2), ("birth_date", 36, 16), ("address", 52, 70), ("id_number", 122, 36),
    ("issuer", 158, 30), ("valid_from", 188, 16), ("valid_to", 204, 16), ("pass_number", 220, 18),
    ("issue_count", 238, 4),
)
_FOREIGN_2017: Layout = (
    ("name_en", 0, 120), ("gender", 120, 2), ("id_number", 122, 30), ("nationality", 152, 6), ("name", 158, 30),
    ("valid_from", 188, 16), ("valid_to", 204, 16), ("birth_date", 220, 16), ("card_version", 236, 4),
    ("issuer", 240, 8),
)
_FOREIGN_2023: Layout = (
    ("name", 0, 30), ("gender", 30, 2), ("renewal_count", 32, 4), ("birth_date", 36, 16), ("name_en", 52, 70),
    ("id_number", 122, 36), ("valid_from", 188, 16), ("valid_to", 204, 16), ("name_en_tail", 220, 22),
    ("nationality", 242, 6), ("previous_permit_link", 250, 6),
)
LAYOUTS: dict[CardKind, Layout] = {
    CardKind.RESIDENT: _RESIDENT,
    CardKind.GAT_RESIDENCE_PERMIT: _PERMIT,
    CardKind.FOREIGN_PERMANENT_2017: _FOREIGN_2017,
    CardKind.FOREIGN_PERMANENT_2023: _FOREIGN_2023,
}


def card_kind(text: bytes) -> CardKind:
    """The kind named by the UCS-2 character at offset 248."""
    _check_size(text)
    return CardKind.from_flag(text[FLAG_OFFSET:FLAG_OFFSET + 2].decode("utf-16-le", errors="replace"))


def decode_text_block(text: bytes, photo: bytes = b"") -> CardRecord:
    """Decode a text block (and wrap the opaque photo) into a CardRecord; raises CardDataError."""
    kind = card_kind(text)
    try:
        raw = {name: text[off:off + size] for name, off, size in LAYOUTS[kind]}
        fields = {name: decode_ucs2(value) for name, value in raw.items()}
    except FrameError as exc:
        raise CardDataError(f"{kind.name} text block: {exc.detail}") from exc
    if kind is CardKind.FOREIGN_PERMANENT_2023:
        tail = fields.pop("name_en_tail")
        if tail:
            fields["name_en"] = (raw["name_en"].decode("utf-16-le") + tail).rstrip(" \x00")
    try:
        gender = Gender(fields.pop("gender"))
    except ValueError as exc:
        raise CardDataError(f"{kind.name}: gender code not in GB/T 2261.1") from exc
    nation_code = fields.get("nation_code", "")
    if kind is CardKind.RESIDENT and nation_name(nation_code) is None:
        raise CardDataError("resident card: nation code not in GB/T 3304")
    return CardRecord(
        kind=kind,
        gender=gender,
        birth_date=_parse_date(fields.pop("birth_date"), "birth date"),
        valid_from=_parse_date(fields.pop("valid_from"), "valid from"),
        valid_to=None if fields["valid_to"] == LONG_TERM else _parse_date(fields["valid_to"], "valid to"),
        nation=nation_name(nation_code) or "",
        photo=WltPhoto(photo),
        **{k: v for k, v in fields.items() if k != "valid_to"},
    )


def encode_text_block(record: CardRecord) -> bytes:
    """The 256-byte block a card of `record`'s kind carries (the simulator's cards are built with it)."""
    values = {
        "name": record.name, "gender": record.gender.value, "nation_code": record.nation_code,
        "birth_date": record.birth_date.strftime("%Y%m%d"), "address": record.address,
        "id_number": record.id_number, "issuer": record.issuer,
        "valid_from": record.valid_from.strftime("%Y%m%d"),
        "valid_to": LONG_TERM if record.valid_to is None else record.valid_to.strftime("%Y%m%d"),
        "name_en": record.name_en, "nationality": record.nationality, "pass_number": record.pass_number,
        "issue_count": record.issue_count, "renewal_count": record.renewal_count,
        "card_version": record.card_version, "previous_permit_link": record.previous_permit_link,
    }
    if record.kind is CardKind.FOREIGN_PERMANENT_2023:
        # The 2023 card splits the English name: 35 characters at offset 52, up to 11 more at 220.
        values["name_en"], values["name_en_tail"] = record.name_en[:35], record.name_en[35:]
    block = bytearray(" ".encode("utf-16-le") * (TEXT_BLOCK_BYTES // 2))
    for name, offset, size in LAYOUTS[record.kind]:
        data = values[name].encode("utf-16-le")
        if len(data) > size:
            raise ValueError(f"{name} needs {len(data)} bytes, the field holds {size}")
        block[offset:offset + len(data)] = data
    block[FLAG_OFFSET:FLAG_OFFSET + 2] = record.kind.value.encode("utf-16-le")
    return bytes(block)


def with_new_address(record: CardRecord, new_address: str) -> CardRecord:
    """The record with the additional address read by `30 03`."""
    return replace(record, new_address=new_address)


def _parse_date(value: str, what: str) -> date:
    if len(value) != 8 or not value.isdigit():
        raise CardDataError(f"{what} is not YYYYMMDD")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise CardDataError(f"{what} is not a calendar date") from exc


def _check_size(text: bytes) -> None:
    if len(text) != TEXT_BLOCK_BYTES:
        raise CardDataError(f"text block has {len(text)} bytes, expected {TEXT_BLOCK_BYTES}")
