"""One article of the law library in large type: its law, status and version, headings, text and notes, with the
articles before and after it one tap away; 打印这一条 prints it, and its QR code leads to the text online.

The article's link and QR code are made off the UI thread as it opens (kiosk.legal.article_link): the
bureau's page for the laws the pack gives a code, else the national law database. A print is the printing
service's job numbered by the article (nothing of the citizen on it); when the printer cannot, the citizen is told
calmly and shown the QR code, as on the opinion.
"""

from __future__ import annotations

import logging

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.legal.law_library import Article, law_line
from kiosk.legal.library_usage import LibraryArticleOpened, LibraryArticlePrinted, law_key
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.qr import pixels_texture, qr_pixels
from kiosk.ui.screens.base import KioskScreen

logger = logging.getLogger(__name__)


class LibraryArticleScreen(KioskScreen):
    """Shows `article` (set before the screen opens, with `back_to`); 上一条/下一条 move within its law."""

    notices = ("message",)
    article = ObjectProperty(None, allownone=True)
    back_to = StringProperty("library")
    """The screen 返回 goes back to: the library's list, or the opinion whose citation opened the article."""
    law_line = StringProperty("")
    """The law's status and version (现行有效 · 2012年12月28日修正版), or a regulation's kind and source."""
    link = ObjectProperty(None, allownone=True)
    """The article's kiosk.legal.article_link.ArticleLink (None until made)."""
    qr = ObjectProperty(None, allownone=True)
    qr_shown = BooleanProperty(False)
    message = StringProperty("")
    printing_busy = BooleanProperty(False)
    can_print = BooleanProperty(False)

    def on_kv_post(self, base_widget) -> None:
        if self.app.services.printing is None:
            return
        from kiosk.services.printing import PrintJobFailed, PrintJobPrinted

        self.app.bridge.on(PrintJobPrinted, self._on_printed)
        self.app.bridge.on(PrintJobFailed, self._on_print_failed)

    def on_pre_enter(self, *args) -> None:
        self.can_print = self.app.services.printing is not None

    def show_article(self, article: Article, *, back_to: str, via: str, rank: int = 0) -> None:
        """Show `article` (返回 goes to `back_to`), counted by its law's key and number, how it was reached
        (kiosk.legal.library_usage.VIAS) and a search result's rank."""
        self.back_to, self.article = back_to, article
        self._count_opened(via, rank)

    def _count_opened(self, via: str, rank: int = 0) -> None:
        article = self.article
        self.app.services.bus.publish(LibraryArticleOpened(law_key(article.law.name), article.number, via, rank))

    def on_article(self, _screen, article: Article | None) -> None:
        """Lay the article out: one paragraph per label, so each breaks its own lines; its link follows."""
        box = self.ids.paragraphs
        box.clear_widgets()
        self.link, self.qr, self.qr_shown, self.message, self.printing_busy = None, None, False, "", False
        if article is None:
            return
        law = article.law
        self.law_line = law_line(self.app._, law)
        for paragraph in article.text.split("\n"):
            box.add_widget(Factory.ArticleText(paragraph=paragraph))
        for note in (article.note, law.note, law.source):
            if note:
                box.add_widget(Factory.ArticleNote(paragraph=self.app._("library.note", note=note)))
        self.ids.scroll.scroll_y = 1
        run_off_ui(lambda: self._link_and_code(article), lambda made, error: self._linked(article, made, error))

    def _link_and_code(self, article: Article):
        """Worker thread: the article's link (the pack's law codes, the site's verification page) and its QR."""
        from kiosk.legal.article_link import article_link, law_codes  # noqa: PLC0415 - YAML-free start-up

        services = self.app.services
        codes = law_codes(services.consultations.pack.provisions.values())
        link = article_link(article, verify_url_base=services.config.legal_aid.verify_url,
                            law_code=codes.get(article.law.name, ""))
        return link, qr_pixels(link.url)

    def _linked(self, article: Article, made, error) -> None:
        if error is not None:   # the page stays readable; only printing and the QR code wait for a link
            logger.error("law article link not made: %s", error)
        elif self.app is not None and article is self.article:
            self.link, encoded = made
            self.qr = pixels_texture(encoded)

    def step(self, offset: int) -> None:
        """上一条 (-1) / 下一条 (+1): the neighbouring article of the same law, if there is one."""
        self.tap("next" if offset > 0 else "previous")
        current = self.article
        library = self.app.services.library

        def done(found, error) -> None:
            neighbours = [a for a in (found or ()) if a.law.id == current.law.id and a.id == current.id + offset]
            if error is None and neighbours and self.article is current:
                self.article = neighbours[0]
                self._count_opened("step")

        run_off_ui(lambda: library.articles(current.id + offset, current.id + offset), done)

    def print_article(self) -> None:
        """打印这一条: the article's slip to the printer (laid out off the UI thread); the outcome is an event."""
        article, link = self.article, self.link
        if article is None or link is None or self.printing_busy or not self.can_print:
            return
        self.tap("print")
        self.printing_busy = True
        self.message = self.app._("printing.printing")
        run_off_ui(lambda: self._submit(article, link), self._on_submitted)

    def _submit(self, article: Article, link) -> str:
        """Worker thread: lay the slip out for this printer's paper and queue it."""
        from kiosk.services.article_slip import article_layout  # noqa: PLC0415 - YAML-free start-up

        services = self.app.services
        printing = services.printing
        blocks = article_layout(article, link, service_name=services.config.kiosk.service_name,
                                printed_on=services.clock.now().date(), columns=printing.columns,
                                texts=printing.texts)
        return printing.submit_blocks(job_number(article), blocks, verify_url=link.url)

    def _on_submitted(self, _job_id, error) -> None:
        if error is not None:
            self.printing_busy = False
            self.message = self.app._("printing.error")

    def _is_mine(self, event, ok: bool) -> bool:
        """Whether a print event is this article's slip (then counted, printed or not)."""
        article = self.article
        if article is None or event.number != job_number(article):
            return False
        self.printing_busy = False
        self.app.services.bus.publish(LibraryArticlePrinted(law_key(article.law.name), article.number, ok))
        return True

    def _on_printed(self, event) -> None:
        if self._is_mine(event, True):
            self.message = self.app._("printing.done")

    def _on_print_failed(self, event) -> None:
        if self._is_mine(event, False):
            self.message = self.app._(event.citizen_key)
            self.show_qr(tapped=False)

    def show_qr(self, *, tapped: bool = True) -> None:
        """扫码看原文: the QR code of the article's link over the page (it appears there once made)."""
        if tapped:
            self.tap("qr")
        self.qr_shown = True

    def leave(self) -> None:
        """返回: the list the article was opened from, or the opinion that cited it."""
        self.tap("back")
        self.app.show(self.back_to)


def job_number(article: Article) -> str:
    """The print job's number: which article (a job's record holds no more than this)."""
    return f"law-article-{article.id}"
