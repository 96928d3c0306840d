"""A question's answer buttons, shrunk together so that all of them show on the panel at once where they can.

Why: a citizen who does not know that a list scrolls never sees the sixth answer. 继承's 您是去世的人的什么人？ has nine,
法律援助's matter thirteen; at full size in 长辈模式 only five showed, the rest behind a thin scroll bar. Buttons keep
the theme's height while they fit; when they do not, they shrink evenly towards the height their words need (never
below the smallest touch target), so a one-line answer gives up room before a two-line one. Only a list that still
does not fit scrolls, with kiosk.ui.scroll_hint's line under it.
"""

from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import ObjectProperty
from kivy.uix.gridlayout import GridLayout

TEXT_MARGIN_EM = 0.6
"""Room above and below an answer's words inside its button, in units of its font size (both margins together)."""
BISECTION_STEPS = 30


def fitted_heights(floors: list[float], ceiling: float, room: float, gaps: float) -> list[float]:
    """Each button's height (px): the largest common level ≤ `ceiling` at which all fit in `room` with `gaps`,
    a button never below its own floor; the floors alone when even they do not fit."""
    def heights(level: float) -> list[float]:
        return [max(floor, level) for floor in floors]

    if sum(heights(ceiling)) + gaps <= room:
        return heights(ceiling)
    low, high = 0.0, ceiling
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        if sum(heights(middle)) + gaps <= room:
            low = middle
        else:
            high = middle
    return heights(low)


class ChoiceList(GridLayout):
    """One column of answer buttons sized to `viewport` (the scroll view they sit in)."""

    viewport = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cols", 1)
        kwargs.setdefault("size_hint_y", None)
        super().__init__(**kwargs)
        self.bind(minimum_height=self.setter("height"))
        self._refit = Clock.create_trigger(self.fit, 0)
        self._chosen = None

    def add_choice(self, text: str, *, chosen: bool = False):
        """A new answer button at the end of the list (its look is the theme's ChoiceButton); the `chosen` one (an
        answer given before, or chosen for the citizen by the flow they came from) is scrolled into sight once."""
        button = Factory.ChoiceButton(text=text)
        button.bind(texture_size=self.schedule_fit, width=self.schedule_fit)
        self.add_widget(button)
        if chosen:
            self._chosen = button
        self._refit()
        return button

    def on_parent(self, _self, parent) -> None:
        """Watch the viewport and the theme while on a page, and let go of them when the page is redrawn."""
        app, viewport = App.get_running_app(), self.viewport
        if app is None:
            return
        if parent is None:
            app.unbind(theme=self.schedule_fit)
            if viewport is not None:
                viewport.unbind(height=self.schedule_fit)
            return
        app.bind(theme=self.schedule_fit)
        if viewport is not None:
            viewport.bind(height=self.schedule_fit)
        self._refit()

    def schedule_fit(self, *_args) -> None:
        """Fit again on the next frame (several changes in one frame fit once)."""
        self._refit()

    def fit(self, *_args) -> None:
        """Size the buttons for the viewport's height and the theme (runs a frame after any of them changes)."""
        app = App.get_running_app()
        if app is None or self.viewport is None or not self.children:
            return  # the app has stopped (a fit was still due), or nothing to fit yet
        theme = app.theme
        buttons = list(reversed(self.children))
        floors = [max(dp(theme.min_touch_px), b.texture_size[1] + TEXT_MARGIN_EM * b.font_size) for b in buttons]
        heights = fitted_heights(floors, dp(theme.button_height_px), self.viewport.height,
                                 self.spacing[1] * (len(buttons) - 1))
        for button, height in zip(buttons, heights):
            button.height = height
        if self._chosen is not None:
            Clock.schedule_once(self._show_chosen, 0)

    def _show_chosen(self, *_args) -> None:
        """Bring the chosen answer into sight (after the layout has placed it), then leave the scrolling to the
        citizen."""
        chosen, self._chosen = self._chosen, None
        if chosen is not None and self.viewport is not None and self.parent is not None:
            self.viewport.scroll_to(chosen, padding=dp(8), animate=False)
