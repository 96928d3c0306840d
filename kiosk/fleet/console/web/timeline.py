"""The terminal page's health history (`history` samples) as pieces an inline SVG draws: strips of states, lines
of figures, and the list of what changed when.

Why inline SVG computed here: the console must work offline on any office browser, so no chart library or CDN for
a few sparklines; the page template only places rectangles and polylines whose coordinates come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.fleet.console import history
from kiosk.fleet.console.alerts import when
from kiosk.fleet.console.web.queries import PAPER_NAMES

WIDTH, HEIGHT = 720, 36
"""The drawing's coordinate box (viewBox units); the page scales it to its width."""
PERIOD_DAYS = (1, 7, 30)
"""The history periods the page offers."""
CHANGES_SHOWN = 60


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    w: float
    kind: str
    """up, part, down or none: how the page colours it."""
    title: str


def _x(at_ms: int, since_ms: int, until_ms: int) -> float:
    return round((at_ms - since_ms) / (until_ms - since_ms) * WIDTH, 1)


def _presence(sample: dict) -> tuple[str, str]:
    if sample["samples"] == 1:
        return ("up", "在线") if sample["online"] else ("down", "离线")
    kind = "up" if sample["online"] == sample["samples"] else "down" if not sample["online"] else "part"
    return kind, f"在线 {sample['online']}/{sample['samples']} 次采样"


def _paper(sample: dict) -> tuple[str, str]:
    state = sample["paper"]
    if state is None:
        return "none", "未报告"
    return ("up" if state == "ok" else "part" if state == "near_end" else "down"), PAPER_NAMES.get(state, state)


def _faults(sample: dict) -> tuple[str, str]:
    return ("down", "故障 " + sample["faults"]) if sample["faults"] else ("up", "无故障")


STRIPS: tuple[tuple[str, Callable[[dict], tuple[str, str]]], ...] = (
    ("在线", _presence), ("纸张", _paper), ("设备故障", _faults))
"""Each state strip: its label and how a sample reads (bar kind, tooltip)."""
LINES: tuple[tuple[str, Callable[[dict], float | None], str], ...] = (
    ("积压（条）", lambda s: s["backlog"], "{:.0f}"),
    ("时钟偏差（秒）", lambda s: None if s["clock_offset_ms"] is None else abs(s["clock_offset_ms"]) / 1000, "{:.1f}"))
"""Each figure line: its label, the sample's value (None: unknown) and how its largest value is written."""


def _bar(sample: dict, since_ms: int, until_ms: int, read: Callable[[dict], tuple[str, str]]) -> Bar:
    x = _x(sample["at_ms"], since_ms, until_ms)
    kind, title = read(sample)
    return Bar(x, max(0.5, _x(sample["at_ms"] + sample["span_ms"], since_ms, until_ms) - x), kind,
               f"{when(sample['at_ms'])} {title}")


def strips(samples: list[dict], since_ms: int, until_ms: int) -> list[tuple[str, list[Bar]]]:
    """Per state strip, one bar per sample across the period (at least half a unit wide, so each shows)."""
    return [(label, [_bar(s, since_ms, until_ms, read) for s in samples]) for label, read in STRIPS]


def lines(samples: list[dict], since_ms: int, until_ms: int) -> list[tuple[str, list[str], str]]:
    """Per figure, its polylines (a break wherever a sample is missing or unknown) as SVG point lists, and its
    largest value written out."""
    drawn = []
    for label, value, style in LINES:
        known = [(s, value(s)) for s in samples]
        top = max((v for _s, v in known if v is not None), default=0) or 1
        segments: list[list[str]] = []
        previous_end = None
        for sample, v in known:
            if v is None:
                previous_end = None
                continue
            if previous_end != sample["at_ms"]:
                segments.append([])
            x = _x(sample["at_ms"] + sample["span_ms"] // 2, since_ms, until_ms)
            segments[-1].append(f"{x},{round(HEIGHT - 2 - v / top * (HEIGHT - 4), 1)}")
            previous_end = sample["at_ms"] + sample["span_ms"]
        largest = max((v for _s, v in known if v is not None), default=None)
        drawn.append((label, [" ".join(points) for points in segments],
                      "—" if largest is None else style.format(largest)))
    return drawn


def changes(samples: list[dict]) -> list[dict]:
    """The samples where presence, paper, faults or a version changed from the one before (the first always),
    newest first, with their readings."""
    shown, before = [], None
    for sample in samples:
        readings = {"presence": _presence(sample)[1], "paper": _paper(sample)[1], "faults": sample["faults"] or "无",
                    "sw": sample["sw"] or "—", "config": f"{sample['applied_version']}/{sample['desired_version'] or 0}",
                    "content": sample["content_version"] or "—"}
        if readings != before:
            shown.append({"at_ms": sample["at_ms"], "span_ms": sample["span_ms"], **readings})
        before = readings
    return shown[::-1][:CHANGES_SHOWN]


def period(days_param: str | None) -> int:
    """The days of history asked for (one of PERIOD_DAYS, the first when none or another is asked)."""
    return int(days_param) if days_param in {str(d) for d in PERIOD_DAYS} else PERIOD_DAYS[0]


def view(samples: list[dict], days: int, now_ms: int) -> dict:
    """Everything the page draws for the last `days` days up to `now_ms`."""
    since = now_ms - days * 86_400_000
    return {"days": days, "periods": PERIOD_DAYS, "strips": strips(samples, since, now_ms),
            "lines": lines(samples, since, now_ms), "changes": changes(samples), "width": WIDTH, "height": HEIGHT,
            "samples": len(samples), "fine_days": history.FINE_KEPT_MS // 86_400_000}
