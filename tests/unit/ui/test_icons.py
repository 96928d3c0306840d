"""Every home tile, flow, rating level and shared symbol has its own picture, drawn by our own module."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from kiosk.legal.loader import load_pack
from kiosk.ui.icons import FALLBACK, ICON_DIR, icon_path
from kiosk.ui.icons.draw import ICONS, PICTURES, render

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"
SYMBOLS = ("card", "exit", "large_text", "speaker")


@pytest.fixture
def screens(monkeypatch, tmp_path):
    """The home and rating screen modules, importing Kivy quietly with its home in tmp_path (not ~/.kivy)."""
    for name, value in (("KIVY_HOME", str(tmp_path)), ("KIVY_NO_ARGS", "1"), ("KIVY_NO_CONSOLELOG", "1"),
                        ("KIVY_NO_FILELOG", "1"), ("KIVY_LOG_MODE", "PYTHON")):
        monkeypatch.setenv(name, value)
    from kiosk.ui.screens import home, rating

    return home, rating


def _own_picture(name: str) -> bool:
    return Path(icon_path(name)) == ICON_DIR / f"{name}.png" and (ICON_DIR / f"{name}.png").is_file()


def test_every_home_tile_and_rating_level_of_the_screens_has_its_picture(screens):
    home, rating = screens
    names = [tile.control for tile in home.TILES] + [f"rating.{level}" for level in rating.LEVELS]
    assert len(names) == 13
    assert [name for name in names if not _own_picture(name)] == []


def test_every_flow_of_the_content_pack_and_each_symbol_has_its_picture():
    flows = list(load_pack(CONTENT_ROOT, with_library=False).flows)
    names = flows + list(SYMBOLS)
    assert len(flows) == 20
    assert [name for name in names if not _own_picture(name)] == []


def test_a_name_without_a_picture_gets_the_plain_one():
    assert icon_path("a_topic_of_a_newer_pack") == str(ICON_DIR / f"{FALLBACK}.png")


@pytest.mark.parametrize("path", sorted(ICON_DIR.glob("*.png")), ids=lambda p: p.stem)
def test_every_picture_is_square_with_a_transparent_background(path):
    with Image.open(path) as image:
        assert image.mode == "RGBA"
        assert image.width == image.height >= 256
        corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)]
        assert [image.getpixel(corner)[3] for corner in corners] == [0, 0, 0, 0]
        assert image.getchannel("A").getextrema() == (0, 255)


def test_the_drawing_module_draws_exactly_the_committed_pictures_at_their_sizes():
    committed = {path.stem: path for path in ICON_DIR.glob("*.png")}
    assert sorted(committed) == sorted([*ICONS, *PICTURES])
    for name, path in committed.items():
        with Image.open(path) as image:
            assert render(name).size == image.size, name
