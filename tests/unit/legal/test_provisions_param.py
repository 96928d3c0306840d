"""The slip's `p` read back (issue 20): the verification page decodes exactly what `provisions_param` wrote, and
refuses anything else with a reason, since the value arrives from whatever URL a phone opened."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.legal.document import Provision
from kiosk.legal.gists import LAW_CODE, parse_provisions_param, provisions_param
from kiosk.legal.loader import load_pack
from kiosk.legal.service import DEFAULT_CONTENT_ROOT


def cite(code: str, article: int) -> Provision:
    return Provision("法", article, date(2020, 1, 1), "", law_code=code)


def named(provisions: list[Provision]) -> tuple[tuple[str, int], ...]:
    """What the param names: each coded provision once, grouped by law in first-citation order."""
    pairs = list(dict.fromkeys((p.law_code, p.article) for p in provisions if p.law_code))
    order = list(dict.fromkeys(code for code, _ in pairs))
    return tuple(sorted(pairs, key=lambda pair: order.index(pair[0])))


def test_a_slip_s_parameter_reads_back_as_its_laws_and_articles():
    assert parse_provisions_param("ldht30.82-ldzc27") == (("ldht", 30), ("ldht", 82), ("ldzc", 27))
    assert parse_provisions_param("mfd1260") == (("mfd", 1260),)
    assert parse_provisions_param("") == ()


@given(st.lists(st.tuples(st.from_regex(LAW_CODE, fullmatch=True), st.integers(1, 9999)), max_size=12))
def test_round_trip(cited):
    provisions = [cite(code, article) for code, article in cited]
    assert parse_provisions_param(provisions_param(provisions)) == named(provisions)


def test_every_shipped_provision_round_trips():
    provisions = [p for p in load_pack(DEFAULT_CONTENT_ROOT).provisions.values() if p.law_code]
    assert len(provisions) > 300
    assert parse_provisions_param(provisions_param(provisions)) == named(provisions)


def test_a_repeated_provision_is_named_once():
    assert parse_provisions_param("ldht30.30-ldht30") == (("ldht", 30),)


@pytest.mark.parametrize("value, part", [
    ("ldht", "'ldht'"),                 # a law without articles
    ("30", "'30'"),                     # articles without a law
    ("ldht30.", "'ldht30.'"),
    ("ldht30..82", "'ldht30..82'"),
    ("ldht030", "'ldht030'"),           # a leading zero: not what provisions_param writes
    ("ldht0", "'ldht0'"),
    ("ldht10000", "'ldht10000'"),       # beyond any law's articles
    ("LDHT30", "'LDHT30'"),
    ("l30", "'l30'"),                   # a code is 2-8 letters
    ("abcdefghi1", "'abcdefghi1'"),
    ("ldht30-", "''"),
    ("ldht30--ldzc27", "''"),
    ("ldht30 ldzc27", "'ldht30 ldzc27'"),
    ("劳动合同法30", "'劳动合同法30'"),
    ("ldht30;drop", "'ldht30;drop'"),
])
def test_anything_else_is_refused_naming_the_part(value, part):
    with pytest.raises(ValueError, match=f"^{part} is not a law code followed by article numbers$"):
        parse_provisions_param(value)


def test_a_long_part_is_named_in_short():
    with pytest.raises(ValueError) as info:
        parse_provisions_param("x" * 10_000)
    assert len(str(info.value)) < 80
