"""普法 cards: short plain-language lessons per topic, shown while nobody is consulting and under 普法学习.

Why content: what the law says, what people get wrong and what to do first are legal statements printed under the
bureau's name, so they are reviewed like flows: `kiosk content lint` checks every card (its topic is a flow of the
pack, one to three pages, each page's cited articles are in the pack's law library, which holds only law in
force, and the plain-language rules of the flows), and the kiosk only reads them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.legal.law_library import LawLibrary

CARDS_FILE = "pufa.yaml"
MAX_PAGES = 3
CARDS_PER_TOPIC = 3
"""What the issue asks for each topic; a pack with fewer (a region's own topic, say) is warned, not refused."""
_CITE = re.compile(r"^(?P<law>[^:：]+)[:：](?P<article>\d+)$")


@dataclass(frozen=True, slots=True)
class PufaPage:
    """One screen of a card: a heading (法律怎么说 / 常见误区 / 先做什么), its text and the articles it cites."""

    heading: str
    text: str
    cites: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PufaCard:
    """A card of one topic: its stable id (telemetry counts it), title and pages."""

    id: str
    topic: str
    title: str
    pages: tuple[PufaPage, ...]
    where: str


def load_cards(root: Path) -> list[PufaCard]:
    """The pack's cards in file order (none when the pack has no pufa.yaml); malformed ones are left out (lint
    names them)."""
    return [card for card, problems in _read(root) if not problems]


def card_problems(root: Path, library: LawLibrary, flows: set[str]) -> tuple[list[str], list[str]]:
    """(errors, warnings) of the pack's cards: structure, topics, citations; too few cards for a topic."""
    errors: list[str] = []
    seen: set[str] = set()
    per_topic: dict[str, int] = {}
    for card, problems in _read(root):
        errors.extend(problems)
        if card.id in seen:
            errors.append(f"{card.where}: card id {card.id} used twice")
        seen.add(card.id)
        if card.topic not in flows:
            errors.append(f"{card.where}: topic {card.topic} is not a flow of the pack")
        per_topic[card.topic] = per_topic.get(card.topic, 0) + 1
        for page in card.pages:
            for law_name, number in page.cites:
                law = library.find_law(law_name)
                if law is None or library.article(law, number) is None:
                    errors.append(f"{card.where}: {law_name} Art. {number} is not in the law library in force")
    warnings = [f"{CARDS_FILE}: {topic} has {per_topic.get(topic, 0)} 普法 cards (aim for {CARDS_PER_TOPIC})"
                for topic in sorted(flows) if per_topic.get(topic, 0) < CARDS_PER_TOPIC and topic in per_topic]
    return errors, warnings


def in_turns(cards: list[PufaCard]) -> list[PufaCard]:
    """The cards a topic at a time: the first card of each topic, then the second of each, and so on (topics in
    the order they first appear), so the attract screen never shows one topic twice running while others wait."""
    by_topic: dict[str, list[PufaCard]] = {}
    for card in cards:
        by_topic.setdefault(card.topic, []).append(card)
    rounds = max((len(group) for group in by_topic.values()), default=0)
    return [group[turn] for turn in range(rounds) for group in by_topic.values() if turn < len(group)]


def card_texts(root: Path) -> Iterator[tuple[str, str]]:
    """Every citizen-facing text of the cards with its location (for the plain-language checks)."""
    for card in load_cards(root):
        yield card.title, card.where
        for page in card.pages:
            yield page.text, card.where


def _read(root: Path) -> list[tuple[PufaCard, list[str]]]:
    from kiosk.legal.yamlmarks import line_of, load_marked  # noqa: PLC0415 - keeps YAML out of start-up

    path = root / CARDS_FILE
    if not path.exists():
        return []
    data = load_marked(path) or {}
    out = []
    for entry in data.get("cards") or []:
        where = f"{root.name}/{CARDS_FILE}:{line_of(entry)}"
        problems: list[str] = []
        pages = []
        for page in entry.get("pages") or []:
            cites = []
            for cite in page.get("cites") or []:
                match = _CITE.match(str(cite))
                if match is None:
                    problems.append(f"{where}: citation {cite!r} is not 简称:条")
                else:
                    cites.append((match["law"], int(match["article"])))
            if not str(page.get("heading", "")).strip() or not str(page.get("text", "")).strip():
                problems.append(f"{where}: a page needs a heading and a text")
            if not cites:
                problems.append(f"{where}: page {page.get('heading', '')!r} cites no article")
            pages.append(PufaPage(str(page.get("heading", "")).strip(), str(page.get("text", "")).strip(),
                                  tuple(cites)))
        if not 1 <= len(pages) <= MAX_PAGES:
            problems.append(f"{where}: a card has one to {MAX_PAGES} pages, not {len(pages)}")
        if not all(str(entry.get(key, "")).strip() for key in ("id", "topic", "title")):
            problems.append(f"{where}: a card needs an id, a topic and a title")
        card = PufaCard(str(entry.get("id", "")), str(entry.get("topic", "")), str(entry.get("title", "")).strip(),
                        tuple(pages), where)
        out.append((card, problems))
    return out


class PufaDeck:
    """The cards of the pack in force, read once per pack (YAML: off the UI thread), for the attract screen and
    普法学习."""

    def __init__(self, pack_root: Callable[[], Path]) -> None:
        self._pack_root = pack_root
        self._lock = threading.Lock()
        self._read: tuple[Path, list[PufaCard]] | None = None

    def cards(self) -> list[PufaCard]:
        """Every well-formed card, in the pack's order."""
        root = self._pack_root()
        with self._lock:
            if self._read is None or self._read[0] != root:
                self._read = (root, load_cards(root))
            return list(self._read[1])
