"""Normalises a citizen's free text before triage, so spelling variants meet the same features.

Why: questions arrive typed on a pinyin keyboard, pasted in traditional characters, full-width, anonymised with
"XX"/"某某", without punctuation, with numbers written in figures or in words, in a dialect's words, or cut off.
The model only sees simplified, lower-case CJK/Latin runs with every number as one mark, dialect words rewritten.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "triage"
"""Where the triage sources (YAML), the character map and the built model live."""

T2S_PATH = CONTENT_DIR / "t2s.json"
"""Traditional→simplified character map (built by `python -m kiosk_build.triage.charmap`)."""

ANON_MARK = "某"
"""What every anonymisation token ("XX", "某某", "***", "×××") collapses to, so it carries no spurious signal."""

DIGIT_MARK = "0"
"""Every run of digits collapses to one mark: amounts and dates vary, their presence matters."""

_ANON_CHARS = frozenset("xX×＊*○〇某")

_NUMBER_WORD = re.compile(r"[零一二两三四五六七八九十几][零一二两三四五六七八九十百千万亿几]*[十百千万亿][零一二两三四五六七八九几]*"
                          r"|[零一二两三四五六七八九十几]+(?=[0块元岁年个月天日号级次斤亩平米倍周人])"
                          r"|0[万千百亿]+")
"""A number in words (三万, 十级, 两个, 好几千) or a figure with a unit word (3万): it becomes one DIGIT_MARK too.
A numeral alone before a non-measure word (一直, 十分, 二手) is a word, not a number, and stays."""


def load_t2s(path: Path = T2S_PATH) -> dict[str, str]:
    """Read the shipped character map (one-to-one, traditional → simplified)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def normalise(text: str, t2s: dict[str, str]) -> str:
    """Map `text` to the model's alphabet: simplified CJK, lower-case latin, collapsed digits and anonymisations.

    Punctuation and spaces become nothing; a run of anonymisation characters of length ≥ 2 (or a lone latin X
    between CJK characters) becomes one `ANON_MARK`.
    """
    folded = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    run = ""
    for ch in folded:
        if ch in _ANON_CHARS:
            run += ch
            continue
        if run:
            out.append(_close_anon_run(run, out, ch))
            run = ""
        ch = t2s.get(ch, ch)
        if _is_cjk(ch):
            out.append(ch)
        elif ch.isdigit():
            if not out or out[-1] != DIGIT_MARK:
                out.append(DIGIT_MARK)
        elif ch.isascii() and ch.isalpha():
            out.append(ch.lower())
    if run:
        out.append(_close_anon_run(run, out, ""))
    return _NUMBER_WORD.sub(DIGIT_MARK, "".join(out))


class Rewriter:
    """Rewrites dialect words and frequent pinyin-keyboard slips (俺→我, 咋→怎么, 离昏→离婚) in normalised text.

    Why: 俺 and 我 should be the same feature; the table is content (`rewrites` in topics.yaml), applied longest
    word first, in one pass so that a rewritten word is never rewritten again.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self._table = table
        words = sorted(table, key=lambda w: (-len(w), w))
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None

    def __call__(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._table[m.group(0)], text)


def _close_anon_run(run: str, before: list[str], after: str) -> str:
    """Decide what a run of anonymisation-like characters stands for."""
    if len(run) == 1 and run in "xX" and not ((before and _is_cjk(before[-1])) or _is_cjk(after)):
        return "x"
    return ANON_MARK
