"""Date arithmetic for limitation periods and time limits, as Chinese law counts them.

Why: a deadline printed on a slip must be right to the day. Periods in years and months end on the
corresponding day of the last month; when that day does not exist (31 Feb, 29 Feb in a common year) the period
ends on the last day of that month (民法典 Art. 200–203 count from the day after the starting day; a period
named in years/months ends on the matching date). A last day that is a statutory rest day moves to the next
working day (民法典 Art. 203) by the content pack's holiday calendar. Every period counts the same way
(民法典 Art. 201, 民事诉讼法 Art. 85, which 行政诉讼法 Art. 101 applies): the start day does not count.

What a period is — its length, article, start event and whether it can be interrupted, suspended or extended —
is content (`periods.yaml` of the pack, read by `kiosk.legal.loader`); this module only counts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from kiosk.legal.numerals import chinese_number


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


class WorkingDays(Protocol):
    """The holiday calendar a period's last day is moved by (kiosk.legal.holidays)."""

    def is_working_day(self, day: date) -> bool: ...

    def roll_forward(self, day: date) -> date: ...

    def covers(self, year: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class Period:
    """A named limitation period or time limit as the content pack declares it.

    `years`/`months`/`days` are its length, or `working_days` for a rule that counts only working days
    (道路交通事故处理程序规定 112: 三日 are working days); `law`/`article` the provision (short law name as in pack.yaml, or a
    regulation of regulations.yaml); `counted_from` the event, in the statute's words, whose day is the start;
    `after` a period whose last day is this one's start (行政诉讼法解释 Art. 66: six months after the time to act
    ends). `interruptible`/`suspendable`/`extendable` say what the law allows; `own` is False for a period that
    binds someone else (the employer's 30 days to report a work injury); `passed` is the citizen's text once the
    last day is behind them ({label}, {due}); `advance_aid` is True for a period to sue or to apply for arbitration
    or 复议, where 法律援助法 Art. 44 lets the legal-aid office help first when fewer than seven days are left;
    `calendar` moves a last day off rest days.
    """

    name: str
    law: str
    article: int
    counted_from: str
    years: int = 0
    months: int = 0
    days: int = 0
    working_days: int = 0
    after: Period | None = None
    interruptible: bool = False
    suspendable: bool = False
    extendable: bool = False
    own: bool = True
    advance_aid: bool = False
    rule: str = ""
    passed: str = ""
    calendar: WorkingDays | None = None

    def unmoved_due(self, start: date) -> date:
        """The last day counted on the calendar alone, before a rest day moves it."""
        if self.after is not None:
            start = self.after.due(start)
        if self.working_days:
            return self._working_days_after(start)
        return add_period(start, years=self.years, months=self.months, days=self.days)

    def _working_days_after(self, start: date) -> date:
        """The `working_days`-th working day after `start` (weekends only, when the pack has no calendar)."""
        day, left = start, self.working_days
        while left:
            day += timedelta(days=1)
            left -= (self.calendar.is_working_day(day) if self.calendar is not None else day.weekday() < 5)
        return day

    def due(self, start: date) -> date:
        """The last day to act when the period starts on `start`: moved to the next working day if a rest day."""
        last = self.unmoved_due(start)
        return self.calendar.roll_forward(last) if self.calendar is not None else last

    @property
    def length(self) -> str:
        """The length as a statute writes it: 一年, 六个月, 三十日."""
        parts = [(self.years, "年"), (self.months, "个月"), (self.days, "日"), (self.working_days, "个工作日")]
        return "".join(("两" if n == 2 else chinese_number(n)) + unit for n, unit in parts if n)

    def basis(self, wording: str) -> str:
        """The basis of a deadline whose flow gives none, in the pack's `wording` (pack.yaml
        `opinion.deadline_basis`): this period's provision, start event and length."""
        return wording.format(law=self.law, article=chinese_number(self.article), start=self.counted_from,
                              length=self.length)
