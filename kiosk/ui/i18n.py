"""Citizen-facing text by key: every string on screen comes from a locale catalogue, never from code.

Why: plain-language wording is reviewed by legal staff in one file, and another language (a minority
language, English for foreign residents) is a new catalogue, not a code change.
"""

from __future__ import annotations

import json
import logging
from importlib import resources

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"


def load_catalogue(language: str) -> dict[str, str]:
    """The flat key → text mapping of a packaged locale file."""
    text = resources.files("kiosk.ui.locales").joinpath(f"{language}.yaml").read_text(encoding="utf-8")
    return parse_catalogue(text)


def parse_catalogue(text: str) -> dict[str, str]:
    """A locale file's `key: text` lines (`#` comments; a text plain, or double-quoted with `\n` escapes).

    Why not PyYAML: the catalogue is read before the first frame, where importing PyYAML and reading with its C
    loader took 13-21 ms against 0.3 ms for this reader (`python -m tests.bench.startup`, five runs, figure
    `library_alternatives.locale_pyyaml`), while `kiosk run` already came up at 1.7-2.4x a bare Kivy window
    against the budget's 1.5x, so the budget left nothing to add. The files are flat YAML of this one shape; a
    test checks that this reading equals a YAML parser's.
    """
    catalogue: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, separator, value = stripped.partition(": ")
        if not separator or not key:
            raise ValueError(f"locale line {number}: expected `key: text`, got {stripped[:40]!r}")
        catalogue[key] = json.loads(value) if value.startswith('"') else value
    return catalogue


class Translator:
    """Looks texts up by key and fills `{name}` placeholders; a missing key shows the key and is logged once."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._loaded: dict[str, str] | None = None
        self._reported: set[str] = set()

    @property
    def _catalogue(self) -> dict[str, str]:
        """The catalogue, read at the first lookup (so building the object graph reads no file)."""
        if self._loaded is None:
            self._loaded = load_catalogue(self.language)
        return self._loaded

    def __call__(self, key: str, **params: object) -> str:
        text = self._catalogue.get(key)
        if text is None:
            if key not in self._reported:
                self._reported.add(key)
                logger.warning("i18n: missing key %s for %s", key, self.language)
            return key
        return text.format(**params) if params else text

    def keys(self) -> frozenset[str]:
        """Every key of the catalogue (tests check that code and kv use only existing keys)."""
        return frozenset(self._catalogue)
