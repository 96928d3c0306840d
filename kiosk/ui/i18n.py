"""Citizen-facing text by key: every string on screen comes from a locale catalogue, never from code.

Why: plain-language wording is reviewed by legal staff in one file, and another language (a minority
language, English for foreign residents) is a new catalogue, not a code change.
"""

from __future__ import annotations

import logging
from importlib import resources

import yaml

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "zh_CN"


def load_catalogue(language: str) -> dict[str, str]:
    """The flat key → text mapping of a packaged locale file."""
    text = resources.files("kiosk.ui.locales").joinpath(f"{language}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml: ~7x faster
    return {str(k): str(v) for k, v in data.items()}


class Translator:
    """Looks texts up by key and fills `{name}` placeholders; a missing key shows the key and is logged once."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self._catalogue = load_catalogue(language)
        self._reported: set[str] = set()

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
