"""One question at a time: the answer widgets of each page kind, Back that keeps answers, and the review page.

The interview lives in `services.citizen` (wiped with the session); this screen only draws its current state
and hands taps back. Issuing the opinion waits on storage, so it runs off the UI thread.
"""

from __future__ import annotations

import calendar
from datetime import date

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.textinput import TextInput

from kiosk.consult.answers import AnswerError
from kiosk.consult.engine import InterviewState
from kiosk.consult.flow import Page, PageKind
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.ime.keyboard import PinyinKeyboard
from kiosk.ui.screens.base import KioskScreen

EARLIEST_YEAR = 1950
"""Earliest year the date picker offers (older events are beyond every limitation period we compute)."""


class ConsultScreen(KioskScreen):
    """Draws the current page or the review list of the citizen's interview."""

    flow_title = StringProperty("")
    step_text = StringProperty("")
    question = StringProperty("")
    help_text = StringProperty("")
    message = StringProperty("")
    reviewing = BooleanProperty(False)
    busy = BooleanProperty(False)

    @property
    def interview(self):
        return self.app.services.citizen.interview

    def on_pre_enter(self, *args) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw for the interview's state."""
        interview = self.interview
        if interview is None:
            return
        self.message = ""
        self.flow_title = self.app._("consult.neutral_title") if self.app.sensitive else interview.flow.title
        area = self.ids.answer_area
        area.clear_widgets()
        self.reviewing = interview.state is InterviewState.REVIEW
        if self.reviewing:
            self.step_text = ""
            self.question = self.app._("consult.review.title")
            self.help_text = self.app._("consult.review.hint")
            area.add_widget(self._review_list())
            return
        page = interview.page
        self.step_text = self.app._("consult.step", step=interview.step, total=interview.total)
        self.question = page.text
        self.help_text = page.help
        area.add_widget(self._answer_widget(page, interview.value))

    # ---- answer widgets by page kind --------------------------------------------------------------------

    def _answer_widget(self, page: Page, value):
        if page.kind is PageKind.CHOICE:
            return self._buttons([(o.id, o.label) for o in page.options], value)
        if page.kind is PageKind.YESNO:
            return self._buttons([(answer, self.app._(key)) for answer, key in page.answer_keys()], value)
        if page.kind in (PageKind.NUMBER, PageKind.MONEY):
            return NumberPad(self, page, value)
        if page.kind is PageKind.DATE:
            return DatePicker(self, value or self.app.services.clock.today())
        return TextAnswer(self, page, value or "")

    def _buttons(self, options: list[tuple[str, str]], selected) -> GridLayout:
        grid = GridLayout(cols=1, spacing=dp(self.app.theme.spacing_px / 2), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for option_id, label in options:
            button = Factory.BigButton(text=label)
            if option_id == selected:
                button.background_color = self.app.theme.color_primary_dark
            button.bind(on_release=lambda _w, option_id=option_id: self.submit(option_id))
            grid.add_widget(button)
        return grid

    def _review_list(self) -> GridLayout:
        grid = GridLayout(cols=1, spacing=dp(12), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        for item in self.interview.review():
            row = Factory.ReviewRow(question=item.question, answer=item.answer)
            row.ids.change.bind(on_release=lambda _w, page_id=item.page_id: self.change(page_id))
            grid.add_widget(row)
        return grid

    # ---- actions ----------------------------------------------------------------------------------------

    def submit(self, value) -> None:
        """Answer the current page; a bad answer is explained on the page, nothing is lost."""
        page_id = self.interview.page.id
        self.tap(f"answer.{page_id}")
        page = self.interview.page
        try:
            self.interview.answer(value)
        except AnswerError as exc:
            self.message = self.app._(exc.key, **exc.params)
            return
        self.app.check_danger(page, value)
        self.refresh()

    def back(self) -> None:
        """One page back keeping every answer; from the first page, back to the topic list."""
        self.tap("back")
        if self.interview.back():
            self.refresh()
        else:
            self.app.show("topics" if self.interview.flow.kind == "topic" else "home")

    def change(self, page_id: str) -> None:
        """Reopen one answered page from the review list."""
        self.tap(f"change.{page_id}")
        self.interview.change(page_id)
        self.refresh()

    def issue(self) -> None:
        """Finish and sign the opinion off the UI thread, then show it."""
        if self.busy:
            return
        self.tap("issue")
        self.busy = True
        self.message = self.app._("consult.issuing")
        run_off_ui(self.app.services.citizen.issue_opinion, self._on_issued)

    def _on_issued(self, _opinion, error) -> None:
        self.busy = False
        if error is not None:
            self.message = self.app._("error.generic")
            return
        self.message = ""
        self.app.show("opinion")

    def quit(self) -> None:
        """Leave the consultation for the home screen (answers stay until the session ends)."""
        self.tap("quit")
        self.app.show("home")


class NumberPad(BoxLayout):
    """A display and a big keypad for numbers and money (no system keyboard on a kiosk)."""

    def __init__(self, screen: ConsultScreen, page: Page, value, **kwargs) -> None:
        super().__init__(orientation="vertical", spacing=dp(16), size_hint_y=None, **kwargs)
        self.screen = screen
        self.unit = screen.app._("consult.unit_yuan") if page.kind is PageKind.MONEY else page.unit
        self.entered = "" if value is None else str(value)
        self.allow_point = not page.integer
        app = screen.app
        self.display = Factory.TitleLabel(text=self._shown())
        self.add_widget(self.display)
        keys = GridLayout(cols=3, spacing=dp(12), size_hint_y=None)
        keys.bind(minimum_height=keys.setter("height"))
        labels = [*"123456789", app._("consult.keypad.point") if self.allow_point else "", "0",
                  app._("consult.keypad.clear")]
        for label in labels:
            key = Factory.QuietButton(text=label, disabled=not label)
            key.bind(on_release=lambda _w, label=label: self.press(label))
            keys.add_widget(key)
        self.add_widget(keys)
        ok = Factory.BigButton(text=app._("consult.next"))
        ok.bind(on_release=lambda _w: screen.submit(self.entered))
        self.add_widget(ok)
        self.bind(minimum_height=self.setter("height"))

    def _shown(self) -> str:
        return f"{self.entered or '0'} {self.unit}".strip()

    def press(self, label: str) -> None:
        """Edit the number by one key."""
        if label == self.screen.app._("consult.keypad.clear"):
            self.entered = ""
        elif label == "." and "." not in self.entered:
            self.entered = (self.entered or "0") + "."
        elif label.isdigit() and len(self.entered) < 12:
            self.entered = self.entered.lstrip("0") + label if self.entered != "0" else label
        self.display.text = self._shown()


class DatePicker(BoxLayout):
    """Year, month and day with large − / + buttons; the day never exceeds the month's length."""

    def __init__(self, screen: ConsultScreen, initial: date, **kwargs) -> None:
        super().__init__(orientation="vertical", spacing=dp(16), size_hint_y=None, **kwargs)
        self.screen = screen
        self.day = initial
        app = screen.app
        self.labels = {}
        for part, key in (("year", "consult.date.year"), ("month", "consult.date.month"),
                          ("day", "consult.date.day")):
            row = BoxLayout(spacing=dp(16), size_hint_y=None, height=dp(app.theme.button_height_px))
            minus = Factory.QuietButton(text="-", size_hint_x=0.25)
            minus.bind(on_release=lambda _w, part=part: self.step(part, -1))
            plus = Factory.QuietButton(text="+", size_hint_x=0.25)
            plus.bind(on_release=lambda _w, part=part: self.step(part, +1))
            label = Factory.TitleLabel(text="")
            self.labels[part] = (label, app._(key))
            row.add_widget(minus)
            row.add_widget(label)
            row.add_widget(plus)
            self.add_widget(row)
        ok = Factory.BigButton(text=app._("consult.next"))
        ok.bind(on_release=lambda _w: screen.submit(self.day))
        self.add_widget(ok)
        self.bind(minimum_height=self.setter("height"))
        self._show()

    def step(self, part: str, delta: int) -> None:
        """Move one part of the date by `delta`, keeping a valid calendar date."""
        year, month, day = self.day.year, self.day.month, self.day.day
        if part == "year":
            year = max(EARLIEST_YEAR, year + delta)
        elif part == "month":
            month = (month - 1 + delta) % 12 + 1
        else:
            day = (day - 1 + delta) % calendar.monthrange(year, month)[1] + 1
        self.day = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        self._show()

    def _show(self) -> None:
        for part, (label, unit) in self.labels.items():
            label.text = f"{getattr(self.day, part)} {unit}"


class TextAnswer(BoxLayout):
    """A short typed answer (a hardware keyboard where fitted)."""

    def __init__(self, screen: ConsultScreen, page: Page, value: str, **kwargs) -> None:
        super().__init__(orientation="vertical", spacing=dp(16), size_hint_y=None, **kwargs)
        app = screen.app
        field = TextInput(text=value, hint_text=app._("consult.text.hint"), multiline=False, keyboard_mode="managed",
                          font_name="KioskCJK", font_size=dp(app.theme.font_body_px), size_hint_y=None,
                          height=dp(app.theme.button_height_px))
        self.add_widget(field)
        self.add_widget(PinyinKeyboard(target=field))
        ok = Factory.BigButton(text=app._("consult.next"))
        ok.bind(on_release=lambda _w: screen.submit(field.text))
        self.add_widget(ok)
        self.bind(minimum_height=self.setter("height"))
