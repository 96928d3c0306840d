"""Sixth review (session 27): the family, injury and criminal flows walked as the citizens of real answered
consultations, and each gap a lawyer found pinned to the article in force that closes it.

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

CIVIL_CODE = "中华人民共和国民法典"
CIVIL_PROCEDURE = "中华人民共和国民事诉讼法"
LAND_CONTRACT_LAW = "中华人民共和国农村土地承包法"
PUBLIC_ORDER_LAW = "中华人民共和国治安管理处罚法"
TRAFFIC_LAW = "中华人民共和国道路交通安全法"
ELDERLY_LAW = "中华人民共和国老年人权益保障法"
CRIMINAL_LAW = "中华人民共和国刑法"
DIVORCED = {"violence": "no", "both_agree": "divorced_property"}
HEIRS_DISPUTE = {"relation": "child", "will": "none", "agree": "disputed", "divided": "undivided"}


def test_a_divorced_wife_whose_creditor_sues_for_a_debt_both_signed_reads_it_is_owed_by_both_not_a_child_question(pack):
    """民法典 1064, 1089: a debt both spouses signed is a joint debt, repaid jointly; how a divorce splits it binds
    only the two (婚姻家庭编解释（一）35, said in words). A divorced woman sued with her ex for such a debt could pick
    only 'a dispute over the children' after a divorce and was asked about child support."""
    debt = consult(pack, "marriage_family", {**DIVORCED, "property_after": "debt"})
    assert debt.outcome.id == "property_matters" and {1064, 1089} <= articles(debt, CIVIL_CODE)
    assert says(debt, "债主离婚后还可以找你们两个人还") and says(debt, "可以再找他要回来")
    assert not says(debt, "抚养费")


def test_a_divorced_spouse_who_finds_hidden_property_may_sue_to_divide_it_again_within_three_years_of_finding_it(pack):
    """民法典 1092: a spouse who hid or moved joint property may get less or none, and the other may sue after the
    divorce to divide it again; the three years run from discovery (婚姻家庭编解释（一）84, in words)."""
    hidden = consult(pack, "marriage_family", {**DIVORCED, "property_after": "hidden",
                                               "found_date": date(2026, 3, 1)})
    assert hidden.outcome.id == "property_matters" and 1092 in articles(hidden, CIVIL_CODE)
    assert says(hidden, "要求再分一次共同财产")
    assert due(hidden) == {"起诉要求再分财产的最后一天（按您发现的日子估算）": date(2029, 3, 1)}


def test_a_divorced_wife_whose_ex_sold_the_car_the_agreement_gave_her_reads_she_can_sue_on_the_agreement(pack):
    """民法典 1087; 民事诉讼法 247, 250: the property terms of a divorce agreement bind both and may be sued on; a
    judgment or mediation paper is enforced by the court within two years. A woman whose ex sold the car the
    agreement gave her had no path after a divorce but the children's."""
    sold = consult(pack, "marriage_family", {**DIVORCED, "property_after": "not_done"})
    assert sold.outcome.id == "property_matters" and 1087 in articles(sold, CIVIL_CODE)
    assert {247, 250} <= articles(sold, CIVIL_PROCEDURE)
    assert says(sold, "可以拿着离婚协议到法院起诉") and says(sold, "可以要求他赔偿您的损失")


def test_heirs_of_a_farmer_read_that_the_household_contract_land_is_not_divided_as_an_estate_but_its_income_is(pack):
    """民法典 1122: what by law or by its nature cannot be inherited is not part of the estate; the household, not
    one member, holds contract land (农村土地承包法 16, in words), and only the contractor's income passes by
    inheritance, forest land excepted (农村土地承包法 32). Children with a town hukou asking to inherit their
    mother's contract land could only pick 'money, a car or other things' and read it would be split equally."""
    land = consult(pack, "inheritance", {**HEIRS_DISPUTE, "estate": "contract_land"})
    assert land.outcome.id == "estate_dispute" and 1122 in articles(land, CIVIL_CODE)
    assert {32, 55} <= articles(land, LAND_CONTRACT_LAW)
    assert says(land, "不是哪一个人的遗产，不能当遗产来分") and says(land, "继承人可以接着承包到承包期满")
    settled = consult(pack, "inheritance", {"relation": "child", "will": "none", "estate": "contract_land",
                                            "agree": "agreed"})
    assert settled.outcome.id == "settle" and 32 in articles(settled, LAND_CONTRACT_LAW)
    willed = consult(pack, "inheritance", {**HEIRS_DISPUTE, "will": "handwritten", "estate": "contract_land"})
    assert willed.outcome.id == "will_dispute" and says(willed, "不能当遗产来分")
    house = consult(pack, "inheritance", {**HEIRS_DISPUTE, "estate": "house"})
    assert 1122 not in articles(house, CIVIL_CODE) and not says(house, "承包地")


def test_a_driver_whose_insurer_waits_for_the_liability_report_reads_it_must_pay_the_rescue_costs_on_police_notice(
        pack):
    """道路交通安全法 75: a hospital may not delay rescue for unpaid costs; the compulsory insurer pays the rescue
    costs within its limit, the relief fund advances them for an uninsured car (交强险条例 31: on the traffic police's
    notice, in words). A driver whose insurer stopped advancing until the liability report read only to notify it."""
    answers = {"harm": "injured", "side": "driver", "accident_date": date(2026, 11, 15), "report": "pending",
               "other_party": "insured", "talks": "not_started"}
    driver = consult(pack, "traffic_accident", answers)
    assert driver.outcome.id == "claim" and 75 in articles(driver, TRAFFIC_LAW)
    assert says(driver, "抢救费用由保险公司在交强险限额内支付") and says(driver, "请处理事故的交警大队通知保险公司")
    damage = consult(pack, "traffic_accident", {**answers, "harm": "property"})
    assert 75 not in articles(damage, TRAFFIC_LAW) and not says(damage, "抢救费用")


def test_a_citizen_hurt_in_a_fight_he_answered_reads_self_defence_both_sides_punished_and_police_mediation(pack):
    """治安管理处罚法 19 and 民法典 181: stopping an attack under way is neither punished nor owed damages, beyond what
    is needed it is punished less and owes a fair share; 治安管理处罚法 9: a light fight from a civil quarrel may be
    mediated by the police, and an agreement means no punishment. A man beaten by two after an insult, who hurt one of
    them, read only that his own fault lowers what he gets."""
    answers = {"cause": "assault", "harm": "light", "injury_date": date(2026, 11, 1), "reported": "yes",
               "own_fault": "unsure", "talks": "not_started"}
    fight = consult(pack, "personal_injury", answers)
    assert fight.outcome.id == "assault" and {9, 19} <= articles(fight, PUBLIC_ORDER_LAW)
    assert 181 in articles(fight, CIVIL_CODE)
    assert says(fight, "是正当防卫，不处罚，也不用赔") and says(fight, "调解达成协议的，不再处罚")
    blameless = consult(pack, "personal_injury", {**answers, "own_fault": "none"})
    assert 19 not in articles(blameless, PUBLIC_ORDER_LAW) and not says(blameless, "正当防卫")


def test_the_wife_of_a_husband_drunk_for_ten_years_finds_her_ground_for_divorce_among_the_faults(pack):
    """民法典 1079(三): 赌博、吸毒等恶习屡教不改 is a ground on which the court shall grant a divorce; the fault page
    named only gambling and drugs, so a wife whose husband has drunk every day for years picked 没有."""
    fault_page = pack.flow("marriage_family").pages["fault"]
    assert any("酗酒" in option.label for option in fault_page.options if option.id == "gambling")
    drunk = consult(pack, "marriage_family", {"violence": "no", "both_agree": "one_side", "children": "none",
                                              "property": "little", "fault": "gambling"})
    assert drunk.outcome.id == "litigation" and 1079 in articles(drunk, CIVIL_CODE)
    assert says(drunk, "赌博吸毒等恶习屡教不改，都是法院认定感情破裂的情形")


def test_an_old_parent_left_without_food_by_a_son_reads_the_right_to_support_money_and_that_abandonment_is_punished(
        pack):
    """民法典 1067, 196(三), 老年人权益保障法 19 and 75: a parent unable to work or in hardship may claim support money
    from a grown child who does not provide it, with no limitation period, by mediation or suit, and the court may
    order part paid first; 治安管理处罚法 53(三), 刑法 261: abandoning a dependant who cannot live alone is punished,
    a crime when grave. An old father whose son gave him no food, and a daughter asking for such a mother, read only
    about the protection order and 虐待."""
    answers = {"danger": "no", "who_hurt": "child", "forms": "neglect", "reported": "no"}
    father = consult(pack, "domestic_violence", {**answers, "victim": "self", "evidence": "witness", "wish": "stop"})
    assert father.outcome.id == "protection_order" and {1067, 196} <= articles(father, CIVIL_CODE)
    assert {19, 75} <= articles(father, ELDERLY_LAW) and 261 in articles(father, CRIMINAL_LAW)
    assert 53 in articles(father, PUBLIC_ORDER_LAW)
    assert says(father, "可以要求子女给赡养费") and says(father, "要赡养费不受三年诉讼时效") and says(father, "构成遗弃罪")
    mother = consult(pack, "domestic_violence", {**answers, "victim": "elder", "relation": "close",
                                                 "victim_able": "able"})
    assert mother.outcome.id == "for_others" and 1067 in articles(mother, CIVIL_CODE)
    assert says(mother, "也可以在老人自己住的地方起诉")
    wife = consult(pack, "domestic_violence", {**answers, "who_hurt": "spouse", "forms": "beating", "victim": "self",
                                               "evidence": "medical", "wish": "stop"})
    assert 1067 not in articles(wife, CIVIL_CODE) and 261 not in articles(wife, CRIMINAL_LAW)


def test_a_passer_by_hit_by_a_collapsing_wall_reads_that_the_builder_and_contractor_answer_for_it(pack):
    """民法典 1252: a building or structure that collapses and hurts someone is paid for jointly by the builder and
    the contractor unless they prove no defect, or by the owner, manager, user or a third person whose act caused it.
    The falling-object option named only things thrown or dropped from above (1253, 1254)."""
    collapse = consult(pack, "personal_injury", {"cause": "falling", "harm": "hospital",
                                                 "injury_date": date(2026, 10, 1), "who_known": "yes",
                                                 "own_fault": "none", "talks": "refused"})
    assert collapse.outcome.id == "claim" and {1252, 1253} <= articles(collapse, CIVIL_CODE)
    assert says(collapse, "由盖它的建设单位和施工单位一起赔")
    option = next(o for o in pack.flow("personal_injury").pages["cause"].options if o.id == "falling")
    assert "倒塌" in option.label


def test_a_married_mother_whose_husband_gives_nothing_for_the_child_may_claim_support_without_divorcing(pack):
    """民法典 1058, 1067, 196(三): both spouses owe their minor child upkeep, a child whose parent does not provide
    it may claim support money, with no limitation period; it may be claimed while the marriage lasts
    (婚姻家庭编解释（一）43, in words). A mother not wanting a divorce, whose husband working away sent nothing, could
    answer only the divorce questions."""
    support = consult(pack, "marriage_family", {"violence": "no", "both_agree": "married_support"})
    assert support.outcome.id == "support_in_marriage" and {1058, 1067, 196} <= articles(support, CIVIL_CODE)
    assert says(support, "没有离婚也可以要") and says(support, "要抚养费不受三年诉讼时效")
    assert support.legal_aid.verdict.value == "not_assessed" and "抚养费" in support.legal_aid.reason


def test_a_mother_whose_ex_took_away_the_child_the_judgment_gave_her_reads_she_may_have_the_court_enforce_it(pack):
    """民事诉讼法 247: a party may apply to the court to enforce a judgment or mediation paper the other refuses to
    carry out, the child's custody included. A mother whose ex took the daughter a judgment gave her read only how to
    ask for a change of custody."""
    taken = consult(pack, "marriage_family", {"violence": "no", "both_agree": "divorced", "after_divorce": "custody"})
    assert taken.outcome.id == "child_matters" and 247 in articles(taken, CIVIL_PROCEDURE)
    assert says(taken, "对方把孩子带走不还的，可以向原来审理的法院申请强制执行")


def test_a_pregnant_widow_reads_that_a_share_of_the_estate_is_kept_for_the_unborn_child(pack):
    """民法典 1155 (with 16): a share is kept for a child conceived but not yet born when the estate is divided; a
    stillbirth's share goes by statutory succession. A widow expecting her husband's child read nothing of it."""
    widow = consult(pack, "inheritance", {**HEIRS_DISPUTE, "relation": "spouse", "estate": "house"})
    assert widow.outcome.id == "estate_dispute" and 1155 in articles(widow, CIVIL_CODE)
    assert says(widow, "分遗产时要给这个孩子留出一份")
    agreed = consult(pack, "inheritance", {"relation": "spouse", "will": "none", "estate": "house", "agree": "agreed"})
    assert agreed.outcome.id == "settle" and 1155 in articles(agreed, CIVIL_CODE)
    son = consult(pack, "inheritance", {**HEIRS_DISPUTE, "estate": "house"})
    assert 1155 not in articles(son, CIVIL_CODE)


def test_a_woman_whose_boyfriend_borrowed_money_and_did_not_repay_reads_it_is_usually_a_debt_not_a_fraud(pack):
    """刑法 266: fraud is taking property by deceit; a loan between acquaintances left unpaid is in general a civil
    debt the police do not open a case on, a fraud only where the money was got by a made-up story with no intent to
    repay. A woman whose boyfriend borrowed 100,000 yuan read only the telecom-fraud steps (stop-payment, 96110)."""
    answers = {"role": "victim", "reported": "not_yet", "harm": "fraud", "incident_date": date(2026, 8, 1),
               "victim_hardship": "no"}
    lent = consult(pack, "criminal", answers)
    assert lent.outcome.id == "report_police" and 266 in articles(lent, CRIMINAL_LAW)
    assert says(lent, "借钱不还，一般是借钱的纠纷，不算诈骗") and says(lent, "要钱可以到法院起诉")
    refused = consult(pack, "criminal", {**answers, "reported": "refused", "notice": "no"})
    assert refused.outcome.id == "not_filed" and says(refused, "借钱不还，一般是借钱的纠纷")
    beaten = consult(pack, "criminal", {**answers, "harm": "injury"})
    assert 266 not in articles(beaten, CRIMINAL_LAW) and not says(beaten, "借钱的纠纷")
