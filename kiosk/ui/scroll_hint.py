"""The line under a list longer than its screen: how many items are still below, and a tap that shows them.

Why: an elderly citizen who has never used a smartphone does not know that a list moves under a finger; the sixth
answer of a question, or the topic they came for, sat below the panel's edge behind a thin scroll bar. This line
says how many items are below and moves the list most of a screenful on a tap (back to the top once all have been
seen). It takes no room while the list fits.
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.button import Button

PAGE_SHARE = 0.8
"""A tap moves the list by this share of the visible height, so the last item seen stays in sight."""


class ScrollHint(Button):
    """Counts the children of `items` below the lower edge of `scroll` (the ScrollView that shows them)."""

    scroll = ObjectProperty(None, allownone=True)
    items = ObjectProperty(None, allownone=True)
    """The layout whose children are counted (None: no list on the page, the line is hidden)."""
    below = NumericProperty(0)
    """How many items lie wholly or partly below the visible part."""
    overflows = BooleanProperty(False)
    """The items do not all fit in the visible part."""
    counted = BooleanProperty(True)
    """Say how many items are below (answers, topics), or only that there is more (the parts of a document)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._recount = Clock.create_trigger(self.count, 0)
        self._watched: list = []
        self._watched_scroll = None
        self.bind(scroll=self._watch, items=self._watch)

    def _watch(self, *_args) -> None:
        """Follow the sizes and positions of the current scroll view and list only (a page's list is replaced)."""
        for widget in self._watched:
            widget.unbind(height=self.schedule_count, pos=self.schedule_count)
        if self._watched_scroll is not None:
            self._watched_scroll.unbind(scroll_y=self.schedule_count)
        self._watched = [w for w in (self.scroll, self.items) if w is not None]
        for widget in self._watched:
            widget.bind(height=self.schedule_count, pos=self.schedule_count)
        self._watched_scroll = self.scroll
        if self.scroll is not None:
            self.scroll.bind(scroll_y=self.schedule_count)
        self._recount()

    def schedule_count(self, *_args) -> None:
        """Count again on the next frame (after the layout or the scroll has moved the items)."""
        self._recount()

    def count(self, *_args) -> None:
        """Whether the list overflows and how many of its items are still below."""
        if App.get_running_app() is None:   # the app has stopped: the kv rules this would set off read its theme
            return
        scroll, items = self.scroll, self.items
        if scroll is None or items is None or items.parent is None:
            self.overflows, self.below = False, 0
            return
        self.overflows = items.height > scroll.height + 1
        bottom = scroll.to_window(scroll.x, scroll.y)[1]
        self.below = sum(1 for child in items.children if child.to_window(child.x, child.y)[1] < bottom - 1)

    def on_release(self) -> None:
        """Show the items below (most of a screenful further), or the top once all have been seen."""
        overhang = self.scroll.children[0].height - self.scroll.height if self.scroll else 0
        if overhang <= 0:
            return
        step = PAGE_SHARE * self.scroll.height / overhang
        self.scroll.scroll_y = max(0.0, self.scroll.scroll_y - step) if self.below else 1.0


Factory.register("ScrollHint", cls=ScrollHint)
