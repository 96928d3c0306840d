"""The law library's relevance set, read one way by its test and by its benchmark."""

from __future__ import annotations

from pathlib import Path

QUERIES = Path(__file__).resolve().parent / "data" / "law_search_queries.tsv"
FRESH = "# fresh:"
"""The line of the relevance set after which the said queries were written before the search was measured on them."""


def relevance_set() -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, query, expected 'short:article') rows of tests/data/law_search_queries.tsv; the said queries below its
    `# fresh:` line are of kind said_fresh."""
    rows, fresh = [], False
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        fresh = fresh or line.startswith(FRESH)
        if line and not line.startswith("#") and not line.startswith("kind\t"):
            kind, query, expected = line.split("\t")
            rows.append((f"{kind}_fresh" if fresh and kind == "said" else kind, query, tuple(expected.split())))
    return rows
