"""The letters being typed, their candidates in pages, and choosing one (which keeps the letters left over).

Why: the keyboard widget only draws this state and forwards taps, so typing behaviour is tested without Kivy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kiosk.ui.ime.engine import MAX_LETTERS, SEPARATOR, Candidate, PinyinDictionary, normalise

PAGE_SIZE = 6
"""Most candidates shown at once on the candidate bar (each a big button); fewer when long ones would not fit."""


def fit_all(_texts: Sequence[str]) -> bool:
    """Without a measure of the bar, every page holds `page_size` candidates."""
    return True


class Composition:
    """Pinyin being composed; `dictionary` may arrive later (it loads off the UI thread).

    `fits(texts)` says whether candidates with these texts fit on the candidate bar side by side; the keyboard
    measures its bar, so a page never holds a candidate the citizen cannot see whole.
    """

    def __init__(self, dictionary: PinyinDictionary | None = None, page_size: int = PAGE_SIZE,
                 fits: Callable[[Sequence[str]], bool] = fit_all) -> None:
        self.dictionary = dictionary
        self.page_size = page_size
        self.fits = fits
        self.letters = ""
        self.page = 0
        self._candidates: list[Candidate] | None = None
        self._starts = [0]
        """Index of the first candidate of each page reached so far (pages differ in length)."""

    # ---- editing -------------------------------------------------------------------------------------------

    def set_dictionary(self, dictionary: PinyinDictionary) -> None:
        self.dictionary = dictionary
        self._changed()

    def add(self, letter: str) -> bool:
        """Append a letter (or a separator); False when refused (not a letter, or too long)."""
        letters = normalise(self.letters + letter)
        if letters == self.letters or len(letters) > MAX_LETTERS:
            return False
        self.letters = letters
        self._changed()
        return True

    def backspace(self) -> bool:
        """Remove the last letter; False when there was none (the keyboard then deletes in the text)."""
        if not self.letters:
            return False
        self.letters = self.letters[:-1]
        self._changed()
        return True

    def clear(self) -> None:
        self.letters = ""
        self._changed()

    def _changed(self) -> None:
        self._candidates = None
        self.repage()

    def repage(self) -> None:
        """Back to the first page and measure the pages again (the bar changed size, or the candidates)."""
        self.page = 0
        self._starts = [0]

    # ---- candidates ----------------------------------------------------------------------------------------

    @property
    def candidates(self) -> list[Candidate]:
        """Every candidate for the letters, best first (empty while the dictionary is loading)."""
        if self._candidates is None:
            ready = self.dictionary is not None and self.letters
            self._candidates = self.dictionary.candidates(self.letters) if ready else []
        return self._candidates

    def _page_end(self, start: int) -> int:
        """End (exclusive) of the page starting at `start`: as many as fit, at least one, at most page_size."""
        texts = [c.text for c in self.candidates[start:start + self.page_size]]
        end = min(1, len(texts))
        while end < len(texts) and self.fits(texts[:end + 1]):
            end += 1
        return start + end

    @property
    def shown_candidates(self) -> list[Candidate]:
        """The candidates of the current page."""
        start = self._starts[self.page]
        return self.candidates[start:self._page_end(start)]

    @property
    def has_previous_page(self) -> bool:
        return self.page > 0

    @property
    def has_next_page(self) -> bool:
        return self._page_end(self._starts[self.page]) < len(self.candidates)

    def turn(self, pages: int) -> None:
        """Move `pages` pages forward (negative: back), staying within the candidates."""
        target = max(0, self.page + pages)
        while len(self._starts) <= target:
            end = self._page_end(self._starts[-1])
            if end >= len(self.candidates):
                break
            self._starts.append(end)
        self.page = min(target, len(self._starts) - 1)

    def choose(self, candidate: Candidate) -> str:
        """The text to insert for `candidate`; its letters leave the composition and the rest stays."""
        self.letters = self.letters[candidate.consumed:].lstrip(SEPARATOR)
        self._changed()
        return candidate.text

    def choose_first(self) -> str:
        """Space: the best candidate's text, or the letters as typed when nothing matches them."""
        if self.candidates:
            return self.choose(self.candidates[0])
        text = self.letters.replace(SEPARATOR, "")
        self.clear()
        return text

    @property
    def shown_letters(self) -> str:
        """The letters as syllables (`lao'ban'tuo`), the way the composition line shows them."""
        if self.dictionary is None:
            return self.letters
        return SEPARATOR.join(self.dictionary.segment(self.letters))
