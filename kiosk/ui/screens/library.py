"""法律法规查询: search the pack's law library by typing, or browse it topic → law → chapter, down to an article.

The library is read off the UI thread (kiosk.ui.bridge.run_off_ui); what comes back is shown as big cards. A
later answer replaces an earlier one only if nothing was asked since (a slow search never overwrites a newer
one). Taps are reported by control id and result rank, never with the typed words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kivy.factory import Factory
from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.legal.law_library import Article, Chapter, Hit, Law, SearchResult, TopicLaw, law_line
from kiosk.legal.library_usage import LibrarySearched
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.icons import icon_path
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.settling import Settling

RESULTS = 20
"""Cards a search shows at most."""
CHAPTER_ARTICLES = 60
"""Articles of one chapter listed at most (民法典's longest chapters have fewer); the article page pages on."""


class LawCard(ButtonBehavior, BoxLayout):
    """A result, a law, a chapter or an article in a list: its title, a piece of its text with `marks` (offsets
    into `paragraph`) drawn bold, and a heading under it (look in library.kv)."""

    title = StringProperty("")
    paragraph = StringProperty("")
    marks = ListProperty([])
    hint = StringProperty("")


Factory.register("LawCard", cls=LawCard)


class SettlingGrid(Settling, GridLayout):
    """The cards or topic buttons: they ignore taps for a moment after they appear where the keyboard just was."""


Factory.register("SettlingGrid", cls=SettlingGrid)


@dataclass(frozen=True, slots=True)
class View:
    """One level of the browse trail: its heading and how to fetch and show it again (上一步)."""

    heading: str
    fetch: Callable[[], Any]
    show: Callable[[Any], None]


class LibraryScreen(KioskScreen):
    """The search box with the pinyin keyboard, the topic buttons, and the cards of what was found or opened."""

    notices = ("message",)
    message = StringProperty("")
    heading = StringProperty("")
    """What the list shows now (a topic, a law, a chapter, or the search's count)."""
    typing = BooleanProperty(False)
    busy = BooleanProperty(False)
    can_go_back = BooleanProperty(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._trail: list[View] = []
        self._asked = 0
        """Number of the latest request: an answer to an older one is dropped."""
        self._keep = False

    def on_pre_enter(self, *args) -> None:
        """Coming back from an article keeps the list it was opened from; a new visit starts at the topics."""
        if not self._keep:
            self.start_over()
        self._keep = False

    def on_leave(self, *args) -> None:
        """Only an article opened from here keeps the list (and the words typed) for coming back."""
        self._keep = self.manager.current == "library_article"

    def start_over(self) -> None:
        """The topic buttons and an empty search box."""
        self.typing = False
        self.ids.query.focus = False
        self.ids.query.text = ""
        self.message = ""
        self._trail.clear()
        self._show_topics()

    def edit(self) -> None:
        """The search box tapped: the keyboard opens, the list makes way until 查找."""
        self.typing = True
        self.message = ""

    # ---- search ------------------------------------------------------------------------------------------

    def find(self) -> None:
        """Search the words typed; the keyboard folds away and the cards replace the list."""
        self.tap("find")
        text = self.ids.query.text.strip()
        self.typing = False
        self.ids.query.focus = False
        if not text:
            self.message = self.app._("library.empty")
            return
        library = self.app.services.library
        counted = []

        def show(found: SearchResult) -> None:
            """The results; the search is counted once (上一步 back to them fetches them again)."""
            if not counted:
                counted.append(found)
                self.app.services.bus.publish(LibrarySearched(len(found.hits)))
            self._show_results(found)

        self._open(View(self.app._("library.results.heading"), lambda: library.search(text, limit=RESULTS), show),
                   root=True)

    def _show_results(self, found: SearchResult) -> None:
        self.message = (self.app._("library.results.count", count=len(found.hits)) if found.hits
                        else self.app._("library.results.none"))
        cards = []
        if found.law is not None:
            cards.append(self._law_card(found.law, TopicLaw(found.law, "", 0, 0)))
        for rank, hit in enumerate(found.hits, start=1):
            cards.append(self._hit_card(hit, rank))
        self._fill(cards)

    def _hit_card(self, hit: Hit, rank: int):
        snippet, marks = hit.snippet()
        card = Factory.LawCard(title=f"{hit.article.law.short}  {hit.article.label}", paragraph=snippet,
                               marks=[list(span) for span in marks], hint=hit.article.chapter)
        card.bind(on_release=lambda _w: self.open_article(hit.article, f"result.{rank}", via="search", rank=rank))
        return card

    # ---- browse: topic → law → chapter → article --------------------------------------------------------

    def _show_topics(self) -> None:
        self.heading = self.app._("library.topics.heading")
        self.can_go_back = False
        buttons = []
        for topic_id, title in self._topics():
            button = Factory.IconButton(text=title, icon=icon_path(topic_id))
            button.bind(on_release=lambda _w, topic_id=topic_id, title=title: self.open_topic(topic_id, title))
            buttons.append(button)
        self._fill(buttons, columns=self.app.theme.list_columns)

    def _topics(self) -> list[tuple[str, str]]:
        """The pack's topics, then the services with laws of their own (法律援助, 人民调解, 公证)."""
        citizen = self.app.services.citizen
        services = [(flow_id, self.app._(f"home.tile.{flow_id}")) for flow_id in ("legal_aid", "mediation",
                                                                                  "notarization")
                    if citizen.has_flow(flow_id)]
        return [*citizen.topics(), *services]

    def open_topic(self, topic_id: str, title: str) -> None:
        self.tap(f"topic.{topic_id}")
        library = self.app.services.library
        self._open(View(title, lambda: library.topic(topic_id), self._show_topic), root=True)

    def _show_topic(self, laws: list[TopicLaw]) -> None:
        self.message = self.app._("library.topic.hint")
        self._fill([self._law_card(entry.law, entry) for entry in laws])

    def _law_card(self, law: Law, entry: TopicLaw):
        title = f"{law.short}  {entry.part}" if entry.part else law.short
        card = Factory.LawCard(title=title, paragraph=self._law_line(law), marks=[], hint="")
        card.bind(on_release=lambda _w: self.open_law(law, entry))
        return card

    def _law_line(self, law: Law) -> str:
        """The law's status and version, and how many articles it has (or that it is an excerpt)."""
        count = self.app._("library.excerpt" if law.excerpt else "library.articles", count=law.articles)
        return f"{law_line(self.app._, law)} · {count}"

    def open_law(self, law: Law, entry: TopicLaw) -> None:
        self.tap("law")
        library = self.app.services.library
        heading = f"{law.short} {entry.part}".strip()
        self._open(View(heading, lambda: library.chapters(law, entry.first, entry.last), self._show_chapters))

    def _show_chapters(self, chapters: list[Chapter]) -> None:
        if len(chapters) == 1:
            self.message = ""
            self.open_chapter(chapters[0], tapped=False)
            return
        self.message = self.app._("library.chapters.hint")
        cards = []
        for chapter in chapters:
            title = " ".join(part for part in (chapter.title, chapter.section) if part)
            span = chapter.first_label if chapter.first_id == chapter.last_id else \
                f"{chapter.first_label}—{chapter.last_label}"
            card = Factory.LawCard(title=title or self.app._("library.chapter.untitled"), paragraph=span,
                                   marks=[], hint="")
            card.bind(on_release=lambda _w, chapter=chapter: self.open_chapter(chapter))
            cards.append(card)
        self._fill(cards)

    def open_chapter(self, chapter: Chapter, *, tapped: bool = True) -> None:
        if tapped:
            self.tap("chapter")
        library = self.app.services.library
        last = min(chapter.last_id, chapter.first_id + CHAPTER_ARTICLES - 1)
        heading = " ".join(part for part in (chapter.title, chapter.section) if part) or self.heading
        view = View(heading, lambda: library.articles(chapter.first_id, last), self._show_articles)
        if tapped:
            self._open(view)
        else:  # a law without chapters: its articles take the law's place in the trail
            self._trail[-1] = view
            self._fetch(view)

    def _show_articles(self, articles: list[Article]) -> None:
        self.message = self.app._("library.articles.hint")
        cards = []
        for article in articles:
            card = Factory.LawCard(title=f"{article.law.short}  {article.label}",
                                   paragraph=_first_sentence(article.text), marks=[], hint="")
            card.bind(on_release=lambda _w, article=article: self.open_article(article, "article", via="browse"))
            cards.append(card)
        self._fill(cards)

    def open_article(self, article: Article, control: str, *, via: str, rank: int = 0) -> None:
        """Show one article on its own page (reached `via` a search, at `rank`, or by browsing)."""
        self.tap(control)
        self.app.screen("library_article").show_article(article, back_to="library", via=via, rank=rank)
        self.app.show("library_article")

    # ---- the trail ---------------------------------------------------------------------------------------

    def back(self) -> None:
        """上一步: the level before this one (the topics at the top)."""
        self.tap("back")
        self._trail.pop()
        if self._trail:
            self._fetch(self._trail[-1])
        else:
            self.message = ""
            self._show_topics()

    def _open(self, view: View, *, root: bool = False) -> None:
        if root:
            self._trail.clear()
        self._trail.append(view)
        self._fetch(view)

    def _fetch(self, view: View) -> None:
        """Ask the library off the UI thread; show the answer if it is still the latest question."""
        self._asked += 1
        asked = self._asked
        self.busy = True
        self.heading = view.heading
        self.can_go_back = True

        def done(result: Any, error: BaseException | None) -> None:
            if asked != self._asked:
                return
            self.busy = False
            if error is not None:
                self.message = self.app._("library.unavailable")
                self._fill([])
                return
            view.show(result)

        run_off_ui(view.fetch, done)

    def _fill(self, widgets: list, *, columns: int = 1) -> None:
        box = self.ids.results
        box.cols = columns
        box.clear_widgets()
        for widget in widgets:
            box.add_widget(widget)
        box.settle()
        self.ids.scroll.scroll_y = 1


def _first_sentence(text: str, limit: int = 40) -> str:
    """The article's opening words for a list (the whole article is one tap away)."""
    first = text.split("\n")[0]
    return first if len(first) <= limit else first[:limit] + "…"
