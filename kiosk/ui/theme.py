"""Colours and sizes of the kiosk's look, in design pixels of the 1080x1920 panel (use `dp()` in kv).

Why: elderly and low-vision citizens need large type and large targets; one place sets them. The smallest
touch target follows the configured millimetres on the configured panel density, and never goes below it.
长辈模式 (elderly mode) is a second theme: larger text and targets, fewer items per row, higher contrast. The
app swaps `app.theme` for the session through kiosk.ui.restyle (kv rules read `app.theme.NAME`; they re-run a
slice of each frame at a time, the page on the screen first).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.config.schema import UiConfig

MM_PER_INCH = 25.4


@dataclass(frozen=True, slots=True)
class Theme:
    """Values kv rules read as `app.theme.NAME`."""

    min_touch_px: float
    """Smallest touch target edge in design pixels (≥ ui.touch_target_mm on the panel)."""
    button_height_px: float = 150.0
    tile_height_px: float = 300.0
    font_title_px: float = 64.0
    font_body_px: float = 44.0
    font_hint_px: float = 32.0
    margin_px: float = 48.0
    spacing_px: float = 32.0
    list_columns: int = 2
    """Columns of a list of big buttons (topics): fewer items per row in 长辈模式."""
    bar_height_px: float = 110.0
    """Height of the citizen bar at the top (快速离开, 大字, 朗读)."""
    # RGBA in 0..1: a calm blue of public service, high contrast on white.
    color_primary: tuple[float, float, float, float] = (0.08, 0.33, 0.65, 1)
    color_primary_dark: tuple[float, float, float, float] = (0.04, 0.22, 0.47, 1)
    color_background: tuple[float, float, float, float] = (0.96, 0.97, 0.99, 1)
    color_surface: tuple[float, float, float, float] = (1, 1, 1, 1)
    color_text: tuple[float, float, float, float] = (0.1, 0.12, 0.16, 1)
    color_text_muted: tuple[float, float, float, float] = (0.35, 0.38, 0.45, 1)
    color_on_primary: tuple[float, float, float, float] = (1, 1, 1, 1)
    color_warning: tuple[float, float, float, float] = (0.78, 0.36, 0.0, 1)


ELDERLY_SCALE = 1.3
"""长辈模式 text and targets are this many times the normal size (a 32 px hint becomes 42 px)."""


def theme_for(ui: UiConfig, *, elderly: bool = False) -> Theme:
    """The theme with targets sized for the configured panel (never below the minimum); `elderly` gives 长辈模式."""
    min_touch = ui.touch_target_mm * ui.screen_dpi / MM_PER_INCH
    normal = Theme(min_touch_px=min_touch)
    scale = ELDERLY_SCALE if elderly else 1.0
    base = replace(normal, min_touch_px=min_touch * scale,
                   button_height_px=max(normal.button_height_px, min_touch) * scale,
                   tile_height_px=max(normal.tile_height_px, min_touch) * scale,
                   font_title_px=normal.font_title_px * scale, font_body_px=normal.font_body_px * scale,
                   font_hint_px=normal.font_hint_px * scale, bar_height_px=normal.bar_height_px * scale)
    if not elderly:
        return base
    return replace(base, list_columns=1, color_primary=(0.02, 0.2, 0.48, 1), color_primary_dark=(0.0, 0.12, 0.32, 1),
                   color_background=(1, 1, 1, 1), color_text=(0, 0, 0, 1), color_text_muted=(0.12, 0.13, 0.16, 1),
                   color_warning=(0.62, 0.2, 0.0, 1))
