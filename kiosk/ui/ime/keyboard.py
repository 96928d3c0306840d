"""The on-screen pinyin keyboard: big keys that type Chinese (or letters) into a bound TextInput.

Why: kiosks have no keyboard and the system IME is not there; citizens type their question for 智能咨询 and
short answers with this. Put `PinyinKeyboard: target: some_text_input` in a kv rule (after importing this
module). Each tap's handler does one dictionary look-up (≤ 2 ms) and updates a fixed pool of candidate buttons,
well inside half a frame. Key presses are never reported: what a citizen types is personal. The words are the
content pack's in force (a content job that adds a flow brings the words its citizens type): a keyboard takes
them when it is made and again each time its screen is entered, if another pack was installed meanwhile.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.metrics import dp
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.ui.bridge import run_off_ui
from kiosk.ui.ime.composition import Composition
from kiosk.ui.ime.engine import SEPARATOR, Candidate, PinyinDictionary

logger = logging.getLogger(__name__)

DIGITS = "1234567890"
LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_HEIGHT_PX = 116.0
"""Key height in design px (≈ 29 mm on a 21.5" panel); never below the theme's minimum touch target."""
DIGIT_KEY_HEIGHT_PX = 100.0
SIDE_KEY_UNITS = 1.5
"""Width of the keys at the ends of a row, in letter-key widths (a row is ten letter-keys wide)."""
SPACE_KEY_UNITS = 4.0
CANDIDATE_PADDING_PX = 48.0
"""Room beside a candidate's characters inside its button, in design px."""
CANDIDATE_SPACING_PX = 6.0
"""Gap between candidate buttons on the bar, in design px."""


class ImeKey(Button):
    """One key; `units` is its width in letter-key widths and `role` picks its colours (look in keyboard.kv)."""

    units = NumericProperty(1.0)
    role = StringProperty("letter")
    """`letter`, `action` (mode, delete, clear, pages) or `space`."""


class CandidateButton(Button):
    """One candidate word on the candidate bar."""

    candidate = ObjectProperty(None, allownone=True)


class PinyinKeyboard(BoxLayout):
    """Letters compose pinyin; tapping a candidate (or space for the first) types it into `target`."""

    target = ObjectProperty(None, allownone=True)
    """The TextInput this keyboard types into."""
    chinese = BooleanProperty(True)
    """中 (pinyin composition) or 英 (letters go straight into the text)."""
    letters_text = StringProperty("")
    status_text = StringProperty("")
    has_previous = BooleanProperty(False)
    has_next = BooleanProperty(False)
    shown = BooleanProperty(True)
    """False folds the keyboard away (no height, no touches), e.g. while results are on screen."""
    key_height = NumericProperty(dp(KEY_HEIGHT_PX))
    candidate_font = NumericProperty(dp(40))
    """Font size of the candidates in window px (set by the kv rule from the theme)."""
    candidate_spacing = NumericProperty(dp(CANDIDATE_SPACING_PX))

    def on_touch_down(self, touch) -> bool:
        # Folded, the keys keep their last places and, disabled, would swallow taps meant for what is there now.
        return super().on_touch_down(touch) if self.shown else False

    def on_touch_move(self, touch) -> bool:
        return super().on_touch_move(touch) if self.shown else False

    def on_touch_up(self, touch) -> bool:
        return super().on_touch_up(touch) if self.shown else False

    def __init__(self, **kwargs) -> None:
        self.composition = Composition(fits=self._fits)
        self._own_edit = False
        self._bound_target = None
        self._pool: list[CandidateButton] = []
        """Candidate buttons, reused on every keystroke (empty until the kv rule has built the bar)."""
        self._words_root = None
        """The content pack whose dictionary this keyboard asked for last."""
        app = App.get_running_app()
        self._ = app._
        super().__init__(**kwargs)
        self.key_height = dp(max(KEY_HEIGHT_PX, app.theme.min_touch_px))
        self.status_text = self._("ime.loading")
        self._take_pack_words()
        Clock.schedule_once(self._watch_screen, 0)

    # ---- construction ------------------------------------------------------------------------------------

    def on_kv_post(self, base_widget) -> None:
        """The kv rule has built the bar and the rows (inside another rule that is after __init__): add keys."""
        self._build_keys()
        pool = [Factory.CandidateButton() for _ in range(self.composition.page_size)]
        for button in pool:
            button.bind(on_release=self._on_candidate)
        self._pool = pool
        self.ids.candidates.bind(width=lambda *_: self._repage())
        self._refresh()

    def _build_keys(self) -> None:
        rows = self.ids.rows
        digit_row = self._row(DIGIT_KEY_HEIGHT_PX)
        for digit in DIGITS:
            digit_row.add_widget(self._key(digit, lambda d=digit: self.type_symbol(d)))
        rows.add_widget(digit_row)
        first, second, third = (self._row() for _ in LETTER_ROWS)
        for letter in LETTER_ROWS[0]:
            first.add_widget(self._key(letter, lambda c=letter: self.type_letter(c)))
        second.add_widget(Widget(size_hint_x=0.5))
        for letter in LETTER_ROWS[1]:
            second.add_widget(self._key(letter, lambda c=letter: self.type_letter(c)))
        second.add_widget(Widget(size_hint_x=0.5))
        third.add_widget(self._key(self._("ime.separator"), lambda: self.type_letter(SEPARATOR), "action",
                                   SIDE_KEY_UNITS, key_id="separator"))
        for letter in LETTER_ROWS[2]:
            third.add_widget(self._key(letter, lambda c=letter: self.type_letter(c)))
        third.add_widget(self._key(self._("ime.backspace"), self.backspace, "action", SIDE_KEY_UNITS,
                                   key_id="backspace"))
        for row in (first, second, third):
            rows.add_widget(row)
        punctuation = self._("ime.punctuation")
        bottom = self._row()
        bottom.add_widget(self._key(self._mode_label(), self.toggle_mode, "action", SIDE_KEY_UNITS, key_id="mode"))
        self.ids.mode.markup = True
        bottom.add_widget(self._key(punctuation[0], lambda: self.type_symbol(punctuation[0])))
        bottom.add_widget(self._key(self._("ime.space"), self.space, "space", SPACE_KEY_UNITS, key_id="space"))
        for mark in punctuation[1:]:
            bottom.add_widget(self._key(mark, lambda m=mark: self.type_symbol(m)))
        bottom.add_widget(self._key(self._("ime.clear"), self.clear, "action", SIDE_KEY_UNITS, key_id="clear"))
        rows.add_widget(bottom)

    def _row(self, height_px: float | None = None) -> BoxLayout:
        height = self.key_height if height_px is None else dp(max(height_px, App.get_running_app().theme.min_touch_px))
        return BoxLayout(spacing=dp(10), size_hint_y=None, height=height)

    def _key(self, text: str, action, role: str = "letter", units: float = 1.0, key_id: str = "") -> ImeKey:
        key = Factory.ImeKey(text=text, role=role, units=units)
        key.bind(on_release=lambda _w: action())
        if key_id:
            self.ids[key_id] = key
        return key

    def _watch_screen(self, _dt) -> None:
        """Forget the letters when the citizen leaves the screen (nothing typed outlives the page)."""
        widget = self.parent
        while widget is not None and widget is not widget.parent and not isinstance(widget, Screen):
            widget = widget.parent  # the Window is its own parent
        if isinstance(widget, Screen):
            widget.bind(on_leave=lambda *_: self.start_over(), on_pre_enter=lambda *_: self._take_pack_words())

    def _take_pack_words(self) -> None:
        """Use the dictionary of the content pack in force, read off the UI thread when it is not read yet."""
        root = App.get_running_app().services.consultations.root
        if root != self._words_root:
            self._words_root = root
            run_off_ui(lambda: PinyinDictionary.of_pack(root),
                       lambda words, error: self._on_dictionary(words, error) if root == self._words_root else None)

    def _on_dictionary(self, dictionary: PinyinDictionary | None, error: BaseException | None) -> None:
        if error is not None:
            logger.error("pinyin dictionary unavailable: %s", error)
            self.status_text = self._("ime.unavailable")
            return
        self.status_text = ""
        self.composition.set_dictionary(dictionary)
        self._refresh()

    def on_target(self, _keyboard, target) -> None:
        if self._bound_target is not None:
            self._bound_target.unbind(text=self._on_target_text)
        self._bound_target = target
        self.reset()
        if target is not None:
            target.bind(text=self._on_target_text)

    def _on_target_text(self, _target, text: str) -> None:
        if not text and not self._own_edit:
            self.reset()

    # ---- typing ------------------------------------------------------------------------------------------

    def type_letter(self, letter: str) -> None:
        """A letter key: compose pinyin (中) or type the letter (英)."""
        if not self.chinese:
            self._insert(" " if letter == SEPARATOR else letter)
        elif self.composition.add(letter):
            self._refresh()

    def type_symbol(self, symbol: str) -> None:
        """A digit or punctuation mark: the best candidate first (as pinyin keyboards do), then the symbol."""
        if self.composition.letters:
            self._insert(self.composition.choose_first())
            self._refresh()
        self._insert(symbol)

    def space(self) -> None:
        """Space: type the first candidate while composing, else a space."""
        if self.composition.letters:
            self._insert(self.composition.choose_first())
            self._refresh()
        else:
            self._insert(" ")

    def backspace(self) -> None:
        """Delete a letter of the pinyin while composing, else a character of the text."""
        if self.composition.backspace():
            self._refresh()
        elif self.target is not None and self.target.text:
            self._own_edit = True
            try:
                self._cursor_to_end()
                self.target.do_backspace()
            finally:
                self._own_edit = False

    def clear(self) -> None:
        """清空: the pinyin and the whole text."""
        self.reset()
        if self.target is not None:
            self.target.text = ""

    def toggle_mode(self) -> None:
        """中 ⇄ 英; pinyin being composed is typed as its best candidate first."""
        if self.composition.letters:
            self._insert(self.composition.choose_first())
        self.chinese = not self.chinese
        self.ids.mode.text = self._mode_label()
        self._refresh()

    def _mode_label(self) -> str:
        """中 / 英 with the mode in use in bold blue."""
        theme = App.get_running_app().theme
        active = "".join(f"{round(c * 255):02x}" for c in theme.color_primary[:3])
        zh, en = self._("ime.mode.zh"), self._("ime.mode.en")
        if self.chinese:
            zh = f"[b][color=#{active}]{zh}[/color][/b]"
        else:
            en = f"[b][color=#{active}]{en}[/color][/b]"
        return f"{zh} / {en}"

    def turn(self, pages: int) -> None:
        """上一页 / 下一页 of the candidate bar."""
        self.composition.turn(pages)
        self._refresh()

    def choose(self, candidate: Candidate) -> None:
        """Type `candidate`; the pinyin it does not cover stays for the next word."""
        self._insert(self.composition.choose(candidate))
        self._refresh()

    def reset(self) -> None:
        """Forget the pinyin being composed."""
        self.composition.clear()
        self._refresh()

    def start_over(self) -> None:
        """As new for the next citizen: no pinyin, and 中 again if the last one switched to 英."""
        self.reset()
        if not self.chinese:
            self.toggle_mode()

    def on_candidate_font(self, *_args) -> None:
        self._repage()

    def candidate_width(self, text: str) -> float:
        """Width in window px of the button for a candidate (CJK characters are one font size wide each)."""
        minimum = dp(App.get_running_app().theme.min_touch_px) * 1.5
        return max(minimum, len(text) * self.candidate_font + dp(CANDIDATE_PADDING_PX))

    def _fits(self, texts) -> bool:
        """Whether candidates with these texts fit side by side on the bar, every one whole."""
        if not self._pool:
            return True
        needed = sum(self.candidate_width(t) for t in texts) + self.candidate_spacing * (len(texts) - 1)
        return needed <= self.ids.candidates.width

    def _repage(self) -> None:
        """The bar or its font changed size: measure the pages again from the first."""
        self.composition.repage()
        self._refresh()

    def _on_candidate(self, button: CandidateButton) -> None:
        if button.candidate is not None:
            self.choose(button.candidate)

    def _cursor_to_end(self) -> None:
        self.target.cursor = self.target.get_cursor_from_index(len(self.target.text))

    def _insert(self, text: str) -> None:
        if self.target is None or not text:
            return
        self._own_edit = True
        try:
            self._cursor_to_end()
            self.target.insert_text(text)
        finally:
            self._own_edit = False

    # ---- drawing -----------------------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Show the composition: letters as syllables, the current page of candidates, page keys."""
        if not self._pool:
            return
        composition = self.composition
        self.letters_text = composition.shown_letters.replace(SEPARATOR, " ")
        shown = composition.shown_candidates
        box = self.ids.candidates
        box.clear_widgets()
        for button, candidate in zip(self._pool, shown):
            button.candidate = candidate
            button.text = candidate.text
            button.font_size = self.candidate_font
            button.width = self.candidate_width(candidate.text)
            box.add_widget(button)
        for button in self._pool[len(shown):]:
            button.candidate = None
        self.has_previous = composition.has_previous_page
        self.has_next = composition.has_next_page


Factory.register("ImeKey", cls=ImeKey)
Factory.register("CandidateButton", cls=CandidateButton)
Factory.register("PinyinKeyboard", cls=PinyinKeyboard)
Builder.load_file(str(Path(__file__).with_name("keyboard.kv")))
