"""Typed pinyin letters → candidate words best first: syllable segmentation, 简拼, a partial last syllable.

Why: the kiosk has no keyboard; a citizen types pinyin on the touchscreen and picks words. Each keystroke must
answer in a couple of milliseconds on the UI thread from a dictionary loaded once off it. No Kivy here.

Matching: the letters are cut into tokens, each a full syllable (匹配 exactly), an initial such as `l` or `zh`
(matches any syllable it starts, for 简拼 like `lb` → 老板), or, at the very end, any start of a syllable
(`laob` → 老板). A word matches when its syllables match consecutive tokens from the start. Candidates that
stand for more of the letters come first, then those with fewer abbreviated syllables, then the heavier word
(corpus frequency, boosted for the kiosk's legal vocabulary at build time).
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DICT_FILE = Path("ime") / "pinyin.json"
"""Where a content pack keeps its keyboard's words: a pack that adds a flow brings the words its citizens type."""
DICT_PATH = Path(__file__).resolve().parents[2] / "content" / DICT_FILE
"""The packaged pack's dictionary (what `python -m kiosk_build.ime` writes)."""
SCHEMA = 2
SEPARATOR = "'"
"""Typed between syllables to force a cut (`xi'an` → 西安); spaces count as separators too."""
INITIALS = frozenset(("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw"))
VOWELS = frozenset("aeiouv")
MAX_SYLLABLE_LETTERS = 6
MAX_LETTERS = 40
"""Longest composition kept; beyond it letters are refused (bounds the work of one keystroke)."""
DEFAULT_LIMIT = 60
"""Candidates returned for one composition (several pages of the candidate bar)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word to offer and how many letters of the (normalised) composition it stands for, from the start."""

    text: str
    consumed: int
    abbreviated: int = 0
    """Syllables matched only through an initial or a partial syllable (0: every syllable typed in full)."""


@dataclass(frozen=True, slots=True)
class _Token:
    end: int
    text: str
    exact: bool
    """A full syllable that must match exactly; otherwise an initial or a partial last syllable (a prefix)."""


def normalise(letters: str) -> str:
    """Lower-case a–z with separators (apostrophes, spaces) collapsed to one apostrophe, none leading."""
    out: list[str] = []
    for char in letters.lower():
        if "a" <= char <= "z":
            out.append(char)
        elif char in (SEPARATOR, " ") and out and out[-1] != SEPARATOR:
            out.append(SEPARATOR)
    return "".join(out)


class PinyinDictionary:
    """Words and characters by syllable path (`lao'ban`), heaviest first; answers candidate look-ups.

    Why flat strings: the whole dictionary is two dicts of strings, which Python's garbage collector never
    traverses, so a full collection on the UI thread stays well under a millisecond (a nested trie of lists
    costs ~17 ms per collection). A node's words are unpacked only when a look-up visits it.
    """

    def __init__(self, words: dict[str, str], children: dict[str, str], total_weight: int) -> None:
        self._words = words
        """Syllable path → 'word weight word weight …', heaviest first."""
        self._children = children
        """Syllable path → 'syllable syllable …' that continue it ('' is the root)."""
        self._log_total = math.log(total_weight)
        self.syllables = frozenset(children[""].split())
        by_prefix: dict[str, list[str]] = {}
        for syllable in sorted(self.syllables):
            for length in range(1, len(syllable) + 1):
                by_prefix.setdefault(syllable[:length], []).append(syllable)
        self._by_prefix = {prefix: tuple(found) for prefix, found in by_prefix.items()}

    @classmethod
    def load(cls, path: Path = DICT_PATH) -> PinyinDictionary:
        """Read the built dictionary file (about 0.1 s: call it off the UI thread)."""
        document = json.loads(path.read_bytes())
        if document.get("schema") != SCHEMA:
            raise ValueError(f"pinyin dictionary {path} has schema {document.get('schema')}, expected {SCHEMA}")
        return cls(document["words"], document["children"], document["total_weight"])

    @staticmethod
    @lru_cache(maxsize=2)
    def of_pack(content_root: Path) -> PinyinDictionary:
        """The dictionary of the content pack under `content_root`, read once per pack and shared by every
        keyboard: the pack in force and, while a content job installs one, the next (read off the UI thread)."""
        return PinyinDictionary.load(content_root / DICT_FILE)

    def _words_at(self, path: str, limit: int) -> list[tuple[str, int]]:
        """The `limit` heaviest (word, weight) pairs spelled exactly by `path`."""
        packed = self._words.get(path)
        if not packed:
            return []
        parts = packed.split(" ", 2 * limit)[:2 * limit]
        return [(parts[i], int(parts[i + 1])) for i in range(0, len(parts), 2)]

    def entries(self) -> Iterator[tuple[tuple[str, ...], str, int]]:
        """Every (syllables, word, weight) of the dictionary (for benchmarks and checks, not per keystroke)."""
        for path, packed in self._words.items():
            parts = packed.split(" ")
            for i in range(0, len(parts), 2):
                yield tuple(path.split(SEPARATOR)), parts[i], int(parts[i + 1])

    # ---- tokens --------------------------------------------------------------------------------------------

    def _tokens_at(self, text: str, start: int) -> list[_Token]:
        """Every token that may begin at `start` (tokens never cross a separator)."""
        stop = text.find(SEPARATOR, start)
        stop = len(text) if stop < 0 else stop
        tokens = []
        for end in range(start + 1, min(stop, start + MAX_SYLLABLE_LETTERS) + 1):
            piece = text[start:end]
            if piece not in self._by_prefix:
                break
            if end == len(text):
                tokens.append(_Token(end, piece, exact=False))
            elif piece in self.syllables:
                tokens.append(_Token(end, piece, exact=True))
            elif piece in INITIALS and (end == stop or text[end] not in VOWELS) and not (
                    len(piece) == 1 and text[end] == "h" and piece in "zcs"):
                tokens.append(_Token(end, piece, exact=False))
        return tokens

    def _following(self, path: str, token: _Token) -> list[str]:
        """The paths one syllable longer than `path` whose last syllable `token` matches."""
        prefix = path + SEPARATOR if path else ""
        if token.exact:
            child = prefix + token.text
            return [child] if child in self._words or child in self._children else []
        if not path:
            return list(self._by_prefix[token.text])
        return [prefix + s for s in self._children.get(path, "").split() if s.startswith(token.text)]

    @staticmethod
    def _last_syllable(path: str) -> str:
        return path[path.rfind(SEPARATOR) + 1:]

    @staticmethod
    def _skip_separator(text: str, position: int) -> int:
        return position + 1 if position < len(text) and text[position] == SEPARATOR else position

    # ---- look-ups ------------------------------------------------------------------------------------------

    def matches(self, letters: str, limit: int = DEFAULT_LIMIT) -> list[Candidate]:
        """Words whose syllables match tokens from the start of `letters`, best first (no composed phrase)."""
        text = normalise(letters)
        best: dict[str, tuple[int, int, int]] = {}
        tokens_at: dict[int, list[_Token]] = {}

        def walk(path: str, position: int, abbreviated: int) -> None:
            if position not in tokens_at:
                tokens_at[position] = self._tokens_at(text, position)
            for token in tokens_at[position]:
                for child in self._following(path, token):
                    count = abbreviated + (self._last_syllable(child) != token.text)
                    for word, weight in self._words_at(child, limit):
                        key = (token.end, -count, weight)
                        if key > best.get(word, (-1, 0, 0)):
                            best[word] = key
                    following = self._skip_separator(text, token.end)
                    if following < len(text) and child in self._children:
                        walk(child, following, count)

        if text:
            walk("", 0, 0)
        ranked = heapq.nlargest(limit, best.items(), key=lambda item: (*item[1], item[0]))
        return [Candidate(word, key[0], -key[1]) for word, key in ranked]

    def candidates(self, letters: str, limit: int = DEFAULT_LIMIT) -> list[Candidate]:
        """`matches`, led by the likeliest phrase covering all the letters when no single word does.

        The phrase is the most probable sequence of words (unigram, by weight) whose syllables are typed in full
        (only its last syllable may be partial), so `woyaolihun` offers 我要离婚 first and 我 next.
        """
        text = normalise(letters)
        found = self.matches(text, limit)
        if not found or found[0].consumed >= len(text.rstrip(SEPARATOR)):
            return found
        phrase = self.phrase(text)
        if len(phrase) < 2:
            return found
        return [Candidate("".join(phrase), len(text)), *found][:limit]

    def phrase(self, letters: str) -> tuple[str, ...]:
        """The likeliest words spelling all the letters in full syllables (empty when there is none)."""
        text = normalise(letters)
        tokens_at: dict[int, list[_Token]] = {}

        def words_from(start: int) -> dict[int, tuple[str, int]]:
            """For each end position, the heaviest word matching whole syllables from `start` to it."""
            found: dict[int, tuple[str, int]] = {}

            def walk(path: str, position: int) -> None:
                if position not in tokens_at:
                    tokens_at[position] = self._tokens_at(text, position)
                for token in tokens_at[position]:
                    if not token.exact and token.end < len(text):
                        continue
                    for child in self._following(path, token):
                        words = self._words_at(child, 1)
                        if words and words[0][1] > found.get(token.end, ("", 0))[1]:
                            found[token.end] = words[0]
                        following = self._skip_separator(text, token.end)
                        if following < len(text) and child in self._children:
                            walk(child, following)

            walk("", start)
            return found

        @cache
        def best(position: int) -> tuple[float, tuple[str, ...]] | None:
            if position >= len(text):
                return 0.0, ()
            options = []
            for end, (word, weight) in words_from(position).items():
                rest = best(self._skip_separator(text, end))
                if rest is not None:
                    options.append((math.log(weight) - self._log_total + rest[0], (word, *rest[1])))
            return max(options) if options else None

        found = best(0) if text else None
        return found[1] if found else ()

    def segment(self, letters: str) -> list[str]:
        """The letters cut into the likeliest syllables and initials, for showing the composition."""
        text = normalise(letters)

        @cache
        def best(position: int) -> tuple[float, tuple[str, ...]]:
            if position >= len(text):
                return 0.0, ()
            options = []
            for token in self._tokens_at(text, position):
                cost, rest = best(self._skip_separator(text, token.end))
                options.append((cost + 1 + 0.5 * (not token.exact), (token.text, *rest)))
            if not options:
                tail = text[position:].replace(SEPARATOR, "")
                return float(len(tail)), (tail,)
            return min(options)

        return list(best(0)[1]) if text else []
