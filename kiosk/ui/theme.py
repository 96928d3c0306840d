"""Colours and sizes of the kiosk's look, in design pixels of the 1080x1920 panel (use `dp()` in kv).

Why: elderly and low-vision citizens need large type and large targets; one place sets them. The smallest
touch target follows the configured millimetres on the configured panel density, and never goes below it.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    # RGBA in 0..1: a calm blue of public service, high contrast on white.
    color_primary: tuple[float, float, float, float] = (0.08, 0.33, 0.65, 1)
    color_primary_dark: tuple[float, float, float, float] = (0.04, 0.22, 0.47, 1)
    color_background: tuple[float, float, float, float] = (0.96, 0.97, 0.99, 1)
    color_surface: tuple[float, float, float, float] = (1, 1, 1, 1)
    color_text: tuple[float, float, float, float] = (0.1, 0.12, 0.16, 1)
    color_text_muted: tuple[float, float, float, float] = (0.35, 0.38, 0.45, 1)
    color_on_primary: tuple[float, float, float, float] = (1, 1, 1, 1)
    color_warning: tuple[float, float, float, float] = (0.78, 0.36, 0.0, 1)


def theme_for(ui: UiConfig) -> Theme:
    """The theme with targets sized for the configured panel; buttons never fall below the minimum."""
    min_touch = ui.touch_target_mm * ui.screen_dpi / MM_PER_INCH
    defaults = Theme(min_touch_px=min_touch)
    return Theme(min_touch_px=min_touch,
                 button_height_px=max(defaults.button_height_px, min_touch),
                 tile_height_px=max(defaults.tile_height_px, min_touch))
