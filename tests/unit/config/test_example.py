"""The committed example configuration is exactly what the schema generates, and it validates."""

from pathlib import Path

from kiosk.config.example import render_example
from kiosk.config.loader import check_file

EXAMPLE = Path(__file__).resolve().parents[3] / "config" / "kiosk.example.toml"


def test_example_is_up_to_date():
    assert EXAMPLE.read_text(encoding="utf-8") == render_example(), (
        "config/kiosk.example.toml is stale: run `kiosk config example -o config/kiosk.example.toml`")


def test_example_validates():
    check_file(EXAMPLE)
