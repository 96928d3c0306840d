"""Issue 13 items 8, 10 and 13: limitation periods in inheritance, labour and mediation follow the texts.

Each test drives the real engine over the shipped pack and pins the outcome, the deadlines (or their absence) and
the article cited.
"""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.legal.engine import InterviewResult, Interview, InterviewState
from kiosk.legal.loader import says_restarts
from tests.unit.legal.conftest import PARAMS, TEXTS

TODAY = date(2026, 11, 22)
ARBITRATION_LAW = "中华人民共和国劳动争议调解仲裁法"
CONTRACT_LAW = "中华人民共和国劳动合同法"
CONTRACT_REGULATION = "中华人民共和国劳动合同法实施条例"
WORKING_WITHOUT_CONTRACT = {"situation": "working", "owed_since": date(2026, 9, 15), "amount": 7000,
                            "employer_type": "company", "contract": "no", "evidence": "records",
                            "employer_stance": "disputes", "migrant": "yes"}


def walk(pack, flow_id: str, answers: dict) -> Interview:
    """Answer every page the path asks from `answers`; a page the path asks but `answers` lacks is a test error."""
    interview = Interview(pack, flow_id, today=TODAY, params=PARAMS, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        interview.answer(answers[interview.page.id])
    return interview


def cites(consultation: InterviewResult, law: str, article: int) -> bool:
    return any(p.law == law and p.article == article for p in consultation.provisions)


def texts(consultation: InterviewResult) -> list[str]:
    """Every sentence the citizen reads: analysis, risks and the deadlines' labels and bases."""
    return [*consultation.analysis, *consultation.risks,
            *(part for d in consultation.deadlines for part in (d.label, d.basis))]


def test_item10_worker_without_contract_is_told_the_double_wage_has_a_one_year_limit_while_working(pack):
    consultation = walk(pack, "labor", WORKING_WITHOUT_CONTRACT).finish()
    assert consultation.outcome.id == "arbitration"
    assert cites(consultation, CONTRACT_LAW, 82) and cites(consultation, ARBITRATION_LAW, 27)
    assert cites(consultation, CONTRACT_REGULATION, 6) and cites(consultation, CONTRACT_REGULATION, 7)
    said = texts(consultation)
    assert any("多付的一倍工资" in t and "一年的仲裁时效" in t and "还在干活也一样" in t for t in said)
    assert any("一年零一个月" in t for t in said)           # the earliest reading, in words
    assert any("各地不一样" in t for t in said)              # and that courts differ
    # "no one-year limit while working" is said of the unpaid wages only, and never of the extra wage
    no_limit = [t for t in said if "不受一年期限" in t]
    assert no_limit and all(t.startswith("您还在干活，只有被拖欠的工资") for t in no_limit)
    assert consultation.deadlines == ()                     # the start of work is not asked: no date is printed


def test_item10_worker_with_a_contract_keeps_the_unpaid_wage_rule_without_the_double_wage(pack):
    consultation = walk(pack, "labor", {**WORKING_WITHOUT_CONTRACT, "contract": "yes"}).finish()
    assert consultation.outcome.id == "arbitration"
    assert not cites(consultation, CONTRACT_LAW, 82) and not cites(consultation, CONTRACT_REGULATION, 6)
    assert any(t.startswith("您还在干活，被拖欠的工资") and "不受一年期限" in t for t in consultation.analysis)
    assert not any("多付" in t for t in texts(consultation))


ESTATE = {"relation": "child", "will": "none", "estate": "rural_house", "agree": "occupied"}
CIVIL_CODE = "中华人民共和国民法典"
LIMITATION_RULES = "最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定"


@pytest.mark.parametrize(("will", "outcome"), [("none", "estate_dispute"), ("typed", "will_dispute")])
def test_item08_an_undivided_estate_has_no_limitation_deadline_however_long_ago(pack, will, outcome):
    interview = walk(pack, "inheritance", {**ESTATE, "will": will, "divided": "undivided"})
    consultation = interview.finish()
    assert consultation.outcome.id == outcome
    assert "dispute_date" not in interview.path                # no date is asked, so nothing can be "已经过了"
    assert consultation.deadlines == ()
    assert not any("已经过了" in t for t in texts(consultation))
    assert all(cites(consultation, law, article) for law, article in
               [(CIVIL_CODE, 1121), (CIVIL_CODE, 1124), (CIVIL_CODE, 196), (LIMITATION_RULES, 1)])
    assert not cites(consultation, CIVIL_CODE, 188)
    assert any("归全体继承人一起所有" in t for t in consultation.analysis)
    assert any("法律没给它定诉讼时效" in t for t in consultation.analysis)


def test_item08_an_estate_someone_has_taken_keeps_the_three_years_of_188(pack):
    consultation = walk(pack, "inheritance", {**ESTATE, "estate": "house", "divided": "taken",
                                              "dispute_date": date(2023, 3, 1)}).finish()
    assert consultation.outcome.id == "estate_dispute"
    assert cites(consultation, CIVIL_CODE, 188) and not cites(consultation, CIVIL_CODE, 196)
    [deadline] = consultation.deadlines
    assert deadline.label.startswith("起诉要回遗产的最后一天") and deadline.due == date(2026, 3, 2)  # 3-1 a Sunday
    assert "第一百八十八条" in deadline.basis and "还没分的，要求分遗产不受这个限制" in deadline.basis
    assert any("已经过了" in t and deadline.label in t for t in consultation.risks)


def test_item08_not_knowing_whether_it_was_divided_gets_both_rules(pack):
    consultation = walk(pack, "inheritance", {**ESTATE, "divided": "unsure",
                                              "dispute_date": date(2026, 10, 15)}).finish()
    assert cites(consultation, CIVIL_CODE, 196) and cites(consultation, CIVIL_CODE, 188)
    assert [d.due for d in consultation.deadlines] == [date(2029, 10, 15)]
    assert any("还没分的，要求分遗产一般不受三年的限制" in t for t in consultation.analysis)


@pytest.mark.parametrize("stage", [{"stage": "not_started", "willing": "unsure"}, {"stage": "failed"}])
def test_item13_applying_for_peoples_mediation_interrupts_the_limitation_period(pack, stage):
    consultation = walk(pack, "mediation", {"dispute": "civil", **stage}).finish()
    assert cites(consultation, CIVIL_CODE, 195) and cites(consultation, LIMITATION_RULES, 12)
    said = texts(consultation)
    assert any("诉讼时效（打官司的期限）就中断了" in t and "重新计算" in t for t in said)
    assert not any("仍然在算" in t for t in said)
    # the distinction: only 诉讼时效 starts again; procedural periods are not interrupted
    assert any("别的期限不会因为调解停下来，也不会重新计算" in t for t in said)


@pytest.mark.parametrize("stage", [{"stage": "not_started", "willing": "yes"}, {"stage": "failed"}])
def test_item13_labour_mediation_interrupts_the_arbitration_period(pack, stage):
    consultation = walk(pack, "mediation", {"dispute": "labor", **stage}).finish()
    assert cites(consultation, ARBITRATION_LAW, 27)
    said = texts(consultation)
    assert any("仲裁时效（申请仲裁的期限）" in t and "中断" in t and "重新算一年" in t for t in said)
    assert not any("仍然在算" in t for t in said)


@pytest.mark.parametrize("flow_id", ["labor", "inheritance", "mediation"])
def test_item04_only_limitation_periods_are_said_to_start_again(pack, flow_id):
    """重新计算 is said only beside 诉讼时效/仲裁时效 (or a limitation deadline's basis), never of another period."""
    flow = pack.flow(flow_id)
    for outcome in flow.outcomes.values():
        for rule in (item.value for item in outcome.deadlines):
            assert not says_restarts(rule.basis) or rule.period.interruptible, rule.label
        for item in (*outcome.analysis, *outcome.risks):
            text = item.value if isinstance(item.value, str) else ""
            if says_restarts(text):
                assert "时效" in text or "这一年" in text, text
