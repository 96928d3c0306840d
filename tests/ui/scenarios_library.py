"""Scenarios of the law library (法律法规查询, issue 18): typing a search on the pinyin keyboard, the cards it finds,
an article and its neighbours, browsing topic → law → chapter → article, and a new visit starting clean."""

from __future__ import annotations

from tests.ui.harness import Driver, find_buttons, find_buttons_by_title
from tests.ui.scenarios_bugs import keyboard_of


async def start_session(d: Driver) -> None:
    """Attract → a touch → home, with the content pack loaded (the library needs nothing else)."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.citizen.topics(), "home and content ready")


def counted(d: Driver) -> list:
    """The library's and 普法's usage records as the telemetry recorder would take them, in order."""
    from kiosk.legal.library_usage import LibraryArticleOpened, LibraryArticlePrinted, LibrarySearched, PufaCardRead

    seen: list = []
    for event_class in (LibrarySearched, LibraryArticleOpened, LibraryArticlePrinted, PufaCardRead):
        d.kiosk.bus.subscribe(event_class, lambda event: seen.append(list(event.usage())))
    return seen


def cards(screen) -> list:
    """The cards of the library screen, top to bottom."""
    return list(reversed(screen.ids.results.children))


async def open_library(d: Driver):
    """Home → the 法律法规查询 tile; returns the screen, its topic buttons shown."""
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.library"))[0])
    await d.until(lambda: d.on_screen("library"), "law library")
    screen = d.app.screen("library")
    await d.until(lambda: cards(screen), "topic buttons")
    return screen


async def type_words(d: Driver, screen, words: list[tuple[str, str]]) -> None:
    """Tap the search box, then spell each (pinyin, word) and pick the word from the candidates."""
    from kiosk.ui.ime.keyboard import ImeKey

    await d.tap_widget(screen.ids.query)
    await d.until(lambda: screen.typing, "keyboard open")
    keyboard = keyboard_of(screen)
    await d.until(lambda: keyboard.composition.dictionary is not None, "dictionary loaded")
    keys = {w.text: w for w in keyboard.walk() if isinstance(w, ImeKey)}
    for letters, word in words:
        for letter in letters:
            await d.tap_widget(keys[letter])
        await d.until(lambda: find_buttons(keyboard.ids.candidates, word), f"candidate {word}")
        await d.tap_widget(find_buttons(keyboard.ids.candidates, word)[0])


async def scenario_library_search(d: Driver) -> None:
    """拖欠工资 typed on the keyboard → 查找 → cards with the words marked → the first article, 下一条, 返回列表 (the
    cards are still there) → 上一步 → the topics; a new session finds the box empty."""
    await start_session(d)
    d.report["usage"] = counted(d)
    await d.shot("home")
    screen = await open_library(d)
    d.report["topics"] = [c.text for c in cards(screen)]
    await d.shot("topics")
    await type_words(d, screen, [("tuoqian", "拖欠"), ("gongzi", "工资")])
    d.report["typed"] = screen.ids.query.text
    await d.shot("typing")
    await d.tap_widget(find_buttons(screen, d.app._("library.find"))[0])
    await d.until(lambda: not screen.busy and cards(screen) and hasattr(cards(screen)[0], "paragraph"),
                  "result cards")
    found = cards(screen)
    d.report["results"] = [c.title for c in found]
    d.report["first_marked"] = [found[0].paragraph[a:b] for a, b in found[0].marks]
    d.report["first_markup"] = next(w.text for w in found[0].walk() if type(w).__name__ == "MarkedLabel")
    d.report["message"] = screen.message
    await d.shot("results")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(found[0])
    await d.until(lambda: d.on_screen("library_article"), "article page")
    article = d.app.screen("library_article")
    d.report["article"] = [article.article.law.short, article.article.label, article.law_line]
    d.report["paragraphs"] = [w.paragraph for w in reversed(article.ids.paragraphs.children)]
    await d.shot("article")
    await d.tap_widget(find_buttons(article, d.app._("library.next"))[0])
    number = d.report["article"][1]
    await d.until(lambda: article.article.label != number, "the next article")
    d.report["next"] = [article.article.law.short, article.article.label]
    await d.tap_widget(find_buttons(article, d.app._("library.back_to_list"))[0])
    await d.until(lambda: d.on_screen("library"), "back to the list")
    d.report["kept"] = [[c.title for c in cards(screen)] == d.report["results"], screen.ids.query.text]
    await d.tap_widget(find_buttons(screen, d.app._("common.back"))[0])
    await d.until(lambda: not screen.busy and len(cards(screen)) > 10, "topics again")
    d.report["back_to"] = screen.heading
    from kiosk.services.session import EndReason

    d.app.services.session.end(EndReason.FINISHED)
    await d.until(lambda: d.on_screen("attract"), "attract after the session")
    await start_session(d)
    screen = await open_library(d)
    d.report["new_visit"] = [screen.ids.query.text, screen.heading, len(cards(screen))]


async def scenario_library_browse(d: Driver) -> None:
    """继承 → 民法典 第六编 继承 → its chapters → 第三章 遗嘱继承和遗赠 → 第一千一百三十四条 (自书遗嘱); then 劳动争议与欠薪 →
    劳动合同法 → a chapter → an article; 上一步 walks back the trail; 保障农民工工资支付条例 opens whole, by chapter."""
    await start_session(d)
    screen = await open_library(d)
    inheritance = next(c for c in cards(screen) if c.text == "继承")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(inheritance)
    await d.until(lambda: not screen.busy and cards(screen) and hasattr(cards(screen)[0], "title"), "laws of 继承")
    d.report["inheritance_laws"] = [c.title for c in cards(screen)]
    await d.input_ready(screen.ids.results)
    await d.tap_widget(cards(screen)[0])
    await d.until(lambda: not screen.busy and len(cards(screen)) > 1, "chapters of 继承编")
    d.report["chapters"] = [[c.title, c.paragraph] for c in cards(screen)]
    await d.shot("chapters")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(next(c for c in cards(screen) if "遗嘱继承" in c.title))
    await d.until(lambda: not screen.busy and cards(screen) and cards(screen)[0].title.endswith("条"), "articles")
    d.report["articles"] = [c.title for c in cards(screen)]
    await d.shot("articles")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(next(c for c in cards(screen) if c.title.endswith("第一千一百三十四条")))
    await d.until(lambda: d.on_screen("library_article"), "article page")
    article = d.app.screen("library_article")
    d.report["article"] = [article.article.label, article.article.text, article.law_line,
                           article.article.chapter]
    await d.shot("article")
    await d.tap_widget(find_buttons(article, d.app._("library.back_to_list"))[0])
    await d.until(lambda: d.on_screen("library"), "back to the articles")
    trail = [screen.heading]
    for _ in range(3):
        await d.tap_widget(find_buttons(screen, d.app._("common.back"))[0])
        await d.until(lambda: not screen.busy, "the level before")
        trail.append(screen.heading)
    d.report["trail"] = trail
    labor = next(c for c in cards(screen) if c.text == "劳动争议与欠薪")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(labor)
    await d.until(lambda: not screen.busy and cards(screen) and hasattr(cards(screen)[0], "title"), "laws of 劳动")
    d.report["labor_laws"] = [c.title for c in cards(screen)]
    await d.shot("labor_laws")
    await d.input_ready(screen.ids.results)
    await d.tap_widget(next(c for c in cards(screen) if c.title == "保障农民工工资支付条例"))
    await d.until(lambda: not screen.busy and len(cards(screen)) > 1, "chapters of the wage regulation")
    d.report["wage_chapters"] = [[c.title, c.paragraph] for c in cards(screen)]
    await d.shot("wage_chapters")


SCENARIOS = {"library_search": scenario_library_search, "library_browse": scenario_library_browse}


async def scenario_pufa(d: Driver) -> None:
    """The attract screen shows a 普法 card and turns to the next by itself; a touch starts the session as always;
    普法学习 on the home screen lists every card, a card's pages turn, and 我遇到了这种事 leads into the topic's
    consultation."""
    from kivy.core.window import Window

    await d.until(lambda: d.on_screen("attract"), "attract screen")
    attract = d.app.screen("attract")
    await d.until(lambda: attract.card is not None, "a 普法 card on the attract screen")
    first = attract.card
    await d.shot("attract")
    await d.until(lambda: attract.card is not first, "the next card, turned by itself", timeout_s=30)
    d.report["turned"] = [first.id, attract.card.id]
    d.report["turned_topics"] = [first.topic, attract.card.topic]
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home") and d.kiosk.citizen.topics(), "home")
    d.report["usage"] = counted(d)
    await d.tap_widget(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.pufa"))[0])
    pufa = d.app.screen("pufa")
    await d.until(lambda: d.on_screen("pufa") and pufa.listed and pufa.ids.cards.children, "the list of cards")
    d.report["listed"] = [b.text for b in reversed(pufa.ids.cards.children)]
    await d.frames(2)
    d.report["list_hint"] = pufa.ids.cards_hint.text if pufa.ids.cards_hint.overflows else None
    await d.shot("list")
    await d.tap_widget(find_buttons(pufa.ids.cards, "上下班路上出了车祸，算工伤吗？")[0])
    await d.until(lambda: pufa.card is not None, "a card opened")
    shown = pufa.card
    await d.frames(2)
    d.report["opened"] = [shown.title, pufa.page, d.kiosk.session.in_use]
    d.report["page_hint_shown"] = pufa.ids.page_hint.overflows   # a short page in the normal look fits
    d.report["list_hint_while_open"] = pufa.ids.cards_hint.overflows
    await d.shot("card_page1")
    pages = [pufa.card.pages[0].heading]
    for _ in range(len(pufa.card.pages) - 1):
        await d.tap_widget(find_buttons(pufa, d.app._("pufa.next"))[0])
        pages.append(pufa.card.pages[pufa.page].heading)
    d.report["pages"] = pages
    await d.shot("card_last")
    await d.tap_widget(find_buttons(pufa, d.app._("pufa.happened_to_me"))[0])
    await d.until(lambda: d.app.current_screen in ("consent", "consult"), "into the consultation")
    d.report["consultation"] = [d.app.current_screen,
                                d.app.screen("consent").pending_flow if d.app.current_screen == "consent"
                                else d.kiosk.citizen.interview.flow.id, shown.topic]


async def scenario_library_cited(d: Driver) -> None:
    """An opinion's statutes unfolded → its first citation tapped → that article in the library → 打印这一条 on the
    simulated printer → 扫码看原文 → 回到法律意见书, the statutes unfolded again."""
    from kivy.core.window import Window

    await start_session(d)
    d.report["usage"] = counted(d)
    opinion = await d.open_example_opinion("labor")
    await d.until(lambda: opinion.laid_out, "opinion laid out")
    opinion.ids.scroll.scroll_to(opinion.ids.law_toggle, animate=False)   # the reader scrolled down to the button
    await d.frames(3)
    await d.tap_widget(opinion.ids.law_toggle)
    await d.until(lambda: opinion.law_open and opinion.laid_out, "statutes unfolded")
    citation = next(w for w in reversed(opinion.ids.law.children) if type(w).__name__ == "OpinionCitation")
    d.report["citation"] = citation.paragraph
    await d.shot("opinion_law")
    await d.tap_widget(citation)
    article = d.app.screen("library_article")
    await d.until(lambda: d.on_screen("library_article") and article.link is not None and article.qr, "cited article")
    d.report["article"] = [article.article.law.name, article.article.number, article.back_to]
    d.report["link"] = [article.link.url, article.link.names_article]
    await d.shot("article")
    await d.until(lambda: d.kiosk.printing is not None and d.kiosk.printing.state.value == "online", "printer online")
    await d.tap_widget(find_buttons(article, d.app._("library.print"))[0])
    await d.until(lambda: article.message == d.app._("printing.done"), "article printed", timeout_s=60)
    printout = d.kiosk.devices.printer.simulator.printout
    await d.until(lambda: printout.count("cut"), "the paper cut (the simulator prints at the mechanism's speed)")
    d.report["printed_lines"] = printout.lines
    d.report["printed_qr"] = [value.decode() for kind, value in printout.items if kind == "qr"]
    d.report["printed_cut"] = printout.count("cut")
    d.report["session_in_use"] = d.kiosk.session.in_use
    await d.shot("printed")
    await d.tap_widget(find_buttons(article, d.app._("library.qr"))[0])
    await d.until(lambda: article.qr_shown, "QR code shown")
    await d.shot("qr")
    await d.tap(Window.width / 2, Window.height * 0.2)   # outside the card: the overlay keeps the touch
    d.report["qr_still_shown"] = article.qr_shown
    await d.tap_widget(find_buttons(article, d.app._("common.ok"))[0])
    await d.tap_widget(find_buttons(article, d.app._("library.back_to_opinion"))[0])
    await d.until(lambda: d.on_screen("opinion") and opinion.law_open and opinion.laid_out, "back to the statutes")
    await d.frames(3)
    scroll, toggle = opinion.ids.scroll, opinion.ids.law_toggle
    d.report["back"] = [opinion.law_open, len(opinion.ids.law.children),
                        round(scroll.to_window(0, scroll.top)[1] - toggle.to_window(0, toggle.top)[1], 1)]
    await d.shot("back")


SCENARIOS["pufa"] = scenario_pufa
SCENARIOS["library_cited"] = scenario_library_cited
