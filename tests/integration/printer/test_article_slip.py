"""打印这一条 (issue 18): one article of the law library on paper, read back from its printer bytes by the independent
decoder on both paper widths: which law, article and version it is, the whole text with its numbered items, the
notes, the printing date, the QR code (read back from the drawn page) and what it opens, and the cut. The decoded
pages are saved for looking at (tests/_artifacts/slips/article_*.png)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.config.schema import KioskConfig
from kiosk.legal.article_link import ArticleLink, article_link
from kiosk.legal.law_library import LawLibrary
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.services.article_slip import article_layout
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_render import to_print_job
from kiosk.ui.i18n import Translator
from tests.integration.printer.escpos_decoder import decode
from tests.integration.printer.test_slip_decoded import read_qr

ARTIFACTS = Path(__file__).resolve().parents[2] / "_artifacts" / "slips"
CONFIG = KioskConfig()
TEXTS = Translator()
PRINTED_ON = date(2026, 12, 7)


@pytest.fixture(scope="module")
def library():
    library = LawLibrary(lambda: DEFAULT_CONTENT_ROOT)
    yield library
    library.close()


def _printed(article, link: ArticleLink, profile_name: str):
    model = model_from_profile(profile_name, CONFIG.printer_profiles[profile_name])
    blocks = article_layout(article, link, service_name="某某县公共法律服务中心", printed_on=PRINTED_ON,
                            columns=model.chars_per_line_cjk * 2, texts=TEXTS)
    job = to_print_job(blocks, model)
    return model, decode(job.data, model.paper_width_dots)


@pytest.mark.parametrize("profile_name", sorted(CONFIG.printer_profiles))
@pytest.mark.parametrize("law_name, number, base, code", [
    ("劳动合同法", 46, "https://sfj.example.gov.cn/v", "ldht"),   # numbered items; the bureau's page
    ("刑法", 133, "", ""),                                          # a text Amendment XII left alone; the database
    ("工伤保险条例", 14, "", "gsbx"),                                # a hand-checked regulation with its source
])
def test_an_article_slip_decodes_with_its_text_version_and_qr_code(library, profile_name, law_name, number, base,
                                                                     code):
    article = library.article(library.find_law(law_name), number)
    link = article_link(article, verify_url_base=base, law_code=code)
    model, decoded = _printed(article, link, profile_name)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    decoded.image.save(ARTIFACTS / f"article_{article.law.short}_{number}_{profile_name}.png")
    lines = decoded.lines
    flat = "".join(lines)
    assert f"《{article.law.name}》" in flat and article.label in lines
    assert ("行政法规" if article.law.excerpt else "现行有效") in flat and "版" in flat
    assert article.text.replace("\n", "") in flat   # the whole text, every numbered item
    assert all(note in flat for note in (article.note, article.law.note, article.law.source) if note)
    assert "日期：2026年12月7日" in lines
    assert TEXTS("slip.article.scan_article" if link.names_article else "slip.article.scan_law") in flat
    assert read_qr(decoded.image) == [link.url]
    assert decoded.qr_payloads == ([link.url.encode()] if model.native_qr else [])
    assert decoded.cuts == (1 if model.has_cutter else 0)
    assert decoded.max_line_dots <= model.paper_width_dots
    assert all(line[0] not in "，。、；：！？）》" for line in lines if line)
