"""One article of the law library on paper (打印这一条): the law, the article, its version, its text, and where to
read it again.

Why: a citizen who found the rule that settles their dispute wants to show it to the other side or take it to an
office. The slip says which text it is (the law's full name, the article, status and version date, as the article
page shows them), prints the text in the printer's own font like the opinion slip (kiosk.services.slip_layout
wraps it), and ends with the day it was printed and a QR code to the text online (kiosk.legal.article_link).
Nothing of the citizen is on it.
"""

from __future__ import annotations

from datetime import date

from kiosk.legal.answers import Texts, chinese_date
from kiosk.legal.article_link import ArticleLink
from kiosk.legal.law_library import Article, law_line
from kiosk.services.slip_layout import CENTER, RULE_CHAR, Block, Line, Qr, text_columns, wrap


def article_layout(article: Article, link: ArticleLink, *, service_name: str, printed_on: date, columns: int,
                   texts: Texts) -> tuple[Block, ...]:
    """The slip of `article` for a paper `columns` half-width characters wide: heading, text and notes, then
    the printing date, the QR code of `link` with what it opens, and that the published text prevails."""
    law = article.law
    rule = Line(RULE_CHAR * (columns // 2))
    headings = " ".join(part for part in (article.chapter, article.section) if part)
    label_scale = 2 if text_columns(article.label) * 2 <= columns else 1
    out: list[Block] = [Line(service_name, CENTER, True), Line(texts("library.title"), CENTER),
                        *(Line(t, CENTER, True) for t in wrap(f"《{law.name}》", columns)),
                        Line(article.label, CENTER, True, label_scale),
                        *(Line(t, CENTER) for t in wrap(law_line(texts, law), columns)),
                        *(Line(t, CENTER) for t in wrap(headings, columns)), rule]
    for paragraph in article.text.split("\n"):
        out.extend(Line(t) for t in wrap(paragraph, columns))
    for note in (article.note, law.note, law.source):
        if note:
            out.extend(Line(t) for t in wrap(texts("library.note", note=note), columns))
    caption = texts("slip.article.scan_article" if link.names_article else "slip.article.scan_law")
    out += [rule, Line(f"{texts('slip.date')}：{chinese_date(printed_on)}"), Qr(link.url),
            *(Line(t, CENTER) for t in wrap(caption, columns)),
            *(Line(t) for t in wrap(texts("slip.article.published_text_prevails"), columns))]
    return tuple(out)
