"""Every message a refused answer names is in the locale catalogue, with the placeholders the code fills."""

import re
from pathlib import Path

from kiosk.ui.i18n import Translator

ROOT = Path(__file__).resolve().parents[3]
RAISED = re.compile(r'AnswerError\("([a-z_.]+)"((?:, \w+=[^,)]+)*)\)')


def test_every_answer_error_key_exists_and_formats():
    translate = Translator("zh_CN")
    found = {}
    for source in ("kiosk/legal/answers.py", "kiosk/cli/consult.py"):
        for key, params in RAISED.findall((ROOT / source).read_text(encoding="utf-8")):
            found[key] = re.findall(r"(\w+)=", params)
    assert len(found) == 11
    for key, params in found.items():
        text = translate(key, **{name: "9" for name in params})
        assert text != key and "{" not in text, key
