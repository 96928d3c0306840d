"""The shipped pinyin dictionary, loaded once for the IME tests."""

import pytest

from kiosk.ui.ime.engine import PinyinDictionary


@pytest.fixture(scope="session")
def dictionary() -> PinyinDictionary:
    return PinyinDictionary.load()
