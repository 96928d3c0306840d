from datetime import date

import pytest

from kiosk.legal.deadlines import Period
from kiosk.legal.expressions import ExpressionError, parse

TODAY = date(2026, 11, 22)
PERIODS = {"labor_arbitration": Period("labor_arbitration", "劳动争议调解仲裁法", 27, "权利被侵害之日", years=1)}
"""The periods expired() may name here (a pack's come from its periods.yaml)."""


def value(source: str, answers: dict | None = None, **params):
    return parse(source, PERIODS).evaluate(answers or {}, today=TODAY, params=params)


@pytest.mark.parametrize("source, expected", [
    ("1 < 2 and 2 <= 2", True),
    ("not (1 == 1) or 3 > 4", False),
    ("'a' in ['a', 'b']", True),
    ("'c' not in ['a', 'b']", True),
    ("2 + 3 * 4 == 14", True),
    ("-(1 - 3) == 2", True),
    ("10 / 4 == 2.5", True),
    ("date('2026-01-01') < date('2026-02-01')", True),
    ("true and not false", True),
    ("none == none", True),
])
def test_literals_and_operators(source, expected):
    assert value(source) is expected


def test_answers_by_page_id_and_dates():
    answers = {"situation": "left", "left_date": date(2025, 11, 22), "amount": 8000}
    assert value("situation == 'left' and amount >= 5000", answers) is True
    assert value("days_since(left_date)", answers) == 365
    assert value("years_since(left_date) == 1 and months_since(left_date) == 12", answers) is True
    assert value("days_until(left_date) < 0", answers) is True
    # The last day of the one-year period is still inside it; the day after is not.
    assert value("expired(left_date, 'labor_arbitration')", answers) is False
    assert value("expired(left_date, 'labor_arbitration')", {"left_date": date(2025, 11, 21)}) is True


def test_missing_answers_never_fire():
    """Unanswered is unknown: no comparison, negation or `!=`/`not in` over it is true (issue 15 item 6)."""
    for source in ("amount > 100", "amount < 100", "not (amount > 100)", "amount != 100", "kind != 'a'",
                   "kind not in ['a', 'b']", "not (kind in ['a'])", "amount > 100 or kind != 'a'"):
        assert value(source) is None, source
        assert parse(source, PERIODS).holds({}, today=TODAY) is False, source
    assert value("answered(amount)") is False
    assert value("income / size <= 1200", {"income": 100, "size": 0}) is None        # division by zero: unknown
    assert value("amount + 1") is None


def test_and_or_are_three_valued_and_absence_is_asked_explicitly():
    assert value("amount > 100 and 1 == 2") is False          # false and unknown: false
    assert value("amount > 100 or 1 == 1") is True            # true or unknown: true
    assert value("amount > 100 and 1 == 1") is None
    assert value("not answered(amount) or amount > 100") is True
    assert value("answered(amount) and amount > 100") is False
    assert value("amount == none") is True and value("amount != none") is False
    assert value("amount == none", {"amount": 5}) is False and value("amount != none", {"amount": 5}) is True
    assert value("none == none") is True


def test_an_unsure_answer_is_tested_by_name_and_never_compares_or_counts():
    answers = {"amount": "unsure", "left_date": "unsure"}
    assert value("amount == 'unsure' and left_date in ['unsure']", answers) is True
    for source in ("amount > 100", "amount <= 100", "left_date < date('2026-01-01')", "amount == 100"):
        assert value(source, answers) is False, source
    for source in ("amount * 2", "days_since(left_date)", "years_since(left_date)",
                   "expired(left_date, 'labor_arbitration')"):
        assert value(source, answers) is None, source
    assert value("answered(amount)", answers) is True


def test_parameters_come_from_the_kiosk():
    assert value("income / size <= $hardship_income", {"income": 3000, "size": 3}, hardship_income=1200) is True
    assert parse("$hardship_income > 0").params_read == {"hardship_income"}


def test_answers_read_are_reported():
    assert parse("a == 'x' or (b > 1 and answered(c))").answers_read == {"a", "b", "c"}


@pytest.mark.parametrize("source", [
    "__import__('os')", "a.b", "a[0]", "open('x')", "lambda: 1", "a = 1", "1 if a else 2", "a ** 2",
    "exec('1')", "'unterminated", "a ==", "(a == 1", "date('not a date')", "date(a)", "answered('a')",
    "expired(a, 'no_such_period')", "days_since(a, b)", "a; b", "`a`", "a & b", "{}", "1 2",
])
def test_anything_outside_the_grammar_is_rejected(source):
    with pytest.raises(ExpressionError):
        parse(source, PERIODS)


def test_error_names_the_column():
    with pytest.raises(ExpressionError) as info:
        parse("a == 1 and b.c")
    assert info.value.column == 13


def test_non_text_rule_is_rejected():
    with pytest.raises(ExpressionError):
        parse(3)  # type: ignore[arg-type]
