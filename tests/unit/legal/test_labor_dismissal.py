"""The labour flow's dismissal branch (session 26): a worker sent away by the unit was asked about owed wages only,
though being fired is among the commonest labour questions at a legal service centre. The branch asks the day,
the reason the unit gave, whether the worker was in a protected state (劳动合同法 42) and who the employer was, and
answers with the rule of a lawful dismissal (39, 40, 41), the choice after an unlawful one (48: back to work, or
87: twice the compensation), the compensation's measure (46, 47) and the one-year arbitration limit (劳动争议调解仲裁法
27) from the dismissal.

Each test drives the real engine over the shipped pack and pins the outcome, what it says and the articles it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
ARBITRATION_LAW = "中华人民共和国劳动争议调解仲裁法"
CIVIL_CODE = "中华人民共和国民法典"
TODAY = date(2026, 12, 7)
FIRED = {"situation": "dismissed", "dismissed_date": date(2026, 11, 20), "dismissal_reason": "none",
         "protected": "none", "dismissal_employer": "unit"}
ARBITRATION_DAY = "申请劳动仲裁（请仲裁委评理）的最后一天"


def test_a_worker_sent_away_without_a_reason_reads_it_is_likely_unlawful_and_may_choose_work_or_double_pay(pack):
    fired = consult(pack, "labor", FIRED, today=TODAY)
    assert fired.outcome.id == "dismissal"
    assert {46, 47, 48, 50, 87} <= articles(fired, LABOUR_CONTRACT_LAW)
    assert {5, 6, 27} <= articles(fired, ARBITRATION_LAW)
    assert not {39, 40, 41, 42} & articles(fired, LABOUR_CONTRACT_LAW)
    assert says(fired, "多半是违法辞退") and says(fired, "要求回单位接着干")
    assert says(fired, "按经济补偿的两倍给赔偿金") and says(fired, "最多算十二年")
    assert due(fired) == {ARBITRATION_DAY: date(2027, 11, 22)}


def test_a_pregnant_worker_laid_off_for_hard_times_reads_the_law_forbids_it(pack):
    """劳动合同法 42(四): a woman in pregnancy, childbirth or nursing may not be dismissed under 40 or 41."""
    laid_off = consult(pack, "labor", {**FIRED, "dismissal_reason": "cuts", "protected": "pregnant"}, today=TODAY)
    assert {40, 41, 42} <= articles(laid_off, LABOUR_CONTRACT_LAW)
    assert says(laid_off, "单位不能用干不了活、要裁人、单位困难这类理由辞退您")
    assert any("怀孕、生孩子的病历" in m for m in laid_off.materials)
    unprotected = consult(pack, "labor", {**FIRED, "dismissal_reason": "cuts"}, today=TODAY)
    assert 42 not in articles(unprotected, LABOUR_CONTRACT_LAW)
    assert says(unprotected, "还要给经济补偿") and not says(unprotected, "法律特别保护")


def test_a_worker_fired_for_breaking_the_rules_reads_the_unit_must_prove_it_and_protection_does_not_stop_it(pack):
    """劳动合同法 39 allows dismissal for a serious breach even in a protected state; 4 makes rules bind only when
    made with the staff and made known."""
    breach = consult(pack, "labor", {**FIRED, "dismissal_reason": "fault", "protected": "sick"}, today=TODAY)
    assert {4, 39, 42} <= articles(breach, LABOUR_CONTRACT_LAW) and 40 not in articles(breach, LABOUR_CONTRACT_LAW)
    assert says(breach, "单位要拿出证据") and says(breach, "挡不住因为严重违纪的辞退")
    assert not says(breach, "单位不能用干不了活")


def test_a_worker_dismissed_over_a_year_ago_reads_the_limit_passed_and_what_restarts_it(pack):
    """劳动争议调解仲裁法 27(2): a claim on the unit, a complaint to an authority or the unit's promise interrupts."""
    late = consult(pack, "labor", {**FIRED, "dismissed_date": date(2025, 9, 1)}, today=TODAY)
    assert late.outcome.id == "dismissal"
    assert set(due(late)) == {"原来申请劳动仲裁、请仲裁委评理的最后一天（已过）"}
    assert says(late, "一年的仲裁期限已经过了") and says(late, "期限从那时重新算")
    unsure = consult(pack, "labor", {**FIRED, "dismissed_date": "unsure"}, today=TODAY)
    assert due(unsure) == {} and says(unsure, "请把日子想清楚，尽快去办")


def test_a_nanny_or_a_site_worker_sent_away_reads_that_dismissal_pay_is_for_units_and_wages_are_still_owed(pack):
    nanny = consult(pack, "labor", {**FIRED, "dismissal_employer": "person"}, today=TODAY)
    assert nanny.outcome.id == "dismissal_not_unit"
    assert 577 in articles(nanny, CIVIL_CODE) and 87 not in articles(nanny, LABOUR_CONTRACT_LAW)
    assert says(nanny, "是劳务关系，不是劳动关系")
    site = consult(pack, "labor", {**FIRED, "dismissal_employer": "contractor"}, today=TODAY)
    assert site.outcome.id == "dismissal_not_unit" and 94 in articles(site, LABOUR_CONTRACT_LAW)
    assert says(site, "把工程包给他的单位也要负责") and says(site, "第一个问题选“已经不干了”")
