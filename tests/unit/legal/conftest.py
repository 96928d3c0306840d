"""Shared fixtures of the consultation tests: the shipped content pack, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.legal.flow import ContentPack
from kiosk.legal.loader import load_pack
from kiosk.ui.i18n import Translator

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"
PARAMS = {"hardship_income": 1200.0, "other_injuries_listed": False}
TEXTS = Translator()
"""One catalogue for every interview of the tests, as the kiosk shares one (read once, not per interview)."""


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(CONTENT_ROOT)
