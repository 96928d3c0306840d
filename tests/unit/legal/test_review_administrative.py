"""Issue 13 items 5, 6, 15 and 18: administrative matters route and count as the law in force says.

Each test drives the real engine over the shipped pack and pins the outcome, the computed last day and the article
it rests on (行政复议法 Art. 23 and the 2026 实施条例 Art. 24/30, 土地管理法 Art. 14 / 森林法 Art. 22,
国有土地上房屋征收评估办法 Art. 20).
"""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.legal.engine import InterviewResult
from kiosk.legal.library import flow_texts
from kiosk.legal.loader import says_restarts
from tests.unit.legal.conftest import consult, due

RECONSIDERATION = "申请行政复议（请上级机关重新审查）的最后一天"
SUE_DIRECTLY = "直接到法院起诉的最后一天"
REVIEW_LAW = "中华人民共和国行政复议法"
IMPLEMENTING_RULES = "中华人民共和国行政复议法实施条例"
LAND_LAW = "中华人民共和国土地管理法"
FOREST_LAW = "中华人民共和国森林法"
VALUATION_RULES = "国有土地上房屋征收评估办法"



def cites(consultation: InterviewResult, law: str, article: int) -> bool:
    return any(p.law == law and p.article == article for p in consultation.provisions)


def says(consultation: InterviewResult, words: str) -> bool:
    return any(words in text for text in (*consultation.analysis, *consultation.risks))



def ownership_decision(certificate: str) -> dict:
    """A township's decision on who owns a hillside forest, received on 16 November."""
    return {"action": "ownership", "organ": "township", "already": "none", "has_paper": "yes",
            "known_date": date(2026, 11, 16), "told_rights": "yes", "title_certificate": certificate, "loss": "no"}


def boundary_decision(certificate: str) -> dict:
    """The same decision asked about in the land flow."""
    return {"problem": "boundary", "boundary_handled": "decided", "boundary_decision_date": date(2026, 11, 16),
            "boundary_certificate": certificate}


def test_item05_ownership_decision_without_a_certificate_has_30_days_to_sue_not_six_months(pack):
    consultation = consult(pack, "administrative", ownership_decision("no"))
    assert consultation.outcome.id == "choose_route"
    assert due(consultation) == {RECONSIDERATION: date(2027, 1, 15), SUE_DIRECTLY: date(2026, 12, 16)}
    assert cites(consultation, LAND_LAW, 14) and cites(consultation, FOREST_LAW, 22)
    assert not cites(consultation, "中华人民共和国行政诉讼法", 46)
    assert says(consultation, "接到处理决定通知之日起三十日")
    assert not says(consultation, "六个月内直接到法院起诉")


def test_item05_ownership_decision_against_a_held_certificate_goes_to_reconsideration_first(pack):
    consultation = consult(pack, "administrative", ownership_decision("yes"))
    assert consultation.outcome.id == "reconsideration_first"
    assert due(consultation) == {RECONSIDERATION: date(2027, 1, 15)}
    assert cites(consultation, REVIEW_LAW, 23)
    assert says(consultation, "法律规定要先申请复议")
    assert says(consultation, "法院不会立案")


@pytest.mark.parametrize(("certificate", "route"), [("no", "choose"), ("yes", "first"), ("unsure", "first")])
def test_item05_both_flows_route_and_count_an_ownership_decision_alike(pack, certificate, route):
    administrative = consult(pack, "administrative", ownership_decision(certificate))
    land = consult(pack, "land_demolition", boundary_decision(certificate))
    expected = {"choose": ("choose_route", "boundary_dispute"),
                "first": ("reconsideration_first", "boundary_reconsideration_first")}[route]
    assert (administrative.outcome.id, land.outcome.id) == expected
    assert due(administrative) == due(land)
    for consultation in (administrative, land):
        assert cites(consultation, LAND_LAW, 14) and cites(consultation, FOREST_LAW, 22)
        assert cites(consultation, REVIEW_LAW, 23)
    if certificate == "unsure":
        assert says(administrative, "有证和没证，都可以申请复议") and says(land, "有证和没证，都可以申请复议")


def test_item05_ownership_decision_past_thirty_days_can_still_go_to_reconsideration(pack):
    answers = {**boundary_decision("no"), "boundary_decision_date": date(2026, 10, 9)}
    consultation = consult(pack, "land_demolition", answers)
    assert consultation.outcome.id == "boundary_dispute"
    assert due(consultation) == {RECONSIDERATION: date(2026, 12, 8), SUE_DIRECTLY: date(2026, 11, 9)}
    assert says(consultation, "直接起诉的三十日已经过了，但是六十日内还可以申请复议")
    assert not any(says_restarts(text) for text in consultation.risks)


def inaction(applied: date) -> dict:
    """A township that never answered an application handed in on `applied`."""
    return {"action": "no_reply", "organ": "township", "already": "none", "applied_date": applied, "loss": "no"}


def test_item06_inaction_counts_the_agencys_sixty_days_then_the_citizens_sixty(pack):
    consultation = consult(pack, "administrative", inaction(date(2026, 8, 1)))
    assert consultation.outcome.id == "inaction"
    agency, citizen = consultation.deadlines
    assert (agency.due, agency.own) == (date(2026, 9, 30), False)
    assert (citizen.label, citizen.due, citizen.own) == (RECONSIDERATION, date(2026, 11, 30), True)
    assert "2026年11月29日" in citizen.note  # a Sunday: moved to Monday (民法典 203)
    assert cites(consultation, REVIEW_LAW, 23) and cites(consultation, IMPLEMENTING_RULES, 24)
    assert cites(consultation, IMPLEMENTING_RULES, 30)
    assert cites(consultation, "最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释", 66)
    assert cites(consultation, "最高人民法院关于适用行政诉讼起诉期限若干问题的解释", 7)
    assert says(consultation, "要先申请行政复议")
    assert says(consultation, "另外规定了办理期限")  # the uncertainty: another law may give the agency other time


def test_item06_inaction_warns_only_about_the_citizens_own_period_running_out(pack):
    consultation = consult(pack, "administrative", inaction(date(2026, 8, 1)), today=date(2026, 11, 25))
    warnings = [text for text in consultation.risks if "只剩" in text]
    assert len(warnings) == 1 and RECONSIDERATION in warnings[0]
    assert any("这是机关办事的期限，不是您的" in text for text in consultation.risks)


def test_item06_passed_inaction_window_never_says_it_starts_again(pack):
    consultation = consult(pack, "administrative", inaction(date(2026, 3, 2)))
    # the agency's 60 days end on Labour Day (1 May), so on 6 May; 60 more end on Sunday 5 July, so on Monday 6 July
    assert due(consultation) == {"他们应当办好的期限（收到申请满六十日）": date(2026, 5, 6), RECONSIDERATION: date(2026, 7, 6)}
    passed = [text for text in consultation.risks if "已经过了" in text and RECONSIDERATION in text]
    assert passed and "不会因为您去催过、问过而重新计算" in passed[0]
    assert not any(says_restarts(text) for text in consultation.risks)


def test_item15_valuation_review_is_ten_days_from_the_report(pack):
    answers = {"problem": "urban_taking", "occupant": "owner", "stage": "decided", "decision_date": date(2026, 10, 20), "forced": "no",
               "house_papers": "yes", "report_received": "yes", "report_date": date(2026, 11, 16)}
    consultation = consult(pack, "land_demolition", answers)
    assert consultation.outcome.id == "urban_taking"
    assert due(consultation)["申请复核评估的最后一天"] == date(2026, 11, 26)
    assert cites(consultation, VALUATION_RULES, 20) and cites(consultation, VALUATION_RULES, 22)
    assert says(consultation, "收到评估报告之日起十日内")
    assert any("申请复核评估的最后一天" in text and "只剩4天" in text for text in consultation.risks)


def test_item15_valuation_review_period_is_stated_before_the_report_arrives(pack):
    answers = {"problem": "urban_taking", "occupant": "owner", "stage": "negotiating", "forced": "no", "house_papers": "yes",
               "report_received": "no"}
    consultation = consult(pack, "land_demolition", answers)
    assert consultation.outcome.id == "urban_taking" and consultation.deadlines == ()
    assert says(consultation, "十日内就要申请复核") and cites(consultation, VALUATION_RULES, 20)
    assert not says(consultation, "期限一般写在通知里")


def decided(action: str, **answers) -> dict:
    return {"action": action, "organ": "county_dept", "already": "none", "has_paper": "yes",
            "known_date": date(2026, 11, 12), "told_rights": "yes", "loss": "no", **answers}


@pytest.mark.parametrize(("answers", "outcome"), [
    (decided("refused"), "choose_route"),
    (decided("benefits", benefits_answer="refused"), "choose_route"),
    (decided("benefits", benefits_answer="paid_less"), "choose_route"),
    (decided("benefits", benefits_answer="unsure"), "reconsideration_first"),
])
def test_item18_a_refusal_in_so_many_words_may_be_taken_to_court_directly(pack, answers, outcome):
    consultation = consult(pack, "administrative", answers)
    assert consultation.outcome.id == outcome
    assert cites(consultation, REVIEW_LAW, 23)
    if outcome == "choose_route":
        assert cites(consultation, IMPLEMENTING_RULES, 30)
        assert due(consultation) == {RECONSIDERATION: date(2027, 1, 11), SUE_DIRECTLY: date(2027, 5, 12)}
        assert says(consultation, "不属于法律规定必须先复议的情形")
    else:
        assert due(consultation) == {RECONSIDERATION: date(2027, 1, 11)}
        assert says(consultation, "两种情况都可以申请复议")


def test_item18_benefits_never_answered_go_to_reconsideration_first_with_the_inaction_deadline(pack):
    answers = {"action": "benefits", "organ": "township", "already": "none", "benefits_answer": "no_answer",
               "applied_date": date(2026, 9, 10), "loss": "no"}
    consultation = consult(pack, "administrative", answers)
    assert consultation.outcome.id == "inaction"
    assert due(consultation)[RECONSIDERATION] == date(2027, 1, 8)
    assert cites(consultation, REVIEW_LAW, 23) and cites(consultation, IMPLEMENTING_RULES, 30)
    assert SUE_DIRECTLY not in due(consultation)


@pytest.mark.parametrize("flow_id", ["administrative", "land_demolition"])
def test_item04_no_text_says_an_administrative_period_starts_again(pack, flow_id):
    restarting = [(where, text) for text, where in flow_texts(pack.flow(flow_id)) if says_restarts(text)]
    assert restarting == []
