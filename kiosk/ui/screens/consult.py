"""One question at a time: the answer widgets of each page kind, Back that keeps answers, and the review page.

The interview lives in `services.citizen` (wiped with the session); this screen only draws its current state
and hands taps back. Issuing the opinion waits on storage, so it runs off the UI thread.
"""

from __future__ import annotations

import calendar
from collections import deque
from datetime import date

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.textinput import TextInput

from kiosk.legal.answers import EARLIEST_DATE, AnswerError, show
from kiosk.legal.engine import InterviewState
from kiosk.legal.flow import UNSURE, UNSURE_KEY, Page, PageKind
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.choice_list import ChoiceList
from kiosk.ui.ime.keyboard import PinyinKeyboard
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.settling import Settling
from kiosk.ui.slices import FIRST_SLICE_S, build_slice

MAX_DIGITS = 12
"""Most digits the number pad takes (a trillion yuan is beyond every claim)."""


class ConsultScreen(Settling, KioskScreen):
    """Draws the current page or the review list of the citizen's interview; a page ignores taps for a moment
    after it appears (see Settling), so one double tap answers one question."""

    flow_title = StringProperty("")
    step_text = StringProperty("")
    question = StringProperty("")
    help_text = StringProperty("")
    notices = ("message",)
    message = StringProperty("")
    reviewing = BooleanProperty(False)
    busy = BooleanProperty(False)
    _picker = None
    """The date picker, built once (see `_date_picker`)."""
    _pad = None
    """The number pad, built once (see `_number_pad`)."""
    _next_row = None
    """The row of 下一步 and 不清楚 under a number, date or text answer, built once (see `add_next_row`)."""

    @property
    def interview(self):
        return self.app.services.citizen.interview

    def press(self, action, *args) -> None:
        """A tap on an answer or a page control: it acts only while the page takes input, and since every action
        redraws the page (which then settles again), each button acts once."""
        if self.accepts_input:
            action(*args)

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
        self.ids.answer_hint.items = None
        self.ids.answer_actions.clear_widgets()
        self.settle()
        self.reviewing = interview.state is InterviewState.REVIEW
        if self.reviewing:
            self.step_text = ""
            self.question = self.app._("consult.review.title")
            self.help_text = self.app._("consult.review.hint")
            review = self._review_list()
            area.add_widget(review)
            self.ids.answer_hint.items = review   # a long flow's rows run below the edge in 长辈模式
            self.app.page_shown()
            return
        page = interview.page
        self.step_text = self.app._("consult.step", step=interview.step, total=interview.total)
        self.question = page.text
        self.help_text = page.help
        area.add_widget(self._answer_widget(page, interview.value))
        self.app.page_shown()

    # ---- answer widgets by page kind --------------------------------------------------------------------

    def _answer_widget(self, page: Page, value):
        if page.kind in (PageKind.CHOICE, PageKind.YESNO):
            # the content's options, then the catalogue-worded answers (a yes/no pair, 不清楚 where offered)
            return self._buttons([(o.id, o.label) for o in page.options]
                                 + [(answer, self.app._(key)) for answer, key in page.answer_keys()], value)
        if page.kind in (PageKind.NUMBER, PageKind.MONEY):
            pad = self._number_pad()
            pad.ask(self, page, value)
            return pad
        if page.kind is PageKind.DATE:
            picker = self._date_picker()
            picker.ask(self, page, value if isinstance(value, date) else self._date_start())
            return picker
        return TextAnswer(self, page, value or "")

    def prepare(self) -> None:
        """Build the date picker, the number pad and the row under them while the kiosk is idle, and lay them out
        in their places (the first page of the consultation takes them away), so no tap on a question pays for
        their keys or for fitting them to the panel's width."""
        self.ids.answer_area.add_widget(self._date_picker())
        self.ids.answer_area.add_widget(self._number_pad())
        self.ids.answer_actions.add_widget(self._answer_row())

    def _date_picker(self) -> DatePicker:
        """The screen's one date picker (kept across pages and sessions; each page sets it afresh)."""
        if self._picker is None:
            self._picker = DatePicker()
        return self._picker

    def _number_pad(self) -> NumberPad:
        """The screen's one number pad (kept across pages and sessions; each page sets it afresh)."""
        if self._pad is None:
            self._pad = NumberPad()
        return self._pad

    def _answer_row(self) -> AnswerRow:
        """The screen's one row of 下一步 and 不清楚 (kept across pages; each page sets what 下一步 submits)."""
        if self._next_row is None:
            self._next_row = AnswerRow(self)
        return self._next_row

    def _date_start(self) -> date:
        """Where a date page starts: the latest date answered before it (the dates of one story lie close
        together), else today."""
        interview = self.interview
        for page_id in reversed(interview.path[:-1]):
            value = interview.answer_of(page_id)
            if isinstance(value, date):
                return value
        return interview.today

    def _buttons(self, options: list[tuple[str, str]], selected) -> ChoiceList:
        """The answers as buttons that all show at once where the panel has room (kiosk.ui.choice_list); the
        line under them counts those still below when it has not (kiosk.ui.scroll_hint)."""
        choices = ChoiceList(viewport=self.ids.answer_scroll, spacing=dp(self.app.theme.spacing_px / 2))
        self.ids.answer_hint.items = choices
        for option_id, label in options:
            chosen = option_id == selected
            button = choices.add_choice(label, chosen=chosen)
            if chosen:
                button.background_color = self.app.theme.color_primary_dark
            button.bind(on_release=lambda _w, option_id=option_id: self.press(self.submit, option_id))
        return choices

    def _review_list(self) -> GridLayout:
        """The answered questions with their 修改 buttons, a slice of each frame (kiosk.ui.slices; a long flow's
        eleven rows at once held the UI thread for over 100 ms on a software-rendered panel); the page takes taps
        once all are drawn."""
        grid = GridLayout(cols=1, spacing=dp(12), size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        items = deque(self.interview.review())

        def add_row(item) -> None:
            row = Factory.ReviewRow(question=item.question, answer=item.answer)
            row.ids.change.bind(on_release=lambda _w, page_id=item.page_id: self.press(self.change, page_id))
            grid.add_widget(row)

        def add_rows(dt=None) -> None:
            if dt is not None and (grid.parent is None or self.app is None):
                return  # the page changed (or the app stopped) before the list was complete
            if build_slice(items, add_row, FIRST_SLICE_S if dt is None else None):
                self.settle()
                Clock.schedule_once(add_rows, 0)

        add_rows()
        return grid

    # ---- actions ----------------------------------------------------------------------------------------

    def submit(self, value) -> None:
        """Answer the current page; a bad answer is explained on the page, nothing is lost."""
        page = self.interview.page
        self.tap(f"answer.{page.id}")
        try:
            self.interview.answer(value)
        except AnswerError as exc:
            self.message = self.app._(exc.key, **exc.params)
            return
        self.app.check_danger(page, value)
        self.refresh()

    def back(self) -> None:
        """One page back keeping every answer; from the first page, back where the consultation was chosen: the
        opinion a legal-aid check began from, the question typed in 智能咨询, the topic list, or home."""
        self.tap("back")
        citizen = self.app.services.citizen
        if self.interview.back():
            self.refresh()
        elif citizen.back_to_opinion():
            self.app.show("opinion")
        elif citizen.asked is not None:
            self.app.show("smart_consult")
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
        """Leave the consultation for the home screen (answers stay until the session ends; 智能咨询 starts anew)."""
        self.tap("quit")
        self.app.services.citizen.asked = None
        self.app.show("home")


def add_next_row(screen: ConsultScreen, page: Page, value_of) -> None:
    """Put 下一步 (it submits `value_of()`) under a number, date or text answer, outside the answer's scroll area so
    it is always in sight, with 不清楚 beside it where the page offers it (a citizen who does not know the date or
    the amount goes on, and the opinion says what to find out)."""
    row = screen._answer_row()
    row.ask(page, value_of)
    screen.ids.answer_actions.add_widget(row)


class AnswerRow(BoxLayout):
    """不清楚 (where offered) and 下一步; built once per screen, since three widgets built on a tap held the UI
    thread for several ms."""

    def __init__(self, screen: ConsultScreen, **kwargs) -> None:
        super().__init__(**kwargs)
        self.value_of = lambda: None
        """What 下一步 submits on the page shown."""
        self.unsure = Factory.QuietButton(text=screen.app._(UNSURE_KEY))
        self.unsure.bind(on_release=lambda _w: screen.press(screen.submit, UNSURE))
        self.ok = Factory.BigButton(text=screen.app._("consult.next"))
        self.ok.bind(on_release=lambda _w: screen.press(screen.submit, self.value_of()))
        self.add_widget(self.ok)

    def ask(self, page: Page, value_of) -> None:
        """Set the row for `page`: 下一步 submits `value_of()`; 不清楚 is there only if the page offers it."""
        self.value_of = value_of
        if page.offers_unsure and self.unsure.parent is None:
            self.add_widget(self.unsure, index=len(self.children))
        elif not page.offers_unsure and self.unsure.parent is not None:
            self.remove_widget(self.unsure)


def pad_key(text: str, action, make=None, **kwargs):
    """A big key of the number pad or the date picker (`make`: its kind in consult.kv, PadKey by default) that
    calls `action()`."""
    key = (make or Factory.PadKey)(text=text, **kwargs)
    key.bind(on_release=lambda _w: action())
    return key


class NumberPad(BoxLayout):
    """A display and a big keypad for numbers and money, laid out like a bank's: digits, and 退格 above 清除."""

    def __init__(self, **kwargs) -> None:
        """Build the keys once: the consult screen keeps one pad for every number page (thirteen keys built on a
        tap held the UI thread for over 15 ms)."""
        super().__init__(**kwargs)
        app = App.get_running_app()
        self.unit = ""
        self.entered = ""
        digits = self.ids.digits
        for row in ("123", "456", "789"):
            line = Factory.PadRow()
            for digit in row:
                line.add_widget(pad_key(digit, lambda d=digit: self.type_digit(d)))
            digits.add_widget(line)
        self.last_line = Factory.PadRow()
        self.last_line.add_widget(pad_key("0", lambda: self.type_digit("0"), size_hint_x=2))
        self.point = pad_key(app._("consult.keypad.point"), self.type_point)
        digits.add_widget(self.last_line)
        edits = self.ids.edits
        edits.add_widget(pad_key(app._("consult.keypad.backspace"), self.backspace, size_hint_y=1))
        edits.add_widget(pad_key(app._("consult.keypad.clear"), self.clear, size_hint_y=1))

    def ask(self, screen: ConsultScreen, page: Page, value) -> None:
        """Ask `page`'s number, starting from `value` (its earlier answer, if any): the point key only where the
        number may have a fraction."""
        self.unit = screen.app._("consult.unit_yuan") if page.kind is PageKind.MONEY else page.unit
        self.entered = "" if value in (None, UNSURE) else str(value)
        if page.integer and self.point.parent is not None:
            self.last_line.remove_widget(self.point)
        elif not page.integer and self.point.parent is None:
            self.last_line.add_widget(self.point)
        add_next_row(screen, page, lambda: self.entered)
        self._show()

    def on_parent(self, _pad, parent) -> None:
        """Off the page, the pad forgets the number typed (it was the citizen's)."""
        if parent is None and self.entered:
            self.entered = ""
            self._show()

    def type_digit(self, digit: str) -> None:
        if len(self.entered.replace(".", "")) < MAX_DIGITS:
            self.entered = digit if self.entered == "0" else self.entered + digit
        self._show()

    def type_point(self) -> None:
        if "." not in self.entered:
            self.entered = (self.entered or "0") + "."
        self._show()

    def backspace(self) -> None:
        """退格: the last digit typed goes."""
        self.entered = self.entered[:-1]
        self._show()

    def clear(self) -> None:
        """清除: start the number again."""
        self.entered = ""
        self._show()

    def _show(self) -> None:
        self.ids.display.text = f"{self.entered or '0'} {self.unit}".strip()


class DatePicker(BoxLayout):
    """A date in a few taps: the year with large − / +, the twelve months, then the days of that month (no days
    when the question asks only for the month). Nothing later than today is offered unless the page allows it."""

    day = ObjectProperty(None)
    """The date chosen (the first of the month when only the month is asked)."""

    def __init__(self, **kwargs) -> None:
        """Build the keys once: the consult screen keeps one picker for every date page (forty-three keys built
        on a tap held the UI thread for tens of ms)."""
        super().__init__(**kwargs)
        app = App.get_running_app()
        self.page: Page | None = None
        self.month_only = False
        self.latest: date | None = None
        """The last date that may be chosen (None: no limit)."""
        self.ids.minus.bind(on_release=lambda _w: self.step_year(-1))
        self.ids.plus.bind(on_release=lambda _w: self.step_year(+1))
        self.month_buttons = [pad_key(f"{m}{app._('consult.date.month')}", lambda m=m: self.pick(month=m),
                                      make=Factory.MonthKey) for m in range(1, 13)]
        for button in self.month_buttons:
            self.ids.months.add_widget(button)
        self.day_buttons = [pad_key(str(d), lambda d=d: self.pick(day=d), make=Factory.DayKey)
                            for d in range(1, 32)]

    def ask(self, screen: ConsultScreen, page: Page, initial: date) -> None:
        """Ask `page`'s date, starting at `initial`: the days are shown unless only the month is asked."""
        self.page = page
        self.month_only = page.month_only
        self.latest = None if page.allow_future else screen.interview.today
        days = self.ids.days
        shown = [] if self.month_only else self.day_buttons
        if days.children[::-1] != shown:   # unchanged from the last date page: the 31 keys stay where they are
            days.clear_widgets()
            for button in shown:
                days.add_widget(button)
        add_next_row(screen, page, lambda: self.day)
        self._set(initial.year, initial.month, initial.day)

    def step_year(self, delta: int) -> None:
        """− / +: the same month and day, one year earlier or later."""
        self._set(self.day.year + delta, self.day.month, self.day.day)

    def pick(self, *, month: int | None = None, day: int | None = None) -> None:
        """A month or a day tapped."""
        self._set(self.day.year, month or self.day.month, day or self.day.day)

    def _set(self, year: int, month: int, day: int) -> None:
        """Choose the nearest valid date: from EARLIEST_DATE's year to `latest`, within the month's length."""
        year = max(EARLIEST_DATE.year, min(year, self.latest.year if self.latest else year))
        day = 1 if self.month_only else min(day, calendar.monthrange(year, month)[1])
        chosen = date(year, month, day)
        if self.latest is not None and chosen > self.latest:
            chosen = self.latest.replace(day=1) if self.month_only else self.latest
        self.day = chosen
        self._show()

    def _show(self) -> None:
        app = App.get_running_app()
        chosen, latest = self.day, self.latest
        self.ids.year.text = f"{chosen.year}{app._('consult.date.year')}"
        self.ids.chosen.text = app._("consult.date.chosen", date=show(self.page, chosen, app._))
        self.ids.minus.disabled = chosen.year <= EARLIEST_DATE.year
        self.ids.plus.disabled = latest is not None and chosen.year >= latest.year
        for month, button in enumerate(self.month_buttons, start=1):
            button.selected = month == chosen.month
            button.disabled = latest is not None and (chosen.year, month) > (latest.year, latest.month)
        length = calendar.monthrange(chosen.year, chosen.month)[1]
        for day, button in enumerate(self.day_buttons, start=1):
            button.selected = day == chosen.day
            button.opacity = 1 if day <= length else 0
            button.disabled = day > length or (latest is not None and chosen.replace(day=min(day, length)) > latest)


class TextAnswer(BoxLayout):
    """A short typed answer on the pinyin keyboard (or a hardware keyboard where fitted)."""

    def __init__(self, screen: ConsultScreen, page: Page, value: str, **kwargs) -> None:
        super().__init__(orientation="vertical", spacing=dp(16), size_hint_y=None, **kwargs)
        app = screen.app
        field = TextInput(text=value, hint_text=app._("consult.text.hint"), multiline=False, keyboard_mode="managed",
                          font_name="KioskCJK", font_size=dp(app.theme.font_body_px), size_hint_y=None,
                          height=dp(app.theme.button_height_px))
        self.add_widget(field)
        self.add_widget(PinyinKeyboard(target=field))
        add_next_row(screen, page, lambda: field.text)
        self.bind(minimum_height=self.setter("height"))
