"""Breaking a Chinese paragraph into lines by the rules of Chinese typesetting, for any width and any font.

Why: Kivy wraps CJK text at whatever character reaches the edge, so a line can begin with ，or 。 or end with
（ — ugly, and it makes slow readers stumble. This module decides the lines (pure: a measuring callable stands
for the font), and the screen only draws them. Rules: no line starts with closing punctuation (it hangs at the
end of the line before), no line ends with opening punctuation (it moves down to the next), a run of Latin
letters or digits (2027, 12348, ID) is never split, nor a number from its unit (30天, 500元) or a date
(2026年11月22日), a space at a break is dropped, and a paragraph does not end
in a line of a single character (with its closing marks).
"""

from __future__ import annotations

from collections.abc import Callable

NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕］｝”’…—～·%,.;:?!)]}")
"""Closing punctuation: never the first character of a line."""
NO_LINE_END = frozenset("（《「『【〈〔［｛“‘([{")
"""Opening punctuation: never the last character of a line."""
Measure = Callable[[str], float]
"""Width of a piece of text in the font it is drawn with (any unit, the same as the width given)."""


UNITS = frozenset("年月日号时点分秒天周岁元角个条项次倍")
"""Units that stay on the line of the number before them (a reader takes 30 and 天 as one word)."""
DATE_LINKS = frozenset("年月")
"""A number with one of these continues into the next number: a date stays whole."""


def units(text: str) -> list[str]:
    """The pieces a line may break between: a run of ASCII letters and digits (with the . , : / - inside
    numbers and links) is one piece, and so are a number and its unit and a whole date; every other character
    is a piece of its own."""
    out: list[str] = []
    for ch in text:
        if out and (_joins(ch) and (_joins(out[-1][-1]) or _date_goes_on(out[-1]))
                    or ch in UNITS and out[-1][-1].isdigit()):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _date_goes_on(piece: str) -> bool:
    """A piece like 2026年 or 2026年11月, which the day's or month's number continues."""
    return len(piece) > 1 and piece[-1] in DATE_LINKS and piece[-2].isdigit()


def _joins(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "./:-_@#%&=?")


def break_lines(text: str, width: float, measure: Measure, *, hang: float = 0.0) -> list[str]:
    """`text` as lines no wider than `width`; hard line breaks are kept (a statute's numbered items).

    A closing mark that would begin a line stays at the end of the line before, sticking out at most `hang`
    beyond `width`. Otherwise a line breaks at its last legal point: pieces after it (the character before a
    closing mark, an opening mark) move down together. Where a line has no legal point at all (a link wider
    than the line), it is left to stick out: breaking it would be worse. Widths add up piece by piece (true
    for CJK fonts, which have no kerning), so `measure` is called once per piece.
    """
    return [line for part in text.split("\n") for line in _break_part(part, width, measure, hang)]


def _break_part(text: str, width: float, measure: Measure, hang: float) -> list[str]:
    lines: list[list[tuple[str, float]]] = [[]]
    used = 0.0
    for piece in units(text):
        size = measure(piece)
        line = lines[-1]
        room = width + (hang if piece[0] in NO_LINE_START else 0.0)
        at = None if used + size <= room or not line else _last_break(line, piece)
        if at is None:
            line.append((piece, size))
            used += size
            continue
        lines[-1], carried = line[:at], line[at:]
        lines.append(carried + [(piece, size)])
        used = sum(s for _, s in lines[-1])
    _no_lone_last_character(lines, width)
    return [text for text in ("".join(p for p, _ in line).strip(" ") for line in lines) if text]


def _no_lone_last_character(lines: list[list[tuple[str, float]]], width: float) -> None:
    """A paragraph ending in a line of one character (and its closing marks, 偿。) looks as if something
    dropped off: the character before moves down too (with what a legal break takes along), when the line
    before keeps two or more pieces and the last line still fits."""
    last = lines[-1]
    if len(lines) < 2 or len(last[0][0]) != 1 or any(p[0] not in NO_LINE_START for p, _ in last[1:]):
        return
    before = lines[-2]
    at = _last_break(before[:-1], before[-1][0])
    if at is None or at < 2 or sum(s for _, s in before[at:] + last) > width:
        return
    lines[-2], lines[-1] = before[:at], before[at:] + last


def _last_break(line: list[tuple[str, float]], piece: str) -> int | None:
    """Index in `line` of its last legal break before `piece` arrives, or None when there is none: the next
    line must not start with a closing mark, and this one must not end with an opening mark."""
    for at in range(len(line), 0, -1):
        following = line[at][0] if at < len(line) else piece
        if following[0] not in NO_LINE_START and line[at - 1][0][-1] not in NO_LINE_END:
            return at
    return None
