"""What the bureau counts of the law library and 普法: events that know their own usage record.

Why: the bureau's report shows how the library and the 普法 cards are used — searches, articles opened and
printed, cards read — and telemetry must carry nothing a citizen typed. Each event names only what the content
names: how many results a search showed, a law by its key, an article by its number, how the article was
reached (and a search result's rank), a card by its id and topic. kiosk.services.telemetry records `usage()`
with the session's id; kiosk.fleet.catalogue refuses anything else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from kiosk.core.events import Event

LAW_KEY_PREFIX = "law-"
LAW_KEY_HEX = 10
"""Hex digits of a law key: 40 bits, no collision among a few hundred laws."""
VIAS = ("search", "browse", "opinion", "step")
"""How an article was reached: a search result, the topic → law → chapter lists, an opinion's citation, or
上一条/下一条 from another article."""


def law_key(name: str) -> str:
    """A law as telemetry names it: `law-` and the first hex digits of the SHA-256 of its full name, the same in
    every build of every pack, so the console names it from any pack's library (kiosk.fleet.console.report)."""
    return LAW_KEY_PREFIX + hashlib.sha256(name.encode("utf-8")).hexdigest()[:LAW_KEY_HEX]


@dataclass(frozen=True, slots=True)
class LibrarySearched(Event):
    """A search's results shown: how many (never the words)."""

    found: int

    def usage(self) -> tuple[str, dict[str, Any]]:
        return "library.search", {"found": self.found}


@dataclass(frozen=True, slots=True)
class LibraryArticleOpened(Event):
    """An article shown on its page: its law's key, its number, how it was reached (VIAS) and, from a search, the
    result's rank (0 otherwise)."""

    law: str
    article: int
    via: str
    rank: int = 0

    def usage(self) -> tuple[str, dict[str, Any]]:
        fields: dict[str, Any] = {"law": self.law, "article": self.article, "via": self.via}
        if self.rank:
            fields["rank"] = self.rank
        return "library.article", fields


@dataclass(frozen=True, slots=True)
class LibraryArticlePrinted(Event):
    """打印这一条 came out (`ok`) or failed."""

    law: str
    article: int
    ok: bool

    def usage(self) -> tuple[str, dict[str, Any]]:
        return "library.printed", {"law": self.law, "article": self.article, "ok": self.ok}


@dataclass(frozen=True, slots=True)
class PufaCardRead(Event):
    """A 普法 card opened under 普法学习: its id and topic (content ids)."""

    card: str
    topic: str

    def usage(self) -> tuple[str, dict[str, Any]]:
        return "pufa.read", {"card": self.card, "topic": self.topic}
