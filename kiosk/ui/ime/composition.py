"""The letters being typed, their candidates in pages, and choosing one (which keeps the letters left over).

Why: the keyboard widget only draws this state and forwards taps, so typing behaviour is tested without Kivy.
"""

from __future__ import annotations

from kiosk.ui.ime.engine import MAX_LETTERS, SEPARATOR, Candidate, PinyinDictionary, normalise

PAGE_SIZE = 6
"""Candidates shown at once on the candidate bar (each a big button)."""


class Composition:
    """Pinyin being composed; `dictionary` may arrive later (it loads off the UI thread)."""

    def __init__(self, dictionary: PinyinDictionary | None = None, page_size: int = PAGE_SIZE) -> None:
        self.dictionary = dictionary
        self.page_size = page_size
        self.letters = ""
        self.page = 0
        self._candidates: list[Candidate] | None = None

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
        self.page = 0
        self._candidates = None

    # ---- candidates ----------------------------------------------------------------------------------------

    @property
    def candidates(self) -> list[Candidate]:
        """Every candidate for the letters, best first (empty while the dictionary is loading)."""
        if self._candidates is None:
            ready = self.dictionary is not None and self.letters
            self._candidates = self.dictionary.candidates(self.letters) if ready else []
        return self._candidates

    @property
    def shown_candidates(self) -> list[Candidate]:
        """The candidates of the current page."""
        start = self.page * self.page_size
        return self.candidates[start:start + self.page_size]

    @property
    def has_previous_page(self) -> bool:
        return self.page > 0

    @property
    def has_next_page(self) -> bool:
        return (self.page + 1) * self.page_size < len(self.candidates)

    def turn(self, pages: int) -> None:
        """Move `pages` pages forward (negative: back), staying within the candidates."""
        last = max(0, (len(self.candidates) - 1) // self.page_size)
        self.page = min(last, max(0, self.page + pages))

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
