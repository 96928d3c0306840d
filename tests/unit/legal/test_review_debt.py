"""Issue 13 items 9 and 17: the debt flow's guarantors and interest, and the pieces they rest on.

Path tests drive the real engine over the shipped pack and pin the outcome, the computed date or cap, and the
article cited. Unit tests cover the rate data loader (kiosk.legal.rates), the expression functions lpr(d) and
last_day(d, id), and computed `{= …}` values in texts (kiosk.legal.computed) as the loader checks them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.legal.computed import ComputedText, compile_text, show_value
from kiosk.legal.engine import InterviewResult, Interview, InterviewState
from kiosk.legal.expressions import ExpressionError, parse
from kiosk.legal.loader import ContentError, load_pack, says_restarts
from kiosk.legal.rates import RatesError, RateSeries, load_rates
from tests.unit.legal.conftest import CONTENT_ROOT, PARAMS, TEXTS
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack

TODAY = date(2026, 11, 22)
CIVIL_CODE = "中华人民共和国民法典"
LENDING_RULES = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
GUARANTEE_RULES = "最高人民法院关于适用《中华人民共和国民法典》有关担保制度的解释"
GUARANTOR = {"role": "guarantor", "g_period": "no", "amount": 40000, "due_agreed": "yes", "due_date": date(2025, 10, 1),
             "g_sued": "no", "debtor_found": "yes"}
"""A guarantor with no agreed period whose creditor never sued the borrower: a 一般保证 here is released."""
BORROWER = {"role": "borrower", "b_issue": "high_interest", "amount": 20000, "interest": "agreed"}


def walk(pack, answers: dict, *, today: date = TODAY) -> InterviewResult:
    """Answer every page the debt flow asks from `answers` and finish."""
    interview = Interview(pack, "debt", today=today, params=PARAMS, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        interview.answer(answers[interview.page.id])
    return interview.finish()


def cites(consultation: InterviewResult, law: str, article: int) -> bool:
    return any(p.law == law and p.article == article for p in consultation.provisions)


def said(consultation: InterviewResult, words: str) -> bool:
    return any(words in text for text in (*consultation.analysis, *consultation.risks))


# Item 9: a guarantor who does not remember is neither presumed 一般保证 nor told they are released.

@pytest.mark.parametrize("g_sued", ["no", "yes", "unsure"])
@pytest.mark.parametrize("debtor_found", ["yes", "no"])
def test_item09_guarantor_who_does_not_remember_is_asked_for_the_contract_not_released(pack, g_sued, debtor_found):
    consultation = walk(pack, {**GUARANTOR, "g_type": "unsure", "g_sued": g_sued, "debtor_found": debtor_found})
    assert consultation.outcome.id == "guarantor_check_contract"
    assert cites(consultation, CIVIL_CODE, 686) and cites(consultation, GUARANTEE_RULES, 25)
    assert consultation.materials[0].startswith("担保书")
    assert said(consultation, "请找出担保书") and said(consultation, "记不清不等于没写")
    assert said(consultation, "是连带保证，就是债主可以不找借钱的人，直接找您要全部的钱")
    assert said(consultation, "是一般保证。就是债主要先找借钱的人")
    assert not said(consultation, "您可能就不用再担保了")


def test_item09_only_an_unclear_contract_is_presumed_general_and_the_period_is_computed(pack):
    consultation = walk(pack, {**GUARANTOR, "g_type": "unsure"})
    assert said(consultation, "什么方式都没写、写得不明确的，法律规定按一般保证（要先找借钱的人）算")
    assert said(consultation, "要是一般保证（要先找借钱的人），您可能不用再担保；要是连带保证")
    assert {d.label: d.due for d in consultation.deadlines} == {"担保期限的最后一天（没写明担保多长时间时）": date(2026, 4, 1)}


def test_item09_a_written_general_guarantee_is_still_released_and_told_which_words_make_it_joint(pack):
    consultation = walk(pack, {**GUARANTOR, "g_type": "general"})
    assert consultation.outcome.id == "guarantor_released"
    assert cites(consultation, CIVIL_CODE, 693) and cites(consultation, CIVIL_CODE, 692)
    liable = walk(pack, {**GUARANTOR, "g_type": "general", "due_date": date(2026, 9, 30)})
    assert liable.outcome.id == "guarantor_liable" and cites(liable, GUARANTEE_RULES, 25)
    assert any("“无条件担保”这类话的，算连带保证" in text for text in liable.analysis)


# Item 17: six calendar months, never interrupted; the cap from the LPR on the loan date.

def test_item17_guarantee_period_is_six_calendar_months_not_184_days(pack):
    asked_on_day_184 = {**GUARANTOR, "g_type": "joint", "due_date": date(2025, 6, 30), "g_asked": date(2025, 12, 31)}
    consultation = walk(pack, asked_on_day_184)
    assert consultation.outcome.id == "guarantor_released"          # 184 days said: still in time
    assert {d.label: d.due for d in consultation.deadlines} == {"担保期限的最后一天（已过）": date(2025, 12, 30)}
    assert cites(consultation, CIVIL_CODE, 692)
    in_time = walk(pack, {**asked_on_day_184, "g_asked": date(2025, 12, 30)})
    assert in_time.outcome.id == "guarantor_liable"


def test_item17_guarantee_period_at_a_month_end_ends_on_the_last_day_of_the_shorter_month(pack):
    consultation = walk(pack, {**GUARANTOR, "g_type": "general", "due_date": date(2025, 8, 31)})
    assert consultation.deadlines[0].due == date(2026, 2, 28)       # a Saturday, but a make-up working day in 2026
    assert consultation.outcome.id == "guarantor_released"
    weekend = walk(pack, {**GUARANTOR, "g_type": "general", "due_date": date(2025, 11, 30)}).deadlines[0]
    assert weekend.due == date(2026, 6, 1) and "2026年5月30日" in weekend.note   # Saturday 30 May moves (民法典 203)


def test_item17_without_a_due_date_the_six_months_follow_the_grace_period_and_no_day_is_guessed(pack):
    answers = {**GUARANTOR, "g_type": "joint", "due_agreed": "no", "g_asked": date(2026, 5, 1)}
    del answers["due_date"]
    consultation = walk(pack, answers)
    assert consultation.outcome.id == "guarantor_liable" and cites(consultation, CIVIL_CODE, 692)
    assert said(consultation, "这六个月从债主催借钱的人还钱、给他的宽限时间过了以后算起")
    assert [d.label for d in consultation.deadlines] == ["债主找您要钱以后，他告您的最后期限（估算）"]


def test_item17_no_guarantor_text_says_the_period_starts_again(pack):
    flow = pack.flow("debt")
    period = pack.periods["guarantee_period"]
    assert not (period.interruptible or period.suspendable or period.extendable)
    texts = [item.value for oid, outcome in flow.outcomes.items() if oid.startswith("guarantor")
             for item in (*outcome.analysis, *outcome.risks)]
    assert texts and not any(says_restarts(text) for text in texts)
    released = walk(pack, {**GUARANTOR, "g_type": "joint", "due_date": date(2025, 6, 30), "g_asked": date(2026, 7, 10)})
    assert said(released, "不会中断、不会中止，也不会延长") and said(released, "保证期间不会中断、中止，也不会延长")


def test_item17_interest_cap_is_four_times_the_lpr_on_the_day_the_money_was_handed_over(pack):
    consultation = walk(pack, {**BORROWER, "rate_monthly": 3, "loan_date": date(2023, 3, 15)})
    assert consultation.outcome.id == "borrower_rights"
    assert cites(consultation, LENDING_RULES, 25) and cites(consultation, CIVIL_CODE, 679)
    assert said(consultation, "那天的一年期LPR（国家每月公布的贷款利率）是3.65%")
    assert said(consultation, "就是年利率14.6%。也就是借100元，每月利息最多约1.22元")
    assert said(consultation, "就是年利率36%。这超过了上限")
    assert not cites(consultation, LENDING_RULES, 31)


@pytest.mark.parametrize(("loan_date", "rate", "cap"), [(date(2022, 8, 21), "3.7", "14.8"),
                                                         (date(2022, 8, 22), "3.65", "14.6"),
                                                         (date(2020, 8, 20), "3.85", "15.4")])
def test_item17_the_cap_follows_the_value_published_by_the_loan_date(pack, loan_date, rate, cap):
    lender = {"role": "lender", "proof": "iou", "amount": 50000, "due_agreed": "no", "demanded": "no",
              "interest": "agreed", "rate_monthly": 1.25, "loan_date": loan_date, "stance": "admits"}
    consultation = walk(pack, lender)
    assert consultation.outcome.id == "payment_order"
    assert said(consultation, f"是{rate}%") and said(consultation, f"就是年利率{cap}%")
    assert said(consultation, "就是年利率15%。" + ("这超过了上限" if float(cap) < 15 else "这没有超过上限"))


def test_item17_a_rate_exactly_at_the_cap_is_within_it(pack):
    consultation = walk(pack, {**BORROWER, "rate_monthly": 1, "loan_date": date(2025, 6, 1)})
    assert said(consultation, "就是年利率12%。也就是借100元，每月利息最多约1元")
    assert said(consultation, "这没有超过上限")


def test_a_daily_rate_of_one_percent_can_be_entered_and_reads_far_over_the_cap(pack):
    """Usurious lenders quote 日息 1 % (30 分 a month, 360 % a year); the page took at most 20 分 and so could not
    record the loans the interest rules matter most for."""
    assert pack.flow("debt").pages["rate_monthly"].maximum >= 30
    consultation = walk(pack, {**BORROWER, "rate_monthly": 30, "loan_date": date(2025, 6, 1)})
    assert said(consultation, "就是年利率360%。这超过了上限")


@pytest.mark.parametrize("loan_date", [date(2020, 3, 1), date(2019, 5, 1)])
def test_item17_loans_before_2020_08_20_are_told_the_two_part_rule(pack, loan_date):
    consultation = walk(pack, {**BORROWER, "rate_monthly": 2.5, "loan_date": loan_date})
    assert cites(consultation, LENDING_RULES, 31) and cites(consultation, LENDING_RULES, 25)
    assert said(consultation, "到2020年8月19日为止的利息，可以按当时的规定算")
    assert said(consultation, "从2020年8月20日起的利息，最高是起诉时一年期LPR")
    assert said(consultation, "说好的是年利率30%，超过了24%")
    assert not said(consultation, "那天的一年期LPR")
    assert said(consultation, "它从2019年8月20日才开始公布") is (loan_date < date(2019, 8, 20))


def test_item17_unknown_loan_date_or_rate_says_the_rule_in_words_and_what_to_bring(pack):
    consultation = walk(pack, {**BORROWER, "rate_monthly": "unsure", "loan_date": "unsure"})
    assert said(consultation, "利息最高能算多少，要看这一天。一般是那天一年期LPR（国家每月公布的贷款利率）的四倍")
    assert said(consultation, "说好的利息是多少，您不清楚")
    assert any("哪天给的钱、说好多少利息" in item for item in consultation.materials)
    assert cites(consultation, LENDING_RULES, 25) and cites(consultation, LENDING_RULES, 31)
    assert not said(consultation, "（未回答）")


def test_item17_a_loan_after_the_lpr_data_says_where_to_look_it_up(pack):
    consultation = walk(pack, {**BORROWER, "rate_monthly": 2, "loan_date": date(2026, 6, 1)})
    assert said(consultation, "资料还没有到借钱那个月") and not said(consultation, "那天的一年期LPR")
    assert not said(consultation, "（未回答）")


# The LPR data and its loader.

def test_shipped_lpr_series_values_and_coverage():
    series = load_rates(CONTENT_ROOT / "lpr.yaml")
    assert series.on(date(2019, 8, 19)) is None and series.on(date(2019, 8, 20)) == 4.25
    assert series.on(date(2020, 4, 19)) == 4.05 and series.on(date(2020, 4, 20)) == 3.85
    assert series.on(date(2025, 5, 20)) == 3.0 and series.on(series.valid_until) == 3.0
    assert series.valid_until == date(2026, 4, 19) and series.on(date(2026, 4, 20)) is None


GOOD_RATES = """\
name: 测试利率
source: 测试
valid_until: 2020-12-31
values:
  - {from: 2020-01-20, rate: 4.15}
  - {from: 2020-04-20, rate: 3.85}
"""


@pytest.mark.parametrize(("change", "line", "words"), [
    ("  - {from: 2020-04-20, rate: 3.85}", 6, "oldest first"),
    ("  - {from: 2020-04-20, rate: 0}", 6, "a positive number"),
    ("  - {from: 2020-04-20, rate: true}", 6, "a positive number"),
    ("  - {from: April, rate: 3.85}", 6, "YYYY-MM-DD"),
    ("  - {from: 2020-01-01, rate: 3.85}", 6, "is not after 2020-01-20"),
])
def test_malformed_rate_row_is_refused_at_its_line(tmp_path, change, line, words):
    text = GOOD_RATES.replace("  - {from: 2020-04-20, rate: 3.85}", change)
    if words == "oldest first":
        text = text.replace("2020-01-20", "2020-04-20", 1)
    path = tmp_path / "lpr.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RatesError) as info:
        load_rates(path)
    assert [(where.line, words in message) for where, message in info.value.issues] == [(line, True)]


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("source: 测试", "source: ''", 2, "'source' must be non-empty"),
    ("valid_until: 2020-12-31", "valid_until: 2020-03-01", 3, "before the last value's date"),
    ("valid_until: 2020-12-31", "valid_until: soon", 3, "valid_until must be a date"),
])
def test_malformed_rate_header_is_refused_at_its_line(tmp_path, old, new, line, words):
    path = tmp_path / "lpr.yaml"
    path.write_text(GOOD_RATES.replace(old, new), encoding="utf-8")
    with pytest.raises(RatesError) as info:
        load_rates(path)
    assert [(where.line, words in message) for where, message in info.value.issues] == [(line, True)]


def test_a_broken_lpr_file_stops_the_pack_naming_its_line(tmp_path):
    root = pack_with_rates(tmp_path, GOOD_FLOW, GOOD_RATES.replace("rate: 3.85", "rate: -1"))
    with pytest.raises(ContentError) as info:
        load_pack(root)
    assert any(str(issue).startswith("content/lpr.yaml:6:") for issue in info.value.issues)


# lpr(d), last_day(d, id) and computed values.

SERIES = RateSeries("测试", "测试", (date(2020, 1, 20), date(2020, 4, 20)), (4.15, 3.85), date(2020, 12, 31))


def test_lpr_reads_the_value_in_force_and_nothing_outside_the_data():
    expression = parse("4 * lpr(d)", rates=SERIES)
    assert expression.evaluate({"d": date(2020, 4, 19)}, today=TODAY) == pytest.approx(16.6)
    assert expression.evaluate({"d": date(2020, 4, 20)}, today=TODAY) == pytest.approx(15.4)
    assert expression.evaluate({"d": date(2021, 1, 1)}, today=TODAY) is None
    assert expression.evaluate({"d": "unsure"}, today=TODAY) is None
    assert expression.answers_read == {"d"}
    with pytest.raises(ExpressionError, match="LPR data"):
        parse("lpr(d)")
    with pytest.raises(ExpressionError, match="one argument"):
        parse("lpr(d, d)", rates=SERIES)


def test_last_day_is_the_periods_moved_last_day(pack):
    period = pack.periods["guarantee_period"]
    expression = parse("last_day(d, 'guarantee_period')", pack.periods)
    assert expression.evaluate({"d": date(2025, 11, 30)}, today=TODAY) == period.due(date(2025, 11, 30)) \
        == date(2026, 6, 1)
    after = parse("a > last_day(d, 'guarantee_period')", pack.periods)
    assert after.holds({"a": date(2026, 6, 2), "d": date(2025, 11, 30)}, today=TODAY)
    assert not after.holds({"a": date(2026, 6, 1), "d": date(2025, 11, 30)}, today=TODAY)
    with pytest.raises(ExpressionError, match="period id"):
        parse("last_day(d, 'no_such_period')", pack.periods)


def test_computed_text_fills_numbers_dates_and_nothing():
    text = compile_text("上限{= 4 * lpr(d)}%，到{= d}，{= x}。", rates=SERIES)
    assert isinstance(text, ComputedText) and text.answers_read == {"d", "x"}
    filled = text.fill({"d": date(2020, 5, 1)}, today=TODAY, params={}, none="（未回答）")
    assert filled == "上限15.4%，到2020年5月1日，（未回答）。"
    assert compile_text("没有计算。") == "没有计算。" and not isinstance(compile_text("没有计算。"), ComputedText)
    assert [show_value(v, "-") for v in (1.2833, 12.0, 12, None)] == ["1.28", "12", "12", "-"]
    with pytest.raises(ExpressionError):
        compile_text("{= 4 * }")


def pack_with_rates(tmp_path: Path, flow_text: str, rates: str = GOOD_RATES) -> Path:
    """A test pack (test_loader's) that ships an LPR file."""
    root = make_pack(tmp_path, flow_text)
    (root / "lpr.yaml").write_text(rates, encoding="utf-8")
    with (root / "pack.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("lpr: lpr.yaml\n")
    return root


def load_issues(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_pack(root)
    return [str(issue) for issue in info.value.issues]


def test_loader_checks_computed_values_like_rules_and_placeholders(tmp_path):
    unguarded = GOOD_FLOW.replace("analysis: [说明。]", "analysis: ['上限{= 4 * lpr(date(\"2020-05-01\")) + q2}。']")
    found = load_issues(pack_with_rates(tmp_path / "unguarded", unguarded))
    assert any("placeholder {q2} is not answered on every path here" in line for line in found)
    load_pack(pack_with_rates(tmp_path / "good", unguarded.replace(
        "analysis: ['上限", "analysis: [{if: \"q2 != 'unsure'\", text: '上限").replace("+ q2}。']", "+ q2}。'}]")))
    bad = load_issues(pack_with_rates(tmp_path / "bad", GOOD_FLOW.replace("analysis: [说明。]",
                                                                          "analysis: ['上限{= 4 * }。']")))
    assert any("computed value in '上限{= 4 * }。'" in line for line in bad)
    misplaced = load_issues(pack_with_rates(tmp_path / "way", GOOD_FLOW.replace("body: 对方}", "body: '{= 1 + 1}'}")))
    assert any("may stand only in analysis" in line for line in misplaced)
