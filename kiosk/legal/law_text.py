"""How law texts and a citizen's query are cut into search terms: the one tokenizer the build and the search share.

Why: Chinese has no spaces, and a villager types two-character words (欠薪, 离婚, 工伤) that a trigram index cannot
find and that a word segmenter splits differently from the statute's wording. Overlapping character bigrams (the
CJK analyser of Lucene and Elasticsearch) need no dictionary on the kiosk and find every two-character word;
BM25 over them ranks the articles that share most of the query's pairs first (tests/bench/law_search.py measures
this against FTS5's trigram tokenizer and a jieba segmentation). The index stores the bigrams as space-separated
words, so SQLite's plain `unicode61` tokenizer reads them; the same functions cut the query.
"""

from __future__ import annotations

import re
import unicodedata

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9a-z]+")
"""A run of CJK characters, or of ASCII letters and digits (after NFKC folding and lower-casing)."""


def fold(text: str) -> str:
    """Full-width to half-width, lower case: 'ＡＢ１２' → 'ab12' (NFKC), so typed variants meet the index."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[str]:
    """The CJK and ASCII runs of `text` (punctuation and spaces split them)."""
    return _RUN.findall(fold(text))


def is_cjk(run: str) -> bool:
    """Whether `run` (from `runs`) is CJK rather than ASCII."""
    return not run[0].isascii()


def bigrams(run: str) -> list[str]:
    """The overlapping character pairs of a CJK run ('拖欠工资' → 拖欠 欠工 工资); a lone character stays itself."""
    if len(run) < 2:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_terms(text: str) -> str:
    """`text` as the index stores it: every CJK run cut into bigrams, ASCII runs whole, joined by spaces."""
    out: list[str] = []
    for run in runs(text):
        out.extend(bigrams(run) if is_cjk(run) else [run])
    return " ".join(out)
