"""A Chinese paragraph with some of its words marked (the words a citizen searched for), broken into lines properly.

Why: the law library shows where a result matches, and a marked word must survive the line breaking of CjkLabel:
the lines are broken on the plain text, then the marks are laid over them as Kivy markup, character by character
(a space dropped at a break is skipped), so a tag never splits a line's measure or escapes its span.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import ListProperty, StringProperty

from kiosk.ui.cjk_label import CjkLabel

_ESCAPES = {"&": "&amp;", "[": "&bl;", "]": "&br;"}
"""Kivy markup's escapes for the characters it reads as tags."""


def mark_lines(lines: list[str], paragraph: str, marks: list[tuple[int, int]], colour: str) -> str:
    """`lines` (a breaking of `paragraph`) joined by newlines, with the characters of `paragraph` inside `marks`
    (start, end offsets) set bold in `colour` (hex), and every other character escaped."""
    marked = [False] * len(paragraph)
    for start, end in marks:
        for index in range(max(0, start), min(end, len(paragraph))):
            marked[index] = True
    out: list[str] = []
    position = 0
    for number, line in enumerate(lines):
        if number:
            out.append("\n")
        inside = False
        for char in line:
            while position < len(paragraph) and paragraph[position] != char:
                position += 1  # a space the breaking dropped
            here = position < len(paragraph) and marked[position]
            if here != inside:
                out.append(f"[b][color={colour}]" if here else "[/color][/b]")
                inside = here
            out.append(_ESCAPES.get(char, char))
            position += 1
        if inside:
            out.append("[/color][/b]")
    return "".join(out)


class MarkedLabel(CjkLabel):
    """A CjkLabel whose `marks` (offsets into `paragraph`) are drawn bold in `mark_colour`."""

    marks = ListProperty([])
    mark_colour = StringProperty("b3261e")
    """Hex colour of the marked words (a deep red that stays readable on white and in 长辈模式)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("markup", True)
        super().__init__(**kwargs)
        self.fbind("marks", self._rewrap)

    def _rewrap(self, *_args) -> None:
        super()._rewrap()
        if self.wrap_width > 0:
            self.text = mark_lines(self.text.split("\n"), self.paragraph, list(self.marks), self.mark_colour)


Factory.register("MarkedLabel", cls=MarkedLabel)
