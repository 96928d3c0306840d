"""The kiosk's pictures by name, so elderly and low-literate citizens can find a service without reading.

The PNGs beside this module are drawn by `python -m kiosk.ui.icons.draw` and committed; the app only reads them.
"""

from __future__ import annotations

from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent
FALLBACK = "generic"
"""Shown for a flow of a newer content pack that came without its own picture."""


def icon_path(name: str) -> str:
    """The PNG of `name`: a home tile's control id, a flow id, `rating.N`, `card`, `exit`, `large_text` or
    `speaker`; a name without its own picture gets the plain paper, so a button never shows a hole."""
    path = ICON_DIR / f"{name}.png"
    return str(path if path.is_file() else ICON_DIR / f"{FALLBACK}.png")
