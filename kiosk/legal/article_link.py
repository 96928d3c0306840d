"""Where the QR code of one law-library article leads: the official text a citizen can keep on the phone.

Why: an article read or printed at the kiosk is the pack's copy; the QR code sends the citizen to a source they
can trust and read again at home. The bureau's verification page, when a site has one (legal_aid.verify_url),
shows the pack's full text of the provisions its `p` parameter names, the same way the slip's QR code names
them (kiosk.legal.gists.provisions_param) — for the laws that have a code. Any other law, or a site without
the page, gets the national law database's search for the law's full name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from kiosk.legal.document import Provision
from kiosk.legal.gists import provisions_param
from kiosk.legal.law_library import Article

OFFICIAL_SEARCH_URL = "https://flk.npc.gov.cn/search?searchType=title;accurate&searchValue={name}"
"""国家法律法规数据库 (flk.npc.gov.cn): its search for a title exactly, which lists the law with its versions."""


def law_codes(provisions: Iterable[Provision]) -> dict[str, str]:
    """Each law's code in the verification URL by its full name, from the pack's provisions (gists.yaml)."""
    return {provision.law: provision.law_code for provision in provisions if provision.law_code}


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """The QR code's URL, and whether it opens the article itself (the bureau's page) or its law (the database),
    which is what the caption under the code says."""

    url: str
    names_article: bool


def article_link(article: Article, *, verify_url_base: str, law_code: str) -> ArticleLink:
    """The bureau's page naming `article` (`?p=ldht31`) when it is configured and the law has a code, else the
    national law database's search for the law."""
    if verify_url_base and law_code:
        cited = Provision(article.law.name, article.number, None, "", law_code=law_code)
        return ArticleLink(f"{verify_url_base}?{urlencode({'p': provisions_param([cited])})}", True)
    return ArticleLink(OFFICIAL_SEARCH_URL.format(name=quote(article.law.name)), False)
