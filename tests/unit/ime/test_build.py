"""The shipped dictionary is exactly what the build makes from the pinned packages and today's content."""

import hashlib
import json
from importlib import metadata

import pytest

from kiosk.ui.ime.engine import DICT_PATH

MAX_FILE_BYTES = 5_000_000


def test_shipped_file_is_small_and_complete():
    data = DICT_PATH.read_bytes()
    assert len(data) <= MAX_FILE_BYTES
    counts = json.loads(data)["counts"]
    assert counts["chars"] >= 6763 and 30_000 <= counts["words"] <= 60_000


def test_shipped_file_equals_a_fresh_build():
    pytest.importorskip("pypinyin")
    pytest.importorskip("jieba")
    from kiosk_build.ime import build_bytes

    sources = json.loads(DICT_PATH.read_bytes())["sources"]
    installed = {name: metadata.version(name) for name in sources}
    if installed != sources:
        pytest.skip(f"build packages {installed} differ from the pinned {sources}")
    fresh, shipped = build_bytes(), DICT_PATH.read_bytes()
    # compare digests: pytest's diff of two 1.7 MB byte strings takes minutes
    assert hashlib.sha256(fresh).hexdigest() == hashlib.sha256(shipped).hexdigest(), (
        "stale: run python -m kiosk_build.ime (the flows' vocabulary changed)")
