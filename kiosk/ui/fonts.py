"""Finding a CJK font: Chinese must render on every screen, so a missing font is a start-up error."""

from __future__ import annotations

from pathlib import Path

KNOWN_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
)
"""Debian paths of fonts-wqy-zenhei, fonts-wqy-microhei and fonts-noto-cjk, in order of preference."""


def find_cjk_font(configured: str = "") -> Path:
    """The configured font if set, else the first known CJK font present; raises FileNotFoundError."""
    candidates = (configured,) if configured else KNOWN_CJK_FONTS
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FileNotFoundError(f"no CJK font found (tried {', '.join(candidates)}); install fonts-wqy-zenhei")
