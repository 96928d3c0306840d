"""A label for Chinese paragraphs whose lines follow the rules of Chinese typesetting.

Why: Kivy breaks CJK text at whatever character reaches the edge, so lines began with ，or 。. This label
breaks its paragraph itself (kiosk.ui.cjk_wrap) with the widths of its own font, hands Kivy finished lines,
sizes itself to them, and breaks again when its width, font or text changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.label import Label

from kiosk.ui.cjk_wrap import break_lines

HANG_MARK = "，"
"""A full-width closing mark: the room kept at the end of each line for a mark that hangs there."""


@lru_cache(maxsize=16)
def font_measure(font_name: str, font_size: float, bold: bool) -> Callable[[str], float]:
    """Width in pixels of a piece of text in this font, remembered per piece (a few thousand Hanzi at most),
    so an opinion opened later costs dictionary look-ups rather than font calls."""
    font = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)
    widths: dict[str, float] = {}

    def measure(piece: str) -> float:
        width = widths.get(piece)
        if width is None:
            width = widths[piece] = font.get_extents(piece)[0]
        return width

    return measure


class CjkLabel(Label):
    """Set `paragraph` (not `text`) and `wrap_width`; the label is as big as its lines (left-aligned in a
    vertical BoxLayout)."""

    paragraph = StringProperty("")
    """The text as written; `text` becomes it broken into lines."""
    wrap_width = NumericProperty(0)
    """Width the lines may fill, in pixels (the parent's inner width)."""
    hang_room = BooleanProperty(True)
    """Keep room at each line's end for a closing mark to hang in (paragraphs); False for a short title that needs
    its whole width (a closing mark then takes the character before it to the next line)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for name in ("paragraph", "wrap_width", "hang_room", "font_size", "font_name", "bold"):
            self.fbind(name, self._rewrap)
        self._rewrap()

    def _rewrap(self, *_args) -> None:
        if self.wrap_width <= 0:
            return
        measure = font_measure(self.font_name, self.font_size, self.bold)
        hang = measure(HANG_MARK) if self.hang_room else 0.0
        self.text = "\n".join(break_lines(self.paragraph, self.wrap_width - hang, measure, hang=hang))


Factory.register("CjkLabel", cls=CjkLabel)
