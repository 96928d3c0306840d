"""Issue 13, fourth review (session 24): the three places the third review left where a citizen could still be
misled — a driver who fled or did not report reading the victim's advice, a citizen whose contract the other side
ends reading a title as if they wanted out, and a passed time to sue after 复议 that did not say a decision without
the time to sue keeps the court open up to a year.

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from kiosk.legal.engine import InterviewResult
from tests.unit.legal.conftest import consult
from tests.unit.legal.test_review_protection import articles, says

TRAFFIC_LAW = "中华人民共和国道路交通安全法"
CRIMINAL_LAW = "中华人民共和国刑法"
INSURANCE_LAW = "中华人民共和国保险法"
CIVIL_CODE = "中华人民共和国民法典"
VICTIM_LIMIT = "要求赔偿的诉讼时效（打官司的期限，按事故日期估算）"
TRAFFIC = {"harm": "injured", "side": "driver", "accident_date": date(2026, 11, 20), "report": "pending",
           "other_party": "fled", "talks": "not_started"}


def labels(consultation: InterviewResult) -> set[str]:
    return {d.label for d in consultation.deadlines}


def test_a_driver_who_left_the_scene_reads_his_duty_to_stop_and_that_turning_himself_in_counts(pack):
    """道路交通安全法 70 (stop, protect the scene, rescue, report) and 101 (licence revoked for life after fleeing),
    刑法 133 (fleeing makes the crime graver) and 67 (自首): a driver who fled was sent to the victim's outcome
    (马上报警 … 救助基金垫付) and shown the victim's three years as his own."""
    fled = consult(pack, "traffic_accident", TRAFFIC, today=date(2026, 11, 22))
    assert fled.outcome.id == "driver_fled"
    assert {70, 101} <= articles(fled, TRAFFIC_LAW) and {67, 133} <= articles(fled, CRIMINAL_LAW)
    assert says(fled, "离开现场，就是逃逸") and says(fled, "一辈子不能再考驾照") and says(fled, "叫做自首")
    assert says(fled, "逃逸的一方，一般要承担这次事故的全部责任")  # 实施条例 92, said in words, not cited
    assert not says(fled, "请马上报警，由交警去追查") and VICTIM_LIMIT not in labels(fled)
    assert any(w.kind.value == "police" and "投案" in w.note for w in fled.ways)
    parked = consult(pack, "traffic_accident", {**TRAFFIC, "harm": "property"}, today=date(2026, 11, 22))
    assert parked.outcome.id == "driver_fled" and 101 in articles(parked, TRAFFIC_LAW)
    assert 75 not in articles(parked, TRAFFIC_LAW) and not says(parked, "抢救费用")
    victim = consult(pack, "traffic_accident", {**TRAFFIC, "side": "victim"}, today=date(2026, 11, 22))
    assert victim.outcome.id == "hit_and_run" and VICTIM_LIMIT in labels(victim)


def test_a_driver_who_settled_on_the_spot_without_reporting_reads_his_own_duties_not_the_victims(pack):
    """道路交通安全法 70: with someone hurt the driver had to report; without injury and without dispute the parties
    may leave and settle (70(2)); 保险法 21: tell the insurer. The driver was told 请马上找齐证据 … 伤情有变化的，及时就医."""
    answers = {**TRAFFIC, "report": "not_reported", "other_party": "insured", "talks": "agreed_unpaid",
               "accident_date": date(2026, 10, 1)}
    hurt = consult(pack, "traffic_accident", answers, today=date(2026, 11, 22))
    assert hurt.outcome.id == "driver_unreported"
    assert 70 in articles(hurt, TRAFFIC_LAW) and 21 in articles(hurt, INSURANCE_LAW)
    assert {67, 133} <= articles(hurt, CRIMINAL_LAW) and 101 in articles(hurt, TRAFFIC_LAW)
    assert says(hurt, "当场私了没有报警，您没有做到这一条") and says(hurt, "叫做自首")
    assert says(hurt, "这是对方的期限") and not labels(hurt)
    assert not says(hurt, "伤情有变化的，及时就医")
    dented = consult(pack, "traffic_accident", {**answers, "harm": "property"}, today=date(2026, 11, 22))
    assert dented.outcome.id == "driver_unreported" and says(dented, "不报警也不违法")
    assert not articles(dented, CRIMINAL_LAW) and not says(dented, "叫做自首")
    victim = consult(pack, "traffic_accident", {**answers, "side": "victim"}, today=date(2026, 11, 22))
    assert victim.outcome.id == "no_report" and not says(victim, "这是对方的期限")
    assert VICTIM_LIMIT in labels(victim)


def test_a_citizen_whose_contract_the_other_side_ends_may_ask_a_court_to_confirm_whether_that_is_valid(pack):
    """民法典 565: the side that receives a notice of termination and objects may ask a court or an arbitration body
    to confirm whether it is valid. The outcome read 想解除合同 as if the citizen wanted out."""
    answers = {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no", "problem": "terminate",
               "who_ends": "other", "amount": 20000, "breach_date": date(2026, 11, 1)}
    objecting = consult(pack, "contract", answers, today=date(2026, 11, 22))
    assert objecting.outcome.id == "terminate_objection" and 565 in articles(objecting, CIVIL_CODE)
    assert "想解除合同" not in objecting.outcome.title and "您不同意" in objecting.outcome.title
    assert says(objecting, "请法院或者仲裁机构确认对方的解除有没有效")
    assert not any("解除合同的最后一天" in label for label in labels(objecting))
    leaving = consult(pack, "contract", {**answers, "who_ends": "me", "end_ground": "breach"},
                      today=date(2026, 11, 22))
    assert leaving.outcome.id == "terminate" and leaving.outcome.title.startswith("想解除合同")
    assert any("解除合同的最后一天" in label for label in labels(leaving))


def test_a_passed_time_to_sue_after_reconsideration_says_an_untold_time_runs_up_to_a_year(pack):
    """行政诉讼法解释 64(2): a 复议 decision that did not state the time to sue: it runs from learning of it, at most a
    year. The passed text of the fifteen days after 复议 (行政诉讼法 45) said only that they would not start again."""
    answers = {"action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": "no", "already": "reconsideration_done",
               "decision_received": date(2026, 11, 16), "loss": "no"}
    late = consult(pack, "administrative", answers, today=date(2026, 12, 20))
    assert late.outcome.id == "after_reconsideration" and 45 in articles(late, "中华人民共和国行政诉讼法")
    passed = [text for text in late.risks if "“不服复议决定起诉的最后一天”在" in text]
    assert len(passed) == 1
    assert "复议决定书上没写起诉期限的，期限从您知道之日起算，但从知道复议决定之日起最长一年" in passed[0]
    assert "行政诉讼法解释第六十四条第二款" in pack.periods["litigation_after_reconsideration"].rule
    in_time = consult(pack, "administrative", answers, today=date(2026, 11, 20))
    assert not any("复议决定书上没写起诉期限的" in text for text in in_time.risks)
