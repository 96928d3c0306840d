"""Opinion line-breaking benchmark: how long the Chinese line breaking of the longest example opinion takes.

Run `python -m tests.bench.opinion_wrap`; prints one JSON object. Every flow's example opinion (and the hand-made
specimen) is laid out by kiosk.ui.opinion_text; the one with the most characters is broken into lines at the
full panel's body width, each paragraph in the font and size the screen gives its kind, with the statutes
unfolded (the most the screen ever breaks). `cold_ms`: a fresh process's first opinion (font widths not yet
remembered); `warm_ms`: every later opinion (median of runs). Also the part the screen breaks when it opens
(statutes folded). The budget is a frame or two of a 60 Hz display (16.7 ms a frame) on a slow board.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from datetime import datetime

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # Kivy would swallow our traceback otherwise
os.environ.setdefault("KIVY_METRICS_DENSITY", "1")

from kivy.core.text import LabelBase  # noqa: E402  (after Kivy's environment)

from kiosk.config.schema import UiConfig  # noqa: E402
from kiosk.legal.examples import SPECIMENS, build_example_opinion  # noqa: E402
from kiosk.legal.loader import load_pack  # noqa: E402
from kiosk.legal.service import DEFAULT_CONTENT_ROOT  # noqa: E402
from kiosk.ui.cjk_label import HANG_MARK, font_measure  # noqa: E402
from kiosk.ui.cjk_wrap import break_lines  # noqa: E402
from kiosk.ui.fonts import find_cjk_font  # noqa: E402
from kiosk.ui.i18n import Translator  # noqa: E402
from kiosk.ui.opinion_text import Emphasis, Part, opinion_sections  # noqa: E402
from kiosk.ui.theme import theme_for  # noqa: E402

PANEL_WIDTH_PX = 1080
BODY_PADDING_PX = 32
"""opinion.kv: the scrolled body's left and right padding."""
RUNS = 20


def _sizes() -> dict[Emphasis | None, tuple[float, bool]]:
    """Font size (px at the full panel) and boldness of each kind of paragraph (None: a heading), as opinion.kv
    sets them."""
    theme = theme_for(UiConfig())
    body = theme.font_hint_px * 1.15
    return {None: (theme.font_body_px, True), Emphasis.STRONG: (body, True), Emphasis.BODY: (body, False),
            Emphasis.DATE: (theme.font_title_px, True), Emphasis.QUIET: (theme.font_hint_px, False)}


def _break_all(paragraphs, width: float, sizes) -> int:
    """Break every (text, emphasis) paragraph as a CjkLabel does; returns the number of lines."""
    lines = 0
    for text, emphasis in paragraphs:
        size, bold = sizes[emphasis]
        measure = font_measure("KioskCJK", size, bold)
        hang = measure(HANG_MARK)
        lines += len(break_lines(text, width - hang, measure, hang=hang))
    return lines


def _timed_ms(paragraphs, width: float, sizes, *, cold: bool) -> float:
    if cold:
        font_measure.cache_clear()
    start = time.perf_counter()
    _break_all(paragraphs, width, sizes)
    return (time.perf_counter() - start) * 1000


def main() -> dict:
    LabelBase.register("KioskCJK", str(find_cjk_font()))
    tr = Translator()
    theme = theme_for(UiConfig())
    width = PANEL_WIDTH_PX - 2 * theme.margin_px - 2 * BODY_PADDING_PX
    issued = datetime(2026, 6, 1, 10, 0)
    names = [*sorted(load_pack(DEFAULT_CONTENT_ROOT).flows), *SPECIMENS]
    docs = {name: opinion_sections(build_example_opinion(name, kiosk_id="dev-0001", issued_at=issued), tr)
            for name in names}

    def paragraphs(name: str, *, folded: bool) -> list[tuple[str, Emphasis | None]]:
        return [(s.heading, None) for s in docs[name] if s.heading and s.part is not Part.LAW] + [
            (p.text, p.emphasis) for s in docs[name] if not (folded and s.part is Part.LAW) for p in s.paragraphs]

    longest = max(names, key=lambda name: sum(len(text) for text, _ in paragraphs(name, folded=False)))
    everything, opened = paragraphs(longest, folded=False), paragraphs(longest, folded=True)
    sizes = _sizes()
    cold = _timed_ms(everything, width, sizes, cold=True)
    warm = statistics.median(_timed_ms(everything, width, sizes, cold=False) for _ in range(RUNS))
    opened_cold = _timed_ms(opened, width, sizes, cold=True)
    opened_warm = statistics.median(_timed_ms(opened, width, sizes, cold=False) for _ in range(RUNS))
    return {"opinion": longest, "characters": sum(len(text) for text, _ in everything),
            "paragraphs": len(everything), "lines": _break_all(everything, width, sizes), "width_px": width,
            "cold_ms": round(cold, 2), "warm_ms": round(warm, 2),
            "opened_characters": sum(len(text) for text, _ in opened),
            "opened_cold_ms": round(opened_cold, 2), "opened_warm_ms": round(opened_warm, 2),
            "frame_ms": round(1000 / 60, 1)}


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
