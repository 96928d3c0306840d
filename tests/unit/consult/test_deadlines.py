from datetime import date

from kiosk.consult.deadlines import PERIODS, add_months, add_period, months_between


def test_periods_end_on_the_matching_day():
    assert PERIODS["labor_arbitration"].due(date(2026, 6, 30)) == date(2027, 6, 30)
    assert PERIODS["general_limitation"].due(date(2026, 5, 10)) == date(2029, 5, 10)
    assert PERIODS["reconsideration"].due(date(2026, 3, 1)) == date(2026, 4, 30)
    assert PERIODS["administrative_litigation"].due(date(2026, 8, 31)) == date(2027, 2, 28)


def test_month_end_and_leap_day_clamp():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_period(date(2024, 2, 29), years=1) == date(2025, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_months_between():
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert months_between(date(2026, 1, 15), date(2026, 2, 14)) == 0
    assert months_between(date(2026, 3, 1), date(2026, 1, 1)) == -2
