"""Date arithmetic for limitation periods and time limits, as Chinese law counts them.

Why: a deadline printed on a slip must be right to the day. Periods in years and months end on the
corresponding day of the last month; when that day does not exist (31 Feb, 29 Feb in a common year) the period
ends on the last day of that month (民法典 Art. 200–203 count from the day after the starting day; a period
named in years/months ends on the matching date). A last day that falls on a public holiday moves to the next
working day; the kiosk has no holiday calendar, so the slip says so in the basis text.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """The date `months` calendar months after `start`, clamped to the end of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_period(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """The last day of a period of the given length that starts counting on the day after `start`."""
    return add_months(start, years * 12 + months) + timedelta(days=days)


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (negative when `later` is before)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day and later != _month_end(later):
        months -= 1
    return months


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, slots=True)
class Period:
    """A named limitation period or time limit; `years`/`months`/`days` are its length."""

    name: str
    years: int = 0
    months: int = 0
    days: int = 0

    def due(self, start: date) -> date:
        """The last day to act when the period starts on `start`."""
        return add_period(start, years=self.years, months=self.months, days=self.days)


PERIODS: dict[str, Period] = {
    period.name: period for period in (
        Period("labor_arbitration", years=1),            # 劳动争议调解仲裁法 Art. 27: one year
        Period("general_limitation", years=3),           # 民法典 Art. 188: three years
        Period("reconsideration", days=60),              # 行政复议法 Art. 20: sixty days
        Period("administrative_litigation", months=6),   # 行政诉讼法 Art. 46: six months
        Period("litigation_after_reconsideration", days=15),  # 行政诉讼法 Art. 45: fifteen days
        Period("sue_after_arbitration", days=15),        # 劳动争议调解仲裁法 Art. 50: fifteen days
        Period("work_injury_application", years=1),      # 工伤保险条例 Art. 17: one year (worker or family)
        Period("payment_order_objection", days=15),      # 民事诉讼法 Art. 227: fifteen days
        Period("appeal_judgment", days=15),              # 民事诉讼法 Art. 171: fifteen days
        Period("traffic_accident_review", days=3),       # 道路交通事故处理程序规定: three days for review
    )
}
"""The periods content may name in a deadline rule, by id."""
