"""Every text the keyboard shows comes from the zh_CN catalogue under `ime.`."""

import re
from pathlib import Path

from kiosk.ui.i18n import Translator

IME_DIR = Path(__file__).resolve().parents[3] / "kiosk" / "ui" / "ime"


def test_every_ime_key_used_by_the_keyboard_exists():
    used = set()
    for path in [IME_DIR / "keyboard.py", IME_DIR / "keyboard.kv"]:
        used |= set(re.findall(r'"(ime\.[a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert len(used) >= 12
    assert used <= Translator("zh_CN").keys()


def test_punctuation_keys_are_chinese_marks():
    assert Translator("zh_CN")("ime.punctuation") == "，。？"
