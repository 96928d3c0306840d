"""Issue 13 items 8, 10 and 13: limitation periods in inheritance, labour and mediation follow the texts.

Each test drives the real engine over the shipped pack and pins the outcome, the deadlines (or their absence) and
the article cited.
"""

from __future__ import annotations

from datetime import date

from kiosk.consult.engine import Consultation, Interview, InterviewState
from kiosk.consult.loader import says_restarts
from tests.unit.consult.conftest import PARAMS, TEXTS

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


def cites(consultation: Consultation, law: str, article: int) -> bool:
    return any(p.law == law and p.article == article for p in consultation.provisions)


def texts(consultation: Consultation) -> list[str]:
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
