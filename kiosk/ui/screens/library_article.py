"""One article of the law library in large type: its law, status and version, headings, text and notes, with the
articles before and after it one tap away."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ObjectProperty, StringProperty

from kiosk.consult.law_library import Article
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.library import law_line


class LibraryArticleScreen(KioskScreen):
    """Shows `article` (set before the screen opens); 上一条/下一条 move within its law."""

    article = ObjectProperty(None, allownone=True)
    law_line = StringProperty("")
    """The law's status and version (现行有效 · 2012年12月28日修正版), or a regulation's kind and source."""

    def on_article(self, _screen, article: Article | None) -> None:
        """Lay the article out: one paragraph per label, so each breaks its own lines."""
        box = self.ids.paragraphs
        box.clear_widgets()
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

    def step(self, offset: int) -> None:
        """上一条 (-1) / 下一条 (+1): the neighbouring article of the same law, if there is one."""
        self.tap("next" if offset > 0 else "previous")
        current = self.article
        library = self.app.services.library

        def done(found, error) -> None:
            neighbours = [a for a in (found or ()) if a.law.id == current.law.id and a.id == current.id + offset]
            if error is None and neighbours and self.article is current:
                self.article = neighbours[0]

        run_off_ui(lambda: library.articles(current.id + offset, current.id + offset), done)

    def leave(self) -> None:
        """返回: the list the article was opened from."""
        self.tap("back")
        self.app.show("library")
