"""Widgets with behaviour kv alone cannot express."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout


class Overlay(FloatLayout):
    """A modal layer: while shown it takes every touch; while hidden it is invisible and lets touches through.

    (A merely disabled widget would swallow touches even when transparent.)
    """

    shown = BooleanProperty(False)

    def on_touch_down(self, touch) -> bool:
        return super().on_touch_down(touch) or True if self.shown else False

    def on_touch_move(self, touch) -> bool:
        return super().on_touch_move(touch) or True if self.shown else False

    def on_touch_up(self, touch) -> bool:
        return super().on_touch_up(touch) or True if self.shown else False


Factory.register("Overlay", cls=Overlay)


class Tile(ButtonBehavior, BoxLayout):
    """A large service tile on the home screen: a picture, a title and a one-line hint (look in theme.kv)."""

    title = StringProperty("")
    hint = StringProperty("")
    icon = StringProperty("")
    """Path of the tile's picture (kiosk.ui.icons.icon_path)."""


Factory.register("Tile", cls=Tile)


class IconButton(ButtonBehavior, BoxLayout):
    """A big button with its picture at the left, for citizens who recognise a picture before they read; the
    picture is as tall as the button's inside, so it grows with the theme (look in theme.kv)."""

    text = StringProperty("")
    icon = StringProperty("")
    """Path of the picture (kiosk.ui.icons.icon_path)."""
    tone = OptionProperty("primary", options=("primary", "quiet", "warning"))
    """`quiet`: light with dark text, like a QuietButton (the citizen bar); `warning`: 快速离开's own colour."""
    font_px = NumericProperty(0)
    """Text size in design px; 0 = the theme's body size."""


Factory.register("IconButton", cls=IconButton)


class ReviewRow(BoxLayout):
    """One answered question on the review page with its 修改 button (look in consult.kv)."""

    question = StringProperty("")
    answer = StringProperty("")


Factory.register("ReviewRow", cls=ReviewRow)
