"""A label for Chinese paragraphs, and a button for long answers, whose lines follow Chinese typesetting rules.

Why: Kivy breaks CJK text at whatever character reaches the edge, so lines began with ，or 。 (an answer button
read "…搬走、转产\n、关门了"). These widgets break their words themselves (kiosk.ui.cjk_wrap) with the widths of
their own font, hand Kivy finished lines, and break again when the width, font or text changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from kivy.core.text import Label as CoreLabel
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.button import Button
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
        self.text = cjk_lines(self.paragraph, self.wrap_width, self, hang_room=self.hang_room)


class CjkButton(Button):
    """A button whose `text` stays as written (what a tap reports, the read-aloud speaks and a test looks for) while
    the words it draws are broken by Chinese line rules for its `text_size` width, filling the whole width (a closing
    mark takes the character before it to the next line: no line starts with 、 or ）).

    Relies on how the Label of Kivy 2.3 (pinned) hands its text to the core label it draws with: a change of `text`
    reaches `_trigger_texture_update('text', …)`, which sets `_label.text`; the broken lines are handed over there."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for name in ("text_size", "font_size", "font_name", "bold"):
            self.fbind(name, self._redraw)
        self._redraw()

    @property
    def lines(self) -> list[str]:
        """The lines the button draws, top to bottom."""
        return self._drawn(self.text).split("\n")

    def _drawn(self, text: str) -> str:
        width = self.text_size[0]
        return cjk_lines(text, width, self, hang_room=False) if width and width > 0 else text

    def _trigger_texture_update(self, name=None, source=None, value=None) -> None:
        if source and name == "text":
            value = self._drawn(value)
        super()._trigger_texture_update(name, source, value)

    def _redraw(self, *_args) -> None:
        self._label.text = self._drawn(self.text)
        self._trigger_texture()


def cjk_lines(text: str, width: float, widget: Label, *, hang_room: bool) -> str:
    """`text` broken by Chinese line rules into lines of `width` px in `widget`'s font, joined by newlines (with
    `hang_room`, each line keeps room at its end for a closing mark to hang in)."""
    measure = font_measure(widget.font_name, widget.font_size, widget.bold)
    hang = measure(HANG_MARK) if hang_room else 0.0
    return "\n".join(break_lines(text, width - hang, measure, hang=hang))


def one_line_font_px(text: str, font_px: float, width_px: float, font_name: str, bold: bool) -> float:
    """The largest size up to `font_px` at which `text` fits `width_px` on one line, so a short line that must be read
    whole (a deadline's 2027年1月11日 星期一) shrinks a little rather than breaking inside a word."""
    natural_px = font_measure(font_name, font_px, bold)(text)
    if width_px <= 0 or natural_px <= width_px:
        return font_px
    return font_px * width_px / natural_px * 0.98  # a little under, as a glyph's advance does not scale exactly


Factory.register("CjkLabel", cls=CjkLabel)
Factory.register("CjkButton", cls=CjkButton)
