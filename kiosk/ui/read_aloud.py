"""What each citizen screen and overlay reads aloud, in the order a citizen sees it.

Why one module: the pieces are the same texts the screens show (catalogue entries and the content's own words),
so a fixed text plays its pre-rendered clip and only a citizen's own values (a deadline's date) are synthesised.
A screen missing here is silent; the opinion reads its summary (what to do, where, by when, what to bring),
never the statutes.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.legal.engine import InterviewState
from kiosk.ui.opinion_text import opinion_summary


def _consult(app) -> list[str]:
    """The question, its help and every answer button, or the review page's title and hint."""
    interview = app.services.citizen.interview
    if interview is None:
        return []
    if interview.state is not InterviewState.ASKING:
        return [app._("consult.review.title"), app._("consult.review.hint")]
    page = interview.page
    return [page.text, page.help, *(o.label for o in page.options), *(app._(key) for _a, key in page.answer_keys())]


def _opinion(app) -> list[str]:
    doc = app.services.citizen.opinion
    return opinion_summary(doc, app._) if doc is not None else []


def _home(app) -> list[str]:
    from kiosk.ui.screens.home import TILES

    return [app._("home.title"), *(app._(spec.text_key) for spec in TILES)]


def _hotline(app) -> list[str]:
    handoff = app.services.config.handoff
    return [app._("hotline.title"), app._("hotline.staff_heading"), handoff.staff_location,
            app._("hotline.staff_hours", hours=handoff.staff_hours), app._("hotline.body")]


def _article(app) -> list[str]:
    """The law's name and the article's number, then its text paragraph by paragraph."""
    article = app.screen("library_article").article
    if article is None:
        return []
    return [f"{article.law.name}{article.label}", *article.text.split("\n")]


def _pufa(app) -> list[str]:
    """The card's title and the page on show, or the list's title."""
    screen = app.screen("pufa")
    if screen.card is None:
        return [app._("pufa.title"), app._("pufa.hint")]
    page = screen.card.pages[screen.page]
    return [screen.card.title, page.heading, page.text]


def _keys(*keys: str) -> Callable:
    """A screen that reads catalogue texts only."""
    return lambda app: [app._(key) for key in keys]


SCREENS: dict[str, Callable] = {
    "home": _home,
    "topics": _keys("topics.title", "topics.hint"),
    "smart_consult": _keys("smart.title", "smart.hint"),
    "consent": _keys("consent.title", "consent.body"),
    "consult": _consult,
    "opinion": _opinion,
    "rating": _keys("rating.title", "rating.hint"),
    "hotline": _hotline,
    "legal_aid_apply": _keys("apply.title"),
    "library": _keys("library.title", "library.input_hint"),
    "library_article": _article,
    "pufa": _pufa,
}
"""Screen name → what it reads (the attract screen and the maintenance menu read nothing)."""


def screen_pieces(app, name: str) -> list[str]:
    """The texts screen `name` reads aloud now (what it shows comes from the session, so no screen is asked)."""
    pieces = SCREENS.get(name)
    return pieces(app) if pieces is not None else []


def overlay_pieces(app) -> list[str]:
    """The texts of the overlay on top, if one is open (it is what the citizen sees first)."""
    if app.danger_steps:
        return [app._("danger.title"), app._("danger.number"), *app.danger_steps, app._("danger.leave_hint")]
    if app.elderly_offer_open:
        return [app._("elderly.offer.title"), app._("elderly.offer.body")]
    if app.countdown_seconds > 0:
        return [app._("countdown.title"), app._("countdown.body")]
    return []
