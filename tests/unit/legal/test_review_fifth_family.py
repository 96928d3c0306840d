"""Issue 13, fifth review (session 26): the family, injury and criminal flows walked as the citizens of real answered
consultations, and each gap a lawyer found pinned to the article in force that closes it.

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult
from tests.unit.legal.test_review_protection import articles, says

CIVIL_CODE = "中华人民共和国民法典"
CIVIL_PROCEDURE = "中华人民共和国民事诉讼法"
CRIMINAL_PROCEDURE = "中华人民共和国刑事诉讼法"
TRAFFIC_LAW = "中华人民共和国道路交通安全法"
DIVORCE = {"violence": "no", "both_agree": "agreed_all", "children": "none", "property": "little", "fault": "affair"}


def test_a_spouse_divorcing_at_the_registry_after_the_other_lived_with_someone_else_keeps_the_right_to_damages(pack):
    """民法典 1091: the innocent spouse of a divorce caused by 重婚、与他人同居、家暴、虐待遗弃 may claim damages; a
    divorce by agreement does not end that right unless the agreement waives it (婚姻家庭编解释（一）89, said in
    words). The registry outcome said nothing of it, so a husband whose wife lived with another man signed it away."""
    agreed = consult(pack, "marriage_family", DIVORCE)
    assert agreed.outcome.id == "registry" and 1091 in articles(agreed, CIVIL_CODE)
    assert says(agreed, "您可以要求他赔偿") and says(agreed, "协议里没有写明不要赔偿的，离婚以后也可以到法院起诉要")
    blameless = consult(pack, "marriage_family", {**DIVORCE, "fault": "none"})
    assert 1091 not in articles(blameless, CIVIL_CODE) and not says(blameless, "您可以要求他赔偿")


def test_a_spouse_suing_for_divorce_reads_that_the_court_is_where_the_other_lives_for_a_year_not_only_his_hukou(pack):
    """民事诉讼法 22: the defendant's court, and where his domicile and habitual residence differ, the court of the
    habitual residence; a spouse gone from his domicile over a year may also be sued at the plaintiff's domicile
    (民诉法解释 12, said in words). A wife whose husband has long lived in another city read only 对方住所地."""
    suing = consult(pack, "marriage_family", {**DIVORCE, "both_agree": "one_side"})
    assert suing.outcome.id == "litigation" and 22 in articles(suing, CIVIL_PROCEDURE)
    assert says(suing, "连续住了一年以上的，到他住的那个地方的法院起诉")
    assert says(suing, "也可以在您自己户口所在地的法院起诉")


def test_a_crime_victim_whose_case_the_procuratorate_drops_may_appeal_in_seven_days_or_prosecute_himself(pack):
    """刑事诉讼法 180: a victim served with a decision not to prosecute may within seven days appeal to the
    procuratorate one level up, or bring the case to court himself without appealing. The victim's outcome named only
    the appeal against a first-instance judgment (229)."""
    answers = {"role": "victim", "reported": "court", "harm": "injury", "incident_date": date(2026, 6, 10),
               "victim_hardship": "no"}
    dropped = consult(pack, "criminal", answers)
    assert dropped.outcome.id == "victim_rights" and 180 in articles(dropped, CRIMINAL_PROCEDURE)
    assert says(dropped, "收到决定书后七日内，向上一级检察院申诉") and says(dropped, "直接提起自诉（被害人自己到法院告对方犯罪）")
    filed = consult(pack, "criminal", {**answers, "reported": "filed"})
    assert filed.outcome.id == "victim_rights" and 180 in articles(filed, CRIMINAL_PROCEDURE)


def test_a_victim_hit_by_an_uninsured_vehicle_reads_that_the_rescue_fund_may_advance_the_rescue_costs(pack):
    """道路交通安全法 75: where the vehicle has no compulsory insurance, the road accident relief fund advances part
    or all of the rescue costs. The victim of an uninsured tricycle whose owner cannot pay read only that money
    would be hard to get."""
    answers = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 20), "report": "pending",
               "other_party": "uninsured", "talks": "refused"}
    uninsured = consult(pack, "traffic_accident", answers)
    assert uninsured.outcome.id == "claim" and 75 in articles(uninsured, TRAFFIC_LAW)
    assert says(uninsured, "抢救费用可以由道路交通事故社会救助基金先垫付")
    insured = consult(pack, "traffic_accident", {**answers, "other_party": "insured"})
    assert 75 not in articles(insured, TRAFFIC_LAW) and not says(insured, "社会救助基金先垫付")
