"""Where an article's QR code leads: the bureau's page naming it, as the slip's QR names provisions, for a law the
pack gives a code; the national law database's search for the law otherwise."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from kiosk.legal.article_link import OFFICIAL_SEARCH_URL, article_link, law_codes
from kiosk.legal.document import Provision
from kiosk.legal.law_library import LawLibrary

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"


@pytest.fixture(scope="module")
def library():
    library = LawLibrary(lambda: CONTENT_ROOT)
    yield library
    library.close()


def _article(library, law_name: str, number: int):
    return library.article(library.find_law(law_name), number)


def test_a_coded_law_on_a_site_with_the_page_opens_the_article_there(library):
    link = article_link(_article(library, "劳动合同法", 31), verify_url_base="https://sfj.example.gov.cn/v",
                        law_code="ldht")
    assert link.names_article
    assert link.url == "https://sfj.example.gov.cn/v?p=ldht31"


@pytest.mark.parametrize("verify_url_base, law_code", [("", "ldht"), ("https://sfj.example.gov.cn/v", "")])
def test_without_the_page_or_a_code_the_database_searches_the_law(library, verify_url_base, law_code):
    link = article_link(_article(library, "劳动合同法", 31), verify_url_base=verify_url_base, law_code=law_code)
    assert not link.names_article
    assert link.url.startswith(OFFICIAL_SEARCH_URL.split("{")[0]) and link.url.isascii()
    assert unquote(parse_qs(urlsplit(link.url).query)["searchValue"][0]) == "中华人民共和国劳动合同法"


def test_law_codes_come_from_the_packs_provisions_by_full_name():
    provisions = [Provision("中华人民共和国劳动合同法", 30, None, "", short="劳动合同法", law_code="ldht"),
                  Provision("中华人民共和国宪法", 1, None, "")]
    assert law_codes(provisions) == {"中华人民共和国劳动合同法": "ldht"}
