"""Chinese text in the printer's own font: which characters it can print, and their bytes.

Why: python-escpos 3.1's magic encoder sends GB18030 only if a string holds a Hanzi, emits `ESC t` code-page
switches a printer in Chinese mode reads as GBK lead bytes, and prints `?` for what it cannot encode. Here
text is encoded once, in the profile's code page, and only characters the printer's GBK font can draw
(printable ASCII or a two-byte code) count as printable; everything else is drawn as an image by the caller.
"""

from __future__ import annotations

from itertools import groupby

CODECS = {"gbk": "gbk", "gb18030": "gb18030"}


def printable(ch: str, codepage: str) -> bool:
    """Whether `ch` prints from the printer font: printable ASCII, or a two-byte GBK-range code."""
    try:
        encoded = ch.encode(CODECS[codepage])
    except UnicodeEncodeError:
        return False
    if len(encoded) == 1:
        return 0x20 <= encoded[0] < 0x7F
    return len(encoded) == 2 and 0x81 <= encoded[0] <= 0xFE and encoded[1] >= 0x40


def encode(text: str, codepage: str) -> bytes:
    """Encode `text` for the printer; raises ValueError naming the first character it cannot print."""
    for ch in text:
        if not printable(ch, codepage):
            raise ValueError(f"U+{ord(ch):04X} is not printable in {codepage}")
    return text.encode(CODECS[codepage])


def runs(text: str, codepage: str) -> list[tuple[str, bool]]:
    """Split `text` into maximal runs of (characters, printable-from-font)."""
    return [("".join(group), ok) for ok, group in groupby(text, key=lambda ch: printable(ch, codepage))]
