"""The bureau's figures from the console store: a table by region, kiosk, topic or special group, as CSV or PNG.

Why: the city's report counts terminal clicks, smart-consultation visits and consultations, opinions issued,
legal-aid pre-checks by special group and satisfaction, per period, and beside them how the law library and the
普法 cards were used (searches, articles read and printed, cards read); nobody should count by hand. Periods are
China Standard Time calendar days on the server-corrected event time, read from the per-day counts the store
keeps as it ingests (`daily_counts`), so a year's report does not walk every event.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Integer, and_, cast, func, select
from PIL import Image, ImageDraw, ImageFont

from kiosk.fleet.catalogue import SPECIAL_GROUPS
from kiosk.fleet.console.dialect import json_text
from kiosk.fleet.console.schema import daily_counts

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

GROUP_NAMES = dict(zip(SPECIAL_GROUPS, ("农民工", "妇女", "老年人", "未成年人", "残疾人", "军人军属", "无")))

USAGE_COLUMNS = (("终端点击", "ui.tap"), ("智能咨询访问", "consult.started"), ("智能咨询", "consult.completed"),
                 ("出具法律意见书", "opinion.generated"), ("打印意见书", "opinion.printed"),
                 ("法律援助预审", "legal_aid.precheck"), ("法律援助预申请", "legal_aid.applied"),
                 ("评价次数", "satisfaction"), ("法律法规查询", "library.search"), ("查看法条", "library.article"),
                 ("打印法条", "library.printed"), ("普法学习", "pufa.read"))
TOPIC_KINDS = frozenset({"consult.started", "consult.completed", "opinion.generated", "opinion.printed",
                         "satisfaction", "pufa.read"})
"""Events that carry a topic (a rating does when it follows a consultation); taps and pre-checks never do, so a
table by topic leaves them out rather than show a column of zeros."""
PRECHECK_RESULTS = (("可能符合", "likely"), ("需进一步审查", "possible"), ("不符合", "unlikely"), ("转人工", "referral"))
_DATA = daily_counts.c.data
KEYS = {"region": daily_counts.c.region, "kiosk": daily_counts.c.kid, "topic": json_text(_DATA, "topic"),
        "group": json_text(_DATA, "group")}
CHART_COLUMNS = 5
"""Metrics drawn in the chart (the first columns of the table)."""
_FIRST_DAY = date(1970, 1, 1)


@dataclass(frozen=True, slots=True)
class Table:
    """A rendered report: title, header and rows (the last row is the total)."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple]


def _day_number(day: date) -> int:
    """The store's day number (`daily_counts.day`): days since 1970-01-01, China Standard Time."""
    return (day - _FIRST_DAY).days


def _label(names: Mapping[str, str], key: str | None) -> str:
    return "（无）" if key is None else names.get(key, key)


def build(c: Connection, first: date, last: date, by: str,
          topic_names: Mapping[str, str] | None = None) -> Table:
    """Count the period's events grouped `by` region, kiosk, topic or group. A topic is named as `topic_names`
    (a content pack's `topics:`) names it, else by its id: a pack the console has not seen may add topics."""
    names = {"topic": topic_names or {}, "group": GROUP_NAMES}.get(by, {})
    days = (_day_number(first), _day_number(last))
    title = f"公共法律服务智能终端统计 {first.isoformat()} 至 {last.isoformat()}"
    if by == "group":
        counts: dict[str, dict[str, int]] = {}
        applied: dict[str, int] = {}
        group, result = KEYS["group"], json_text(_DATA, "result")
        for key, kind, result, n in c.execute(
                select(group, daily_counts.c.kind, result, func.sum(daily_counts.c.n))
                .where(daily_counts.c.kind.in_(("legal_aid.precheck", "legal_aid.applied")),
                       daily_counts.c.day.between(*days))
                .group_by(group, daily_counts.c.kind, result)):
            if kind == "legal_aid.applied":
                applied[key] = applied.get(key, 0) + n
            else:
                counts.setdefault(key, {})[result] = n
        header = ("特殊群体", "法律援助预审", *(name for name, _ in PRECHECK_RESULTS), "法律援助预申请")
        rows = [(_label(names, key), sum(counts.get(key, {}).values()),
                 *(counts.get(key, {}).get(r, 0) for _, r in PRECHECK_RESULTS), applied.get(key, 0))
                for key in sorted(counts.keys() | applied.keys(), key=lambda k: SPECIAL_GROUPS.index(k)
                                  if k in SPECIAL_GROUPS else len(SPECIAL_GROUPS))]
    else:
        columns = [(name, kind) for name, kind in USAGE_COLUMNS if by != "topic" or kind in TOPIC_KINDS]
        kinds = [kind for _, kind in columns]
        grouped: dict[str | None, dict[str, int]] = {}
        satisfied: dict[str | None, int] = {}
        satisfying = and_(daily_counts.c.kind == "satisfaction", cast(json_text(_DATA, "level"), Integer) >= 4)
        for key, kind, n, good in c.execute(
                select(KEYS[by], daily_counts.c.kind, func.sum(daily_counts.c.n),
                       func.sum(daily_counts.c.n).filter(satisfying))
                .where(daily_counts.c.day.between(*days), daily_counts.c.kind.in_(kinds))
                .group_by(KEYS[by], daily_counts.c.kind)):
            grouped.setdefault(key, {})[kind] = n
            satisfied[key] = satisfied.get(key, 0) + (good or 0)
        header = ({"region": "区域", "kiosk": "终端", "topic": "咨询主题"}[by],
                  *(name for name, _ in columns), "满意率")
        rows = []
        if by == "topic":
            grouped.pop(None, None)
        for key in sorted(grouped, key=lambda k: (k is None, k or "")):
            counted = grouped[key]
            ratings = counted.get("satisfaction", 0)
            rate = f"{100 * satisfied[key] / ratings:.1f}%" if ratings else "—"
            rows.append((_label(names, key), *(counted.get(kind, 0) for kind in kinds), rate))
    totals = tuple(sum(row[i] for row in rows) for i in range(1, len(header) - (by != "group")))
    total_row = ("合计", *totals) + (() if by == "group" else ("",))
    return Table(title, header, rows + [total_row])


def to_csv(table: Table) -> str:
    """CSV with a UTF-8 BOM so the bureau's spreadsheet opens the Chinese header correctly."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows(table.rows)
    return out.getvalue()


PALETTE = ("#1f5fa8", "#e07b00", "#2e9e44", "#c0392b", "#7d4fb0")


def _tick_step(peak: float) -> float:
    """A round axis step (1, 2 or 5 times a power of ten; whole counts) giving at most five gridlines to `peak`."""
    magnitude = 10 ** math.floor(math.log10(peak / 4)) if peak >= 4 else 1
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * 5 >= peak)


def to_png(table: Table, path: Path) -> None:
    """A grouped bar chart of the first metrics per row (totals left out), with the CJK font."""
    rows = table.rows[:-1]
    series = list(range(1, min(len(table.header), 1 + CHART_COLUMNS)))
    width, height, left, top, bottom = 1400, 800, 90, 110, 170
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    title_font, font = ImageFont.truetype(FONT_PATH, 30), ImageFont.truetype(FONT_PATH, 18)
    draw.text((left, 25), table.title, fill="black", font=title_font)
    for i, column in enumerate(series):
        x = left + i * 230
        draw.rectangle((x, 72, x + 18, 90), fill=PALETTE[i])
        draw.text((x + 26, 70), table.header[column], fill="black", font=font)
    step = _tick_step(max([row[c] for row in rows for c in series] + [1]))
    ticks = math.ceil(max([row[c] for row in rows for c in series] + [1]) / step)
    peak = step * ticks
    plot_h = height - top - bottom
    draw.line((left, height - bottom, width - 40, height - bottom), fill="black", width=2)
    for tick in range(ticks + 1):
        y = height - bottom - plot_h * tick / ticks
        draw.line((left - 5, y, width - 40, y), fill="#dddddd")
        draw.text((10, y - 10), str(step * tick), fill="black", font=font)
    slot = (width - 40 - left) / max(len(rows), 1)
    bar = max(2.0, slot * 0.8 / len(series))
    for r, row in enumerate(rows):
        x0 = left + r * slot + slot * 0.1
        for i, column in enumerate(series):
            h = plot_h * row[column] / peak
            draw.rectangle((x0 + i * bar, height - bottom - h, x0 + (i + 1) * bar - 1, height - bottom),
                           fill=PALETTE[i])
        label = str(row[0])[:8]
        draw.text((x0, height - bottom + 10 + (r % 2) * 24), label, fill="black", font=font)
    image.save(path, "PNG")
