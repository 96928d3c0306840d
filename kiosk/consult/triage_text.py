"""Normalises a citizen's free text before triage, so spelling variants meet the same features.

Why: questions arrive typed on a pinyin keyboard, pasted in traditional characters, full-width, anonymised with
"XX"/"某某", without punctuation, or cut off. The model only sees simplified, lower-case CJK/Latin/digit runs.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "triage"
"""Where the triage sources (YAML), the character map and the built model live."""

T2S_PATH = CONTENT_DIR / "t2s.json"
"""Traditional→simplified character map (built by `python -m kiosk_build.triage_charmap`)."""

ANON_MARK = "某"
"""What every anonymisation token ("XX", "某某", "***", "×××") collapses to, so it carries no spurious signal."""

DIGIT_MARK = "0"
"""Every run of digits collapses to one mark: amounts and dates vary, their presence matters."""

_ANON_CHARS = frozenset("xX×＊*○〇某")


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
    return "".join(out)


def _close_anon_run(run: str, before: list[str], after: str) -> str:
    """Decide what a run of anonymisation-like characters stands for."""
    if len(run) == 1 and run in "xX" and not ((before and _is_cjk(before[-1])) or _is_cjk(after)):
        return "x"
    return ANON_MARK
