"""Eighth review (session 28, second round): the family, injury and criminal flows walked as the citizens of real
answered consultations, and the gaps the first round left closed with the article in force.

Fixed this round: an heir coerced into an agreement (民法典 150, 152, 155; period coercion_revocation); a rider asked
to pay a car's repair with no one hurt (道路交通安全法 70, 76; 民法典 1165, 1213); a husband doubting paternity
(民法典 1073); a road obstacle or pit (1256, 1258) and a falling pile or tree (1255, 1257); children born outside
marriage named as heirs (1127); a minor's lighter sentence, parents present and sealed record (刑法 72; 刑事诉讼法
281, 286); a grossly careless doctor reported (刑法 335); shared and personal property in a divorce (民法典 1062,
1063); a bride price asked back (1042).

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

CIVIL_CODE = "中华人民共和国民法典"
ROAD_TRAFFIC = "中华人民共和国道路交通安全法"
CIVIL_PROCEDURE = "中华人民共和国民事诉讼法"


def test_an_heir_pressed_by_the_family_into_signing_reads_one_year_from_the_end_of_the_pressure_to_revoke(pack):
    """民法典 150: an agreement signed under coercion may be revoked by a court; 152: within one year from the day
    the coercion ended, five years from signing at most, never restarted; 155: revoked, it binds no one. An heir
    could only pick agreed, disputed or occupied."""
    pressed = consult(pack, "inheritance", {"relation": "child", "will": "none", "estate": "rural_house",
                                            "agree": "coerced", "coercion_end": date(2026, 8, 10)})
    assert pressed.outcome.id == "coerced_agreement" and {150, 152, 155} <= articles(pressed, CIVIL_CODE)
    assert says(pressed, "放弃继承声明的，也一样可以请求撤销")
    assert says(pressed, "从签字那天起满五年的，就不能再撤销了") and says(pressed, "不会因为您去找对方、找人调解而重新计算")
    assert due(pressed) == {"请求撤销协议的最后一天（按逼迫结束的日子估算）": date(2027, 8, 10)}


def test_an_electric_bike_rider_asked_to_pay_for_a_scraped_car_reads_fault_decides_and_no_compulsory_insurance(
        pack):
    """民法典 1165, 道路交通安全法 76: with only vehicles damaged the rider pays by his share of fault; an electric
    bicycle has no compulsory insurance, while the car's insurer pays his own bike within its limit. The side page
    offered only 'victim' or 'hit someone'."""
    rider = consult(pack, "traffic_accident", {
        "harm": "property", "side": "owes_repair", "my_vehicle": "non_motor", "accident_date": date(2026, 11, 2),
        "report": "issued", "report_date": date(2026, 11, 5), "liability": "equal"})
    assert rider.outcome.id == "repair_claim"
    assert {70, 76} <= articles(rider, ROAD_TRAFFIC) and 1165 in articles(rider, CIVIL_CODE)
    assert says(rider, "自行车、电动自行车没有交强险") and says(rider, "按您负的责任大小")
    assert not says(rider, "您的交强险在财产损失的限额内赔")
    assert due(rider) == {"申请复核的最后一天": date(2026, 11, 10)}


def test_a_motorcyclist_asked_to_pay_for_a_car_reads_his_compulsory_insurance_pays_first(pack):
    """民法典 1213, 道路交通安全法 76: a motor vehicle's own compulsory insurance pays the other's property loss first,
    within a limit the kiosk states only in words."""
    biker = consult(pack, "traffic_accident", {
        "harm": "property", "side": "owes_repair", "my_vehicle": "motor", "accident_date": date(2026, 11, 2),
        "report": "not_reported"})
    assert biker.outcome.id == "repair_claim" and 1213 in articles(biker, CIVIL_CODE)
    assert says(biker, "先由您的交强险在财产损失的限额内赔") and says(biker, "没有认定书")
    assert due(biker) == {}


def test_a_husband_who_doubts_a_child_is_his_reads_he_needs_a_proper_reason_and_a_refusal_may_count_against_her(
        pack):
    """民法典 1073: a parent with a proper reason may ask a court to confirm or deny parentage; a court MAY find for
    him when he brought the necessary evidence and she refuses a test (婚姻家庭编解释（一）39, in words); refunds are
    not settled by law. The flow had no answer for it."""
    doubt = consult(pack, "marriage_family", {"violence": "no", "both_agree": "paternity"})
    assert doubt.outcome.id == "paternity" and 1073 in articles(doubt, CIVIL_CODE)
    assert says(doubt, "光是怀疑不够") and says(doubt, "法院不能强迫对方去做")
    assert says(doubt, "法院可以认定孩子不是您亲生的。这是“可以”，不是一定")
    assert says(doubt, "法律没有明说") and 22 in articles(doubt, CIVIL_PROCEDURE)


def test_a_villager_who_fell_into_an_unmarked_roadside_pit_reads_the_digger_and_the_road_manager_answer(pack):
    """民法典 1258: a digger on a road who cannot show clear signs and safety measures pays, a manhole's manager who
    cannot show he managed it pays; 1256: whoever piles things on a public road pays, its manager too unless it
    shows it cleared, guarded or warned. The cause page had no road hazard."""
    pit = consult(pack, "personal_injury", {"cause": "road", "harm": "hospital", "injury_date": date(2026, 10, 20),
                                            "who_known": "no", "own_fault": "none", "talks": "not_started"})
    assert pit.outcome.id == "unknown_party" and {1256, 1258} <= articles(pit, CIVIL_CODE)
    assert says(pit, "施工的人要赔") and says(pit, "管这条路的单位")
    known = consult(pack, "personal_injury", {"cause": "road", "harm": "light", "injury_date": date(2026, 10, 20),
                                              "who_known": "yes", "own_fault": "some", "talks": "refused"})
    assert known.outcome.id == "claim" and {1256, 1258, 1173} <= articles(known, CIVIL_CODE)
    assert says(known, "由堆放的人赔")


def test_a_walker_hit_by_a_falling_pile_or_a_broken_tree_reads_its_keeper_pays_unless_he_shows_no_fault(pack):
    """民法典 1255: a pile that collapses, rolls or slides onto someone is paid for by whoever piled it unless he shows
    no fault; 1257: a tree that breaks or falls, or its fruit, by its owner or manager on the same terms. The falling
    answer named only buildings and things from above."""
    hit = consult(pack, "personal_injury", {"cause": "falling", "harm": "hospital", "injury_date": date(2026, 10, 1),
                                            "who_known": "yes", "own_fault": "none", "talks": "refused"})
    assert hit.outcome.id == "claim" and {1255, 1257} <= articles(hit, CIVIL_CODE)
    assert says(hit, "堆放的人不能证明自己没有过错，就要赔") and says(hit, "树的主人或者管理人不能证明自己没有过错")


def test_a_child_born_outside_marriage_reads_it_is_a_child_heir_on_the_first_question(pack):
    """民法典 1127: 子女 includes children born outside marriage (1071: the same rights). The relation page's help named
    only adopted and stepchildren."""
    relation = pack.flow("inheritance").pages["relation"]
    assert "没结婚生的子女" in relation.help


def test_the_family_of_an_arrested_minor_reads_the_lighter_sentence_the_parents_presence_and_the_sealed_record(pack):
    """刑法 17 (in words) and 72: a minor is punished more lightly and, meeting the conditions, must be given a
    suspended sentence; 刑事诉讼法 281: the parents are called to questioning and trial; 286: a sentence of five years
    or less is sealed. The family read only that a lawyer is appointed. The sentencing lines wait for the arrest
    (the slip's paper budget: the first example is a minor in detention)."""
    minor = consult(pack, "criminal", {"role": "family", "stage": "arrested", "notified": "yes", "special": "minor",
                                       "afford": "can_afford"})
    assert minor.outcome.id == "appointed_defender"
    assert 72 in articles(minor, "中华人民共和国刑法") and {281, 286} <= articles(minor, "中华人民共和国刑事诉讼法")
    assert says(minor, "应当从轻或者减轻处罚") and says(minor, "应当判缓刑") and says(minor, "犯罪记录要封存")
    adult = consult(pack, "criminal", {"role": "family", "stage": "arrested", "notified": "yes", "special": "none",
                                       "afford": "cannot"})
    assert not says(adult, "犯罪记录要封存")
    held = consult(pack, "criminal", {"role": "family", "stage": "detained", "notified": "yes", "special": "minor",
                                      "afford": "can_afford"})
    assert says(held, "应当通知他的父母到场") and 281 in articles(held, "中华人民共和国刑事诉讼法")


def test_the_family_of_a_patient_who_died_reads_a_grossly_careless_doctor_may_be_reported_to_the_police(pack):
    """刑法 335: medical staff whose gross irresponsibility kills a patient or gravely harms his health commit a
    crime; the family may report it and still claim damages. The claim outcome named only the civil routes."""
    died = consult(pack, "medical", {"patient": "died", "death_time": "longer", "problem": "wrong_treatment",
                                     "event_date": date(2026, 9, 1), "records": "copied", "stance": "denies"})
    assert died.outcome.id == "claim" and 335 in articles(died, "中华人民共和国刑法")
    assert says(died, "可能构成医疗事故罪")


def test_a_wife_divorcing_over_a_house_bought_after_marriage_reads_what_is_shared_and_what_stays_personal(pack):
    """民法典 1062, 1063: what either spouse earns or buys during the marriage is in general shared whoever paid or is
    registered, what one owned before stays his; a house paid down before the marriage and repaid together goes to
    the registered spouse, who compensates the other (婚姻家庭编解释（一）78, in words); parents' money is left to a
    lawyer (the rules turn on when and to whom). The outcome said only that the court divides the joint property."""
    house = consult(pack, "marriage_family", {"violence": "no", "both_agree": "one_side", "children": "under_two",
                                              "property": "assets", "fault": "none"})
    assert house.outcome.id == "litigation" and {1062, 1063, 1087} <= articles(house, CIVIL_CODE)
    assert says(house, "不管写谁的名字、谁出的钱，一般是两个人共有的") and says(house, "他要补偿另一方")
    assert says(house, "父母出钱买的房")
    little = consult(pack, "marriage_family", {"violence": "no", "both_agree": "one_side", "children": "none",
                                               "property": "little", "fault": "none"})
    assert 1062 not in articles(little, CIVIL_CODE)


def test_a_family_whose_engagement_broke_off_reads_when_the_bride_price_comes_back(pack):
    """民法典 1042 forbids asking for property through marriage; a 彩礼 given by custom generally comes back when the
    couple never registered nor lived together, on divorce when registered but never together, and is weighed by
    the court when they lived together (婚姻家庭编解释（一）5 and the 2024 彩礼 rules, in words). The flow had no
    answer for a 彩礼 at all."""
    apart = consult(pack, "marriage_family", {"violence": "no", "both_agree": "bride_price",
                                              "bride_status": "unregistered_apart"})
    assert apart.outcome.id == "bride_price" and 1042 in articles(apart, CIVIL_CODE)
    assert says(apart, "没领结婚证、也没一起生活的，一般可以要回彩礼") and says(apart, "实际给彩礼的父母可以和本人一起告")
    married = consult(pack, "marriage_family", {"violence": "no", "both_agree": "bride_price",
                                                "bride_status": "registered_together"})
    assert says(married, "离婚时一般不退彩礼") and says(married, "判退一部分")
    assert not says(married, "一般可以要回彩礼") and not says(married, "实际给彩礼的父母")
