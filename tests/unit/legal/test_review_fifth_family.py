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
    assert not says(insured, "社会救助基金先垫付")
    # 75 also makes the other car's compulsory insurer pay the rescue costs within its limit (session 27: the
    # fifth review had kept 75 off the insured case, which left the victim without that line)
    assert 75 in articles(insured, TRAFFIC_LAW) and says(insured, "抢救费用由对方的保险公司在交强险限额内支付")


def test_a_divorced_mother_whose_ex_does_not_pay_child_support_gets_advice_not_the_divorce_questions(pack):
    """民法典 1085, 196(三), 民事诉讼法 247 and 250: the parent not raising the child pays support; a claim for it has
    no limitation period; a judgment or mediation paper is enforced by the court, within two years counted from the
    last instalment. The flow could only ask about getting divorced, so a mother divorced five years ago whose ex
    never paid was walked through the divorce questions."""
    support = consult(pack, "marriage_family", {"violence": "no", "both_agree": "divorced", "after_divorce": "support"})
    assert support.outcome.id == "child_matters"
    assert {1084, 1085, 196} <= articles(support, CIVIL_CODE) and {247, 250} <= articles(support, CIVIL_PROCEDURE)
    assert says(support, "要抚养费不受三年诉讼时效") and says(support, "从最后一期到期那天起算")
    assert says(support, "对方不让看孩子，也不能因此不给抚养费")
    assert support.legal_aid.verdict.value == "not_assessed" and "抚养费" in support.legal_aid.reason
    visit = consult(pack, "marriage_family", {"violence": "no", "both_agree": "divorced", "after_divorce": "visit"})
    assert visit.outcome.id == "child_matters" and 1086 in articles(visit, CIVIL_CODE)
    assert says(visit, "有探望孩子的权利，另一方有协助的义务") and says(visit, "不会强行把孩子带走")
    custody = consult(pack, "marriage_family", {"violence": "no", "both_agree": "divorced", "after_divorce": "custody"})
    assert custody.outcome.id == "child_matters" and says(custody, "要求变更抚养关系")
    assert says(custody, "光是不让探望，法院不一定因此改判")


def test_a_spouse_separated_for_years_reads_the_two_year_ground_and_the_right_to_compensation_or_help(pack):
    """民法典 1079(四): separation for two years over discord is a ground the court must grant; 1088: the spouse who
    bore more of raising children, caring for elders or helping the other's work may claim compensation; 1090: a
    spouse in hardship gets help. A wife separated five years who asked what she could claim read none of them."""
    separated = consult(pack, "marriage_family", {**DIVORCE, "both_agree": "one_side", "fault": "none"})
    assert separated.outcome.id == "litigation" and {1079, 1088, 1090} <= articles(separated, CIVIL_CODE)
    assert says(separated, "分居满两年的，调解无效，法院应当准予离婚")
    assert says(separated, "离婚时可以要求对方补偿") and says(separated, "有能力的另一方应当给予适当帮助")


def test_a_widow_whose_husband_willed_their_shared_house_away_reads_that_her_half_is_not_his_to_will(pack):
    """民法典 1153: in dividing an estate, half of the couple's shared property goes first to the surviving spouse;
    a will disposing of her half is void as to that part (继承编解释（一）26, said in words). The will-dispute outcome
    said only that a valid will is followed."""
    answers = {"relation": "spouse", "will": "handwritten", "estate": "house", "agree": "disputed",
               "divided": "undivided"}
    willed = consult(pack, "inheritance", answers)
    assert willed.outcome.id == "will_dispute" and 1153 in articles(willed, CIVIL_CODE)
    assert says(willed, "遗嘱把配偶的那一半也给了别人的，那一部分无效")


def test_a_beaten_wife_and_her_sister_read_that_a_serious_beating_can_be_punished_or_be_a_crime(pack):
    """反家庭暴力法 33 (with 15): domestic violence that breaks public-order rules is punished, and a crime is
    prosecuted; the police help the victim have the injury assessed. A sister asking for a wife beaten into hospital
    read only the protection order and the 告诫书."""
    sister = consult(pack, "domestic_violence", {"danger": "no", "victim": "other_person", "who_hurt": "spouse",
                                                "forms": "beating", "reported": "no", "relation": "close",
                                                "victim_able": "able"})
    assert sister.outcome.id == "for_others" and 33 in articles(sister, "中华人民共和国反家庭暴力法")
    assert says(sister, "鉴定为轻伤以上") and says(sister, "公安要帮受害人看伤、鉴定伤情")
    self_victim = consult(pack, "domestic_violence", {"danger": "no", "victim": "self", "who_hurt": "spouse",
                                                     "forms": "beating", "reported": "no", "evidence": "medical",
                                                     "wish": "stop"})
    assert self_victim.outcome.id == "protection_order" and 33 in articles(self_victim, "中华人民共和国反家庭暴力法")
    threatened = consult(pack, "domestic_violence", {"danger": "no", "victim": "self", "who_hurt": "spouse",
                                                    "forms": "threat", "reported": "no", "evidence": "photos",
                                                    "wish": "stop"})
    assert 33 not in articles(threatened, "中华人民共和国反家庭暴力法")


def test_a_widow_notarising_the_inheritance_with_young_children_reads_that_she_acts_for_them_and_guards_their_share(
        pack):
    """民法典 34 and 35: a guardian represents the ward and may not dispose of the ward's property except in the
    ward's interest. A widow whose heirs include small children asked whether they must come to the notary."""
    notary = consult(pack, "notarization", {"matter": "inheritance", "heirs_agree": "all_agree", "will": "no"})
    assert notary.outcome.id == "inheritance" and {34, 35} <= articles(notary, CIVIL_CODE)
    assert says(notary, "孩子可以不去") and says(notary, "不能随便替孩子放弃继承")


def test_an_injured_passenger_reads_that_his_own_cars_insurance_does_not_cover_him_but_the_carrier_must_pay(pack):
    """民法典 823: the carrier answers for a passenger's injury in transit unless it came from his own health or his
    intent or gross negligence; 1217: a free rider's driver pays less unless intentional or grossly negligent; the
    compulsory insurance does not cover those in the insured car (交强险条例 3, said in words). A taxi passenger who
    asked whether the taxi's 交强险 pays read only 先由交强险的保险公司在限额内赔."""
    answers = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 20), "report": "pending",
               "other_party": "insured", "talks": "refused"}
    passenger = consult(pack, "traffic_accident", answers)
    assert passenger.outcome.id == "claim" and {823, 1217} <= articles(passenger, CIVIL_CODE)
    assert says(passenger, "您坐的那辆车的交强险不赔车上的人") and says(passenger, "找司机或者客运公司赔")
    assert says(passenger, "免费搭别人的私家车受伤")
    damaged = consult(pack, "traffic_accident", {**answers, "harm": "property"})
    assert 823 not in articles(damaged, CIVIL_CODE) and not says(damaged, "交强险不赔车上的人")


def test_the_family_of_someone_on_bail_reads_his_duties_the_time_limit_and_that_the_case_goes_on(pack):
    """刑事诉讼法 71 (not leaving the city or county, reporting changes, coming when summoned, no interfering with
    witnesses or evidence, else the bond is forfeit and arrest may follow) and 79 (bail at most twelve months,
    residential surveillance six; the case goes on meanwhile). A family asking whether two months on bail without
    charges meant the case was over read only how to hire a lawyer who visits the detention house."""
    answers = {"role": "family", "stage": "bail", "notified": "yes", "special": "none", "afford": "can_afford"}
    bailed = consult(pack, "criminal", answers)
    assert bailed.outcome.id == "hire_defender" and {71, 79} <= articles(bailed, CRIMINAL_PROCEDURE)
    assert says(bailed, "没经批准不能离开住的市、县") and says(bailed, "最长不超过十二个月")
    assert says(bailed, "放回家不等于案子结了")
    poor = consult(pack, "criminal", {**answers, "afford": "cannot"})
    assert poor.outcome.id == "legal_aid_defence" and {71, 79} <= articles(poor, CRIMINAL_PROCEDURE)
    held = consult(pack, "criminal", {**answers, "stage": "detained"})
    assert 79 not in articles(held, CRIMINAL_PROCEDURE) and not says(held, "放回家不等于案子结了")


def test_heirs_read_that_the_share_of_an_heir_who_died_before_the_division_passes_to_his_own_heirs(pack):
    """民法典 1152: an heir who dies after the deceased but before the estate is divided, without renouncing, passes
    his share to his own heirs unless a will says otherwise. A grandson whose grandmother died before the father's
    estate was divided, and families where several elders died one after another, read nothing of it."""
    answers = {"relation": "child", "will": "none", "estate": "house", "agree": "agreed"}
    agreed = consult(pack, "inheritance", answers)
    assert agreed.outcome.id == "settle" and 1152 in articles(agreed, CIVIL_CODE)
    assert says(agreed, "他那一份转给他自己的继承人")
    disputed = consult(pack, "inheritance", {**answers, "agree": "disputed", "divided": "undivided"})
    assert disputed.outcome.id == "estate_dispute" and 1152 in articles(disputed, CIVIL_CODE)
    assert says(disputed, "他那一份转给他自己的继承人")


def test_a_parent_whose_child_was_hurt_by_another_child_reads_that_the_other_childs_parents_pay(pack):
    """民法典 1188 (guardians answer for the harm their ward does; the ward's own money first), 1189 (entrusted to
    someone else: the guardian still pays, the carer for his own fault), 治安管理处罚法 12 (under fourteen: no
    punishment, the guardian is told to discipline). Four consultations asked whom to sue when a neighbour's child
    hurt theirs; the outcome spoke only of detaining and fining the one who hit."""
    answers = {"cause": "assault", "harm": "light", "injury_date": date(2026, 11, 1), "reported": "yes",
               "own_fault": "none", "talks": "refused"}
    hit = consult(pack, "personal_injury", answers)
    assert hit.outcome.id == "assault" and {1188, 1189} <= articles(hit, CIVIL_CODE)
    assert 12 in articles(hit, "中华人民共和国治安管理处罚法")
    assert says(hit, "打人的是不满十八岁的孩子的，由他的父母赔") and says(hit, "父母离婚了的，一般两个人都要赔")
    assert says(hit, "孩子不满十四岁的，不罚款、不拘留")
    school = consult(pack, "personal_injury", {**answers, "cause": "school", "own_fault": "none"})
    assert school.outcome.id == "claim" and 1188 in articles(school, CIVIL_CODE)
    assert says(school, "那个孩子的父母也要赔")


def test_a_beaten_wife_suing_for_divorce_reads_the_court_of_where_her_husband_really_lives(pack):
    """民事诉讼法 22, as in the marriage flow: the court of the defendant's habitual residence where it differs from
    his domicile, and the plaintiff's own court once he has been away over a year (民诉法解释 12, in words)."""
    divorcing = consult(pack, "domestic_violence", {"danger": "no", "victim": "self", "who_hurt": "spouse",
                                                   "forms": "beating", "reported": "no", "evidence": "nothing",
                                                   "wish": "divorce"})
    assert divorcing.outcome.id == "divorce" and 22 in articles(divorcing, CIVIL_PROCEDURE)
    assert says(divorcing, "对方在别处连续住了一年以上的，到他住的地方的法院起诉")


def test_a_victim_asking_for_reconsideration_of_a_refusal_to_open_a_case_reads_how_long_the_police_have(pack):
    """公安机关办理刑事案件程序规定 179: the police decide a reconsideration within thirty days and serve the decision;
    the level above decides a review within thirty days; either may be extended by at most thirty days for a grave
    or complex case, in writing. A victim asked exactly how many days the police had; the outcome gave only his."""
    refused = consult(pack, "criminal", {"role": "victim", "reported": "refused", "harm": "injury", "notice": "yes",
                                         "notice_date": date(2026, 11, 20), "incident_date": date(2026, 11, 10),
                                         "victim_hardship": "no"})
    assert refused.outcome.id == "not_filed"
    assert 179 in articles(refused, "公安机关办理刑事案件程序规定")
    assert says(refused, "公安要在收到申请后三十日内作出决定") and says(refused, "最多还能延长三十日")


def test_an_injured_victim_reads_that_later_treatment_can_be_claimed_once_it_is_paid(pack):
    """人身损害赔偿解释 19 (said in words): rehabilitation and other later treatment costs may be claimed in a further
    suit once actually spent. A victim discharged early for lack of money asked whether later treatment was lost."""
    later = consult(pack, "traffic_accident", {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 1),
                                               "report": "pending", "other_party": "insured", "talks": "refused"})
    assert later.outcome.id == "claim" and says(later, "可以等花了以后再起诉要")


def test_a_wife_whose_husband_keeps_the_household_register_reads_that_she_can_still_sue(pack):
    """民事诉讼法 122/124 ask only for the parties' identity and claims: a wife whose husband holds the 户口本 asked
    whether she could sue for divorce; the materials listed 户口本 without saying it is not a bar."""
    suing = consult(pack, "marriage_family", {**DIVORCE, "both_agree": "one_side"})
    assert says(suing, "户口本在对方手里的，不影响起诉")
