"""Issue 13 items 7, 11, 12, 14 and 16: who may apply for a protection order, the traffic 复核 and police 复议
periods, what a crime victim can claim, and where a fraud victim stops a payment, as the texts say.

Each test drives the real engine over the shipped pack and pins the outcome, the computed deadline where there is
one, and the article it cites.
"""

from __future__ import annotations

from datetime import date

from kiosk.legal.engine import InterviewResult
from tests.unit.legal.conftest import consult

DV_LAW = "中华人民共和国反家庭暴力法"
CRIMINAL_PROCEDURE = "中华人民共和国刑事诉讼法"
TRAFFIC_RULE = "道路交通事故处理程序规定"
POLICE_RULE = "公安机关办理刑事案件程序规定"
CRIMINAL_INTERPRETATION = "最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释"
ANTI_FRAUD_LAW = "中华人民共和国反电信网络诈骗法"



def articles(consultation: InterviewResult, law: str) -> set[int]:
    """Articles of `law` the opinion cites."""
    return {p.article for p in consultation.provisions if p.law == law}


def says(consultation: InterviewResult, words: str) -> bool:
    """Whether the analysis, risks or ways say `words`."""
    texts = [*consultation.analysis, *consultation.risks,
             *(f"{w.body} {w.note}" for w in consultation.ways)]
    return any(words in text for text in texts)


DV_OTHERS = {"danger": "no", "who_hurt": "spouse", "forms": "beating", "reported": "no"}


def test_item07_neighbour_is_not_told_to_apply_for_protection_order(pack):
    neighbour = consult(pack, "domestic_violence", {**DV_OTHERS, "victim": "other_person", "relation": "not_family",
                                                    "victim_able": "coerced"})
    assert neighbour.outcome.id == "report_for_others"
    assert {13, 23} <= articles(neighbour, DV_LAW) and 110 in articles(neighbour, CRIMINAL_PROCEDURE)
    assert not says(neighbour, "您可以代") and not says(neighbour, "代为申请人身安全保护令。")
    assert says(neighbour, "法律没有让您代他向法院申请保护令")
    assert says(neighbour, "有危险请马上拨打110") and any(w.body.startswith("110") for w in neighbour.ways)
    assert says(neighbour, "能代他申请的有：近亲属（配偶、父母、子女等）、公安机关、妇联、村（居）委会、救助管理机构")
    assert any("妇联" in w.body and "村（居）委会" in w.body for w in neighbour.ways)


def test_item07_another_relative_of_a_beaten_child_is_not_a_close_relative(pack):
    aunt = consult(pack, "domestic_violence", {**DV_OTHERS, "victim": "child", "who_hurt": "parent",
                                               "relation": "other_relative"})
    assert aunt.outcome.id == "report_for_others"
    assert 14 in articles(aunt, DV_LAW)
    assert says(aunt, "学校、幼儿园、医院、村（居）委会等发现孩子")


def test_item07_close_relative_applies_only_when_the_victim_cannot(pack):
    for_elder = consult(pack, "domestic_violence", {**DV_OTHERS, "victim": "elder", "relation": "close",
                                                    "victim_able": "incapable"})
    assert for_elder.outcome.id == "for_others"
    assert {23, 14} <= articles(for_elder, DV_LAW) and 1045 in articles(for_elder, "中华人民共和国民法典")
    assert says(for_elder, "您可以代他向法院申请人身安全保护令")

    for_sister = consult(pack, "domestic_violence", {**DV_OTHERS, "victim": "other_person", "relation": "close",
                                                     "victim_able": "able"})
    assert for_sister.outcome.id == "for_others"
    assert not says(for_sister, "您可以代他") and not says(for_sister, "您代他申请")
    assert says(for_sister, "法律规定要由他本人向法院申请人身安全保护令")
    assert any("受害人本人申请" in w.note for w in for_sister.ways)


TRAFFIC = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 10), "report": "issued",
           "other_party": "insured", "talks": "not_started"}


def test_item11_traffic_review_three_days_from_service_for_every_liability(pack):
    for liability in ("full", "major", "equal", "minor", "none"):
        consultation = consult(pack, "traffic_accident", {**TRAFFIC, "report_date": date(2026, 11, 18),
                                                          "liability": liability})
        review = next(d for d in consultation.deadlines if "复核" in d.label)
        assert review.due == date(2026, 11, 23), liability   # Wed 18th + 3 working days: Thu, Fri, Mon 23rd
        assert "第七十一条" in review.basis and "工作日" in review.basis
        assert {71, 72, 112} <= articles(consultation, TRAFFIC_RULE)
        assert says(consultation, "收到认定书后三日内，向上一级交警部门书面申请复核")
        assert any("上一级" in w.body for w in consultation.ways)


def test_item11_traffic_review_passed_says_the_days_are_working_days(pack):
    consultation = consult(pack, "traffic_accident", {**TRAFFIC, "report_date": date(2026, 11, 13),
                                                      "liability": "minor"})
    review = next(d for d in consultation.deadlines if "复核" in d.label)
    assert review.due == date(2026, 11, 18)                  # Fri 13th + 3 working days: Mon, Tue, Wed 18th
    warning = next(r for r in consultation.risks if review.label in r)
    assert "已经过了" in warning and "工作日" in warning and "不会重新计算" in warning


def test_item11_traffic_review_skips_the_national_day_holiday(pack):
    """112(5): the three days are working days; served on 30 September 2026, they are 8, 9 and 10 October
    (1–7 October are the holiday; Saturday 10 October is a make-up working day of the State Council's notice)."""
    consultation = consult(pack, "traffic_accident", {**TRAFFIC, "report_date": date(2026, 9, 30),
                                                      "liability": "equal"})
    review = next(d for d in consultation.deadlines if "复核" in d.label)
    assert review.due == date(2026, 10, 10) and review.note == ""
    assert pack.periods["traffic_review"].length == "三个工作日"


def test_item11_no_review_deadline_without_a_report(pack):
    consultation = consult(pack, "traffic_accident", {**TRAFFIC, "report": "not_reported",
                                                      "other_party": "uninsured"})
    assert consultation.outcome.id == "no_report"
    assert not any("复核" in d.label for d in consultation.deadlines)
    assert not articles(consultation, TRAFFIC_RULE)


VICTIM = {"role": "victim", "incident_date": date(2026, 10, 8), "victim_hardship": "no"}


def test_item12_assault_victim_is_told_disability_and_death_compensation_are_not_awarded(pack):
    for reported, outcome in (("court", "victim_rights"), ("not_yet", "report_police")):
        consultation = consult(pack, "criminal", {**VICTIM, "reported": reported, "harm": "injury"})
        assert consultation.outcome.id == outcome
        assert {175, 192, 200} <= articles(consultation, CRIMINAL_INTERPRETATION)
        assert says(consultation, "残疾赔偿金、死亡赔偿金一般不判")
        assert says(consultation, "医疗费、护理费、交通费、误工费")
        assert says(consultation, "以后另外起诉要赔偿的，法院也按同样的范围判")
        assert says(consultation, "双方调解、和解的，赔多少可以商量")
        assert not says(consultation, "残疾赔偿金和")
    theft = consult(pack, "criminal", {**VICTIM, "reported": "court", "harm": "property"})
    assert not articles(theft, CRIMINAL_INTERPRETATION) and not says(theft, "残疾赔偿金")


REFUSED = {**VICTIM, "reported": "refused", "harm": "fraud"}


def test_item14_refused_case_reconsideration_within_seven_days_of_the_notice(pack):
    consultation = consult(pack, "criminal", {**REFUSED, "notice": "yes", "notice_date": date(2026, 11, 18)})
    assert consultation.outcome.id == "not_filed"
    review = next(d for d in consultation.deadlines if d.label == "申请复议的最后一天")
    assert review.due == date(2026, 11, 25)
    assert "第一百七十九条" in review.basis and "七日以内" in review.basis
    assert {178, 179} <= articles(consultation, POLICE_RULE)
    assert {112, 113} <= articles(consultation, CRIMINAL_PROCEDURE)
    assert says(consultation, "收到通知书后七日内，向作出决定的公安机关申请复议")
    assert says(consultation, "收到复议决定书后七日内，向上一级公安机关申请复核")
    assert says(consultation, "向检察院提出") and not says(consultation, "几日内")


def test_item14_notice_received_during_a_holiday_and_passed(pack):
    holiday = consult(pack, "criminal", {**REFUSED, "notice": "yes", "notice_date": date(2026, 9, 27)})
    review = next(d for d in holiday.deadlines if d.label == "申请复议的最后一天")
    assert review.due == date(2026, 10, 8)            # 7 days end on 4 October, in the National Day holiday
    warning = next(r for r in holiday.risks if review.label in r)
    assert "不会重新计算" in warning and "检察院" in warning


def test_item14_no_notice_yet_tells_to_ask_for_it_and_computes_nothing(pack):
    consultation = consult(pack, "criminal", {**REFUSED, "harm": "injury", "notice": "no"})
    assert consultation.outcome.id == "not_filed"
    assert not any(d.label == "申请复议的最后一天" for d in consultation.deadlines)
    assert says(consultation, "要求给书面的《不予立案通知书》") and says(consultation, "复议的七天从收到通知书那天算起")


def test_item16_fraud_victim_calls_110_not_the_bank(pack):
    consultation = consult(pack, "criminal", {**VICTIM, "reported": "not_yet", "harm": "fraud",
                                              "incident_date": date(2026, 11, 21)})
    assert consultation.outcome.id == "report_police"
    assert 20 in articles(consultation, ANTI_FRAUD_LAW) and 144 in articles(consultation, CRIMINAL_PROCEDURE)
    assert says(consultation, "请马上打110报警")
    assert says(consultation, "要由公安机关决定") and says(consultation, "银行不能替您冻结对方的账户")
    assert not says(consultation, "打银行电话冻结")
    assert says(consultation, "96110是公安的反诈专线")
    assert consultation.ways[0].body.startswith("110")
    assert says(consultation, "转账记录、聊天记录") and any("转账记录" in m for m in consultation.materials)
