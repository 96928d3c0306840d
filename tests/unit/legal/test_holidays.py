from dataclasses import FrozenInstanceError
from datetime import date, timedelta

import pytest

from kiosk.legal.holidays import CalendarError, HolidayCalendar, load_calendar
from tests.unit.legal.conftest import CONTENT_ROOT

VALID = """\
years:
  2026:
    notice: 国务院办公厅关于2026年部分节假日安排的通知
    number: 国办发明电〔2025〕7号
    issued: 2025-11-04
    source: test
    holidays:
      - {name: 国庆节, from: 2026-10-01, to: 2026-10-07, days: 7}
    make_up_workdays: [2026-09-20, 2026-10-10]
"""
"""A minimal calendar; line 8 is the holiday, line 9 the make-up days."""


@pytest.fixture(scope="module")
def calendar() -> HolidayCalendar:
    return load_calendar(CONTENT_ROOT / "holidays.yaml")


def test_holidays_period_ending_in_national_day_moves_to_first_working_day_after(calendar):
    assert not calendar.is_working_day(date(2026, 10, 3))            # Saturday inside 10月1日至7日
    assert calendar.roll_forward(date(2026, 10, 3)) == date(2026, 10, 8)
    assert calendar.roll_forward(date(2026, 10, 7)) == date(2026, 10, 8)   # a Wednesday given off
    assert calendar.roll_forward(date(2025, 10, 1)) == date(2025, 10, 9)   # 2025: 国庆节、中秋节 to 10月8日


def test_holidays_spring_festival_and_a_friday_given_off(calendar):
    assert calendar.roll_forward(date(2026, 2, 15)) == date(2026, 2, 24)   # 至23日（周一）放假
    assert calendar.roll_forward(date(2026, 6, 19)) == date(2026, 6, 22)   # 端午节, Friday, then the weekend


def test_holidays_make_up_weekend_day_does_not_move(calendar):
    for make_up in (date(2026, 9, 20), date(2026, 1, 4), date(2026, 2, 14), date(2024, 2, 18)):
        assert make_up.weekday() >= 5
        assert calendar.is_working_day(make_up)
        assert calendar.roll_forward(make_up) == make_up


def test_holidays_ordinary_days_in_a_covered_year(calendar):
    assert calendar.roll_forward(date(2026, 3, 4)) == date(2026, 3, 4)     # a Wednesday
    assert calendar.roll_forward(date(2026, 3, 7)) == date(2026, 3, 9)     # a Saturday with no arrangement


def test_holidays_saturday_after_the_covered_years_moves_to_monday(calendar):
    year = max(calendar.arrangements) + 1
    saturday = date(year, 1, 1) + timedelta(days=(5 - date(year, 1, 1).weekday()) % 7)
    assert not calendar.covers(year)
    assert calendar.roll_forward(saturday) == saturday + timedelta(days=2)


def test_holidays_uncovered_year_moves_weekends_and_the_fixed_date_holidays(calendar):
    """Without a year's notice, only what is certain moves a day: weekends and 全国年节及纪念日放假办法 Art. 2's
    holidays on fixed dates (1 January, 1–2 May, 1–3 October); lunar holidays and make-up days are unknown."""
    assert not calendar.covers(2023) and not calendar.covers(2027)
    assert calendar.roll_forward(date(2023, 10, 2)) == date(2023, 10, 4)   # Mon 2 and Tue 3 October are 国庆节
    assert calendar.roll_forward(date(2027, 1, 1)) == date(2027, 1, 4)     # Fri 元旦, then the weekend
    assert calendar.roll_forward(date(2027, 5, 3)) == date(2027, 5, 3)     # a Monday after 劳动节's two days
    assert calendar.roll_forward(date(2027, 2, 8)) == date(2027, 2, 8)     # 春节 2027 is lunar: not known here
    assert calendar.fixed_days_off == {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}
    assert [year for year in (2024, 2025, 2026) if calendar.covers(year)] == [2024, 2025, 2026]


def test_holidays_shipped_data_matches_the_notices(calendar):
    arrangement = calendar.arrangements[2026]
    assert (arrangement.number, arrangement.issued) == ("国办发明电〔2025〕7号", date(2025, 11, 4))
    assert len(arrangement.days_off) == 33                      # 3+9+3+5+3+3+7 days, as the notice counts them
    assert arrangement.make_up_workdays == {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                                            date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)}
    working = sum(calendar.is_working_day(date(2024, 1, 1) + timedelta(days=n)) for n in range(366))
    assert working == 251                                       # 2024's published count of working days


def test_holidays_roll_forward_lands_on_the_first_working_day(calendar):
    day = date(2024, 1, 1)
    while day < date(2028, 1, 1):
        moved = calendar.roll_forward(day)
        assert calendar.is_working_day(moved)
        assert all(not calendar.is_working_day(day + timedelta(days=n)) for n in range((moved - day).days))
        day += timedelta(days=1)


def test_holidays_calendar_is_immutable(calendar):
    with pytest.raises(TypeError):
        calendar.arrangements[2027] = calendar.arrangements[2026]
    with pytest.raises(FrozenInstanceError):
        calendar.arrangements[2026].days_off = frozenset()


def test_holidays_minimal_file_loads(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text(VALID, encoding="utf-8")
    loaded = load_calendar(path)
    assert loaded.covers(2026) and loaded.roll_forward(date(2026, 10, 1)) == date(2026, 10, 8)


@pytest.mark.parametrize(("old", "new", "line", "message"), [
    ("from: 2026-10-01", "from: 2026-02-30", 8, "2026-02-30 is not a date"),
    ("from: 2026-10-01", "from: 2026/10/01", 8, "'2026/10/01' is not a date"),
    ("2026-10-10]", "2026-10-09]", 9, "make-up working day 2026-10-09 is a weekday"),
    ("2026-10-10]", "2026-10-10, 2026-10-10]", 9, "make-up working day 2026-10-10 is listed twice"),
    ("2026-10-10]", "2026-10-03]", 9, "make-up working day 2026-10-03 is also a day off"),
    ("days: 7}\n", "days: 7}\n      - {name: 中秋节, from: 2026-10-06, to: 2026-10-06, days: 1}\n", 9,
     "中秋节: 2026-10-06 is listed twice"),
    ("2026-10-10]", "2027-01-02]", 9, "2027-01-02 is not in 2026"),
    ("to: 2026-10-07", "to: 2027-01-07", 8, "2027-01-07 is not in 2026"),
    ("days: 7", "days: 8", 8, "国庆节: 2026-10-01 to 2026-10-07 is not 8 days"),
    ("关于2026年", "关于2025年", 3, "notice must be '国务院办公厅关于2026年部分节假日安排的通知'"),
    ("issued: 2025-11-04", "issued: 2026-11-04", 5, "must be issued before its year"),
    ("    make_up_workdays", "  2026:\n    notice: x\n    make_up_workdays", 9, "duplicate key 2026"),
])
def test_holidays_malformed_file_names_the_line(tmp_path, old, new, line, message):
    path = tmp_path / "holidays.yaml"
    assert old in VALID
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CalendarError) as caught:
        load_calendar(path)
    assert (caught.value.issues[0][0].line, message in caught.value.issues[0][1]) == (line, True), caught.value
    assert f"holidays.yaml:{line}: " in str(caught.value)


def test_holidays_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text(VALID.replace("days: 7", "days: 6").replace("2026-10-10]", "2026-10-09]"), encoding="utf-8")
    with pytest.raises(CalendarError) as caught:
        load_calendar(path)
    assert [where.line for where, _ in caught.value.issues] == [8, 9]
