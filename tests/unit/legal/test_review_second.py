"""Issue 13, second review (session 24): the same classes of mistake as the 18 items, found on other paths and in
other flows — a period's last day moved off a holiday but a text still counting bare days, a period counted from the
wrong event, someone else's period shown as the citizen's, a court asked for what it does not award, a route that
must go to 复议 first, an heir the options left out, a "可以" that is an "应当".

Each test drives the real engine over the shipped pack and pins the corrected outcome, the deadline where there is
one, and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import CRIMINAL_INTERPRETATION, articles, says

CIVIL_CODE = "中华人民共和国民法典"
CONSUMER_LAW = "中华人民共和国消费者权益保护法"
MEDIATION_LAW = "中华人民共和国人民调解法"
TRAFFIC_LAW = "中华人民共和国道路交通安全法"
CRIMINAL_LAW = "中华人民共和国刑法"
RECONSIDERATION_LAW = "中华人民共和国行政复议法"
TAX_LAW = "中华人民共和国税收征收管理法"
CUSTOMS_LAW = "中华人民共和国海关法"
NOTARY_LAW = "中华人民共和国公证法"
AID_TEXT = "法律援助中心可以先给您提供帮助"



def test_mediation_confirmation_moved_off_a_weekend_is_still_open_on_day_31(pack):
    """人民调解法 33 + 民法典 203: 30 days from 12 Nov end on Saturday 12 Dec, so on Monday 14 Dec; on 13 Dec the slip
    must not say the 30 days are over while its own deadline says the 14th."""
    answers = {"dispute": "civil", "stage": "agreed", "agreement_date": date(2026, 11, 12), "confirmed": "no",
               "performed": "not_due"}
    open_day = consult(pack, "mediation", answers, today=date(2026, 12, 13))
    assert open_day.outcome.id == "keep_agreement" and 33 in articles(open_day, MEDIATION_LAW)
    assert due(open_day)["双方一起申请法院确认协议有效的最后一天"] == date(2026, 12, 14)
    assert says(open_day, "还没过申请的最后一天") and not says(open_day, "已经过了")
    assert not says(open_day, "不能再申请司法确认")
    closed = consult(pack, "mediation", answers, today=date(2026, 12, 15))
    assert says(closed, "申请的最后一天已经过了") and says(closed, "不能再申请司法确认")


def test_online_return_whose_seventh_day_is_national_day_is_still_open_after_it(pack):
    """消费者权益保护法 25: received 27 Sep, the 7th day (4 Oct) is a holiday, so the last day is 8 Oct."""
    answers = {"what": "goods", "channel": "online", "problem": "regret", "price": 100,
               "received_date": date(2026, 9, 27)}
    consultation = consult(pack, "consumer", answers, today=date(2026, 10, 5))
    assert consultation.outcome.id == "return_7days" and 25 in articles(consultation, CONSUMER_LAW)
    assert due(consultation)["无理由退货的最后一天"] == date(2026, 10, 8)
    assert says(consultation, "还没过七天的最后一天") and not says(consultation, "已经过了")
    assert not says(consultation, AID_TEXT)  # a return is not a time to sue: 法律援助法 44 is not offered
    assert says(consultation, "只剩3天")


def test_lender_who_asked_before_the_due_date_counts_three_years_from_the_due_date(pack):
    """民法典 188: the limitation runs from the due date; a reminder sent before it does not start it earlier, so the
    lender is not told on 1 June 2026 that a period ending 30 June 2026 has passed."""
    answers = {"role": "lender", "proof": "iou", "amount": 5000, "due_agreed": "yes", "due_date": date(2023, 6, 30),
               "demanded": "yes", "last_demand": date(2023, 5, 1), "interest": "none", "stance": "admits"}
    consultation = consult(pack, "debt", answers, today=date(2026, 6, 1))
    assert consultation.outcome.id == "payment_order" and {188, 195} <= articles(consultation, CIVIL_CODE)
    assert due(consultation) == {"起诉的最后期限（从约定还款日算起）": date(2026, 6, 30)}
    near = consult(pack, "debt", answers, today=date(2026, 6, 25))
    assert near.outcome.id == "payment_order" and says(near, AID_TEXT)  # a time to sue: 法律援助法 44 applies
    after = consult(pack, "debt", answers, today=date(2026, 7, 10))
    assert after.outcome.id == "time_limit_passed"
    later_demand = consult(pack, "debt", {**answers, "last_demand": date(2025, 1, 2)}, today=date(2026, 6, 1))
    assert due(later_demand) == {"起诉的最后期限（从最近一次催要算起）": date(2028, 1, 3)}


def test_serious_assault_victim_is_told_disability_and_death_compensation_are_not_awarded_in_a_criminal_case(pack):
    """刑事诉讼法解释 175, 192, 200 (issue 13 item 12, in the personal-injury flow too)."""
    base = {"cause": "assault", "injury_date": date(2026, 10, 1), "reported": "yes", "own_fault": "none",
            "talks": "refused"}
    for harm, award in (("disability", "残疾赔偿金一般不判"), ("death", "死亡赔偿金一般不判")):
        consultation = consult(pack, "personal_injury", {**base, "harm": harm})
        assert consultation.outcome.id == "assault"
        assert {175, 192, 200} <= articles(consultation, CRIMINAL_INTERPRETATION)
        assert says(consultation, award) and says(consultation, "双方调解、和解的，赔多少可以商量")
        assert not says(consultation, "辅助器具费和残疾赔偿金") and not says(consultation, "丧葬费和死亡赔偿金")
    light = consult(pack, "personal_injury", {**base, "harm": "light"})
    assert not articles(light, CRIMINAL_INTERPRETATION) and not says(light, "一般不判")


def test_driver_is_not_told_the_victims_claims_and_is_warned_of_the_crime(pack):
    """道路交通安全法 76: a driver who hit a pedestrian owes up to a tenth even without fault; 刑法 133."""
    answers = {"harm": "injured", "side": "driver", "accident_date": date(2026, 11, 10), "report": "issued",
               "report_date": date(2026, 11, 20), "liability": "full", "other_party": "insured", "talks": "refused"}
    driver = consult(pack, "traffic_accident", answers)
    assert driver.outcome.id == "claim"
    assert 76 in articles(driver, TRAFFIC_LAW) and 133 in articles(driver, CRIMINAL_LAW)
    assert not says(driver, "对您要赔偿很有利") and not says(driver, "受了伤，可以要医疗费")
    assert says(driver, "十分之一") and says(driver, "交通肇事罪")
    victim = consult(pack, "traffic_accident", {**answers, "side": "victim"})
    assert says(victim, "对您要赔偿很有利") and not articles(victim, CRIMINAL_LAW)


def test_a_dispute_over_how_much_tax_is_owed_goes_to_reconsideration_first(pack):
    """税收征收管理法 88, 海关法 64, 行政复议法 23(1)(五): pay or give security, then 复议, then court."""
    answers = {"action": "other", "organ": "vertical", "already": "none", "has_paper": "yes",
               "known_date": date(2026, 11, 10), "told_rights": "yes", "loss": "yes"}
    consultation = consult(pack, "administrative", answers)
    assert 88 in articles(consultation, TAX_LAW) and 64 in articles(consultation, CUSTOMS_LAW)
    assert 23 in articles(consultation, RECONSIDERATION_LAW)
    assert says(consultation, "不能直接起诉") and says(consultation, "再申请复议")
    referral = consult(pack, "referral", {"area": "tax", "urgency": "within_week", "afford": "no"})
    assert 88 in articles(referral, TAX_LAW) and says(referral, "不能直接起诉")


def test_nephew_of_a_childless_uncle_inherits_by_representation(pack):
    """民法典 1128(2): a predeceased sibling's children inherit that sibling's share in the second order."""
    answers = {"relation": "nephew", "will": "none", "estate": "rural_house", "agree": "occupied",
               "divided": "undivided"}
    consultation = consult(pack, "inheritance", answers)
    assert consultation.outcome.id == "estate_dispute" and 1128 in articles(consultation, CIVIL_CODE)
    assert says(consultation, "由兄弟姐妹的子女代位继承") and says(consultation, "第二顺序")
    assert not consultation.deadlines  # an undivided estate (item 8)


def test_the_other_sides_termination_period_is_not_shown_as_the_citizens(pack):
    """民法典 564: the year to end a contract belongs to the side that may end it."""
    answers = {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no", "problem": "terminate",
               "amount": 20000, "breach_date": date(2026, 11, 1)}
    landlord = consult(pack, "contract", {**answers, "who_ends": "other"})
    assert landlord.outcome.id == "terminate_objection" and 564 in articles(landlord, CIVIL_CODE)
    assert "解除合同的最后一天（没约定期限的，按问题发生的日子估算）" not in due(landlord)
    assert says(landlord, "是对方的事") and not says(landlord, "一般要在一年内行使")
    tenant = consult(pack, "contract", {**answers, "who_ends": "me", "end_ground": "breach"})
    assert due(tenant)["解除合同的最后一天（没约定期限的，按问题发生的日子估算）"] == date(2027, 11, 1)
    assert says(tenant, "一般要在一年内行使")


def test_husband_may_not_sue_for_divorce_during_pregnancy_or_within_a_year_of_birth(pack):
    """民法典 1082."""
    answers = {"violence": "no", "both_agree": "one_side", "children": "under_two", "property": "assets",
               "fault": "none"}
    consultation = consult(pack, "marriage_family", answers)
    assert consultation.outcome.id == "litigation" and 1082 in articles(consultation, CIVIL_CODE)
    assert says(consultation, "丈夫不能提出离婚") and says(consultation, "妻子自己提出离婚的，不受这个限制")


def test_notary_fee_relief_for_legal_aid_applicants_is_a_duty(pack):
    """公证法 34(2): the notary office 应当 reduce or waive the fee; the slip said 可以."""
    consultation = consult(pack, "notarization", {"matter": "other"})
    assert 34 in articles(consultation, NOTARY_LAW)
    assert says(consultation, "公证处应当按规定减免公证费") and not says(consultation, "公证费可以减免")
    # 公证法 26: a will is notarised by the testator in person, which is not the same as at the office
    assert 26 in articles(consultation, NOTARY_LAW) and says(consultation, "遗嘱公证要本人亲自办")
    assert not says(consultation, "本人亲自到公证处办")


def test_a_failed_means_test_is_not_worded_as_cannot_apply(pack):
    """法律援助法 34: the office decides; a pre-check over the threshold must not read as 'you cannot apply'."""
    answers = {"matter": "injury", "has_lawyer": "no", "special": "none", "age_group": "adult", "disabled": "no",
               "assistance": "none", "exempt_check": "no", "household_size": 3, "household_income": 15000,
               "urgent": "not_urgent"}
    consultation = consult(pack, "legal_aid", answers)
    assert consultation.outcome.id == "means_unlikely"
    assert not any(text.startswith("不能申请法律援助") for text in consultation.risks)
    assert says(consultation, "最后没能得到法律援助的")


def test_only_periods_to_sue_or_apply_for_arbitration_or_reconsideration_offer_help_first(pack):
    """法律援助法 44(1): the legal-aid office may help first when a time limit to sue or to apply for arbitration or
    复议 ends within seven days; a traffic 复核 or a police 复议 of a refusal to open a case is neither."""
    advance = {pid for pid, period in pack.periods.items() if period.advance_aid}
    assert {"general_limitation", "labor_arbitration", "reconsideration", "administrative_litigation"} <= advance
    assert not advance & {"traffic_review", "case_refusal_review", "online_return", "mediation_confirmation",
                          "expropriation_reappraisal", "work_injury_reappraisal", "duty_to_act"}
    answers = {"harm": "injured", "side": "victim", "accident_date": date(2026, 11, 10), "report": "issued",
               "report_date": date(2026, 11, 20), "liability": "none", "other_party": "insured",
               "talks": "not_started"}
    consultation = consult(pack, "traffic_accident", answers)
    urgent = [text for text in consultation.risks if "申请复核的最后一天" in text and "只剩" in text]
    assert len(urgent) == 1 and AID_TEXT not in urgent[0]


def test_a_decision_that_did_not_state_the_right_to_reconsideration_keeps_it_open_up_to_a_year(pack):
    """行政复议法 20(3): no notice of the right, the body and the time limit: the sixty days run from learning of them,
    at most one year from learning of the decision; such a citizen is not sent to 'time passed' after sixty days."""
    answers = {"action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": "no", "already": "none", "has_paper": "yes",
               "known_date": date(2026, 9, 1), "loss": "no"}
    uninformed = consult(pack, "administrative", {**answers, "told_rights": "no"})
    assert uninformed.outcome.id == "choose_route" and 20 in articles(uninformed, RECONSIDERATION_LAW)
    assert due(uninformed)["没告知复议权利时，申请复议不能晚于这一天"] == date(2027, 9, 1)
    assert says(uninformed, "请在六十日内去申请复议") and not says(uninformed, "还可以在六个月内直接到法院起诉")
    informed = consult(pack, "administrative", {**answers, "told_rights": "yes"})
    assert "没告知复议权利时，申请复议不能晚于这一天" not in due(informed)
    assert says(informed, "申请复议的六十日已经过了")
    oral = consult(pack, "administrative", {**{k: v for k, v in answers.items() if k != "has_paper"},
                                            "has_paper": "no", "known_date": date(2026, 7, 1)})
    assert oral.outcome.id == "choose_route"  # a decision only spoken was not notified in writing either
    assert due(oral)["没告知复议权利时，申请复议不能晚于这一天"] == date(2027, 7, 1)
    year_gone = consult(pack, "administrative", {**answers, "told_rights": "no", "known_date": date(2025, 10, 1)})
    assert year_gone.outcome.id == "time_passed"
    info = consult(pack, "administrative", {"action": "info", "organ": "township", "already": "none",
                                            "has_paper": "yes", "known_date": date(2026, 8, 1), "told_rights": "no",
                                            "loss": "no"})
    assert info.outcome.id == "reconsideration_first"
    assert due(info)["没告知复议权利时，申请复议不能晚于这一天"] == date(2027, 8, 2)  # 1 Aug 2027 is a Sunday


def test_the_migrant_exemption_is_the_workers_own_and_a_dead_workers_family_is_told_to_ask(pack):
    """法律援助法 42(3) exempts the 进城务工人员 who claims; 31(7) lists the work-injury claim itself."""
    base = {"relation": "company", "what_happened": "at_work", "injury_date": date(2026, 9, 30), "insured": "yes",
            "contract": "yes", "status": "none", "migrant": "yes"}
    worker = consult(pack, "work_injury", {**base, "victim": "self"})
    assert worker.legal_aid.verdict.value == "exempt" and worker.legal_aid.reason.startswith("您是进城务工人员")
    spouse = consult(pack, "work_injury", {**base, "victim": "family"})
    assert spouse.legal_aid.verdict.value == "exempt" and spouse.legal_aid.reason.startswith("受伤的人是进城务工人员")
    widow = consult(pack, "work_injury", {**base, "victim": "died"})
    assert widow.legal_aid.verdict.value == "not_assessed" and "请到法律援助中心问清楚" in widow.legal_aid.reason
    assert 42 in articles(widow, "中华人民共和国法律援助法")


def test_an_old_person_without_a_fixed_income_is_told_to_bring_proof_of_it(pack):
    """法律援助法 42: the exemption is for those who 有材料证明 they are in the group."""
    answers = {"matter": "support", "has_lawyer": "no", "special": "none", "age_group": "elderly", "disabled": "no",
               "fixed_income": "no", "assistance": "none", "exempt_check": "yes", "urgent": "not_urgent"}
    consultation = consult(pack, "legal_aid", answers)
    assert consultation.outcome.id == "exempt" and 42 in articles(consultation, "中华人民共和国法律援助法")
    assert any("没有固定生活来源的证明" in m for m in consultation.materials)


def test_a_worker_still_employed_with_an_old_iou_is_told_arbitration_has_no_time_limit(pack):
    """劳动争议调解仲裁法 27(4): while employed, unpaid wages are not time-barred in arbitration, even when three years
    on the IOU as a plain debt (民法典 188) look passed."""
    answers = {"situation": "working", "owed_since": date(2022, 3, 1), "amount": 9000, "employer_type": "company",
               "contract": "yes", "evidence": "iou", "employer_stance": "admits", "migrant": "no"}
    consultation = consult(pack, "labor", answers)
    assert consultation.outcome.id == "iou_claim"
    assert 27 in articles(consultation, "中华人民共和国劳动争议调解仲裁法")
    assert says(consultation, "不受一年期限的限制") and says(consultation, "也还可以走劳动仲裁")


def test_land_and_administrative_ways_do_not_promise_aid_for_matters_the_law_does_not_list(pack):
    """法律援助法 31: 国家赔偿 and social benefits are listed; a land taking or a fine is only where the province adds it."""
    aid = "中华人民共和国法律援助法"
    taking = consult(pack, "land_demolition", {"problem": "rural_taking", "occupant": "owner", "stage": "announced", "forced": "no",
                                               "house_papers": "yes"})
    note = next(w.note for w in taking.ways if w.kind.value == "legal_aid")
    assert "能不能申请法律援助" in note and "本省的规定" in note
    torn = consult(pack, "land_demolition", {"problem": "urban_taking", "occupant": "owner", "stage": "demolished",
                                             "demolished_date": date(2026, 11, 5), "forced": "yes",
                                             "house_papers": "yes"})
    assert 31 in articles(torn, aid) and says(torn, "要求国家赔偿（由国家赔钱）的，属于法律列出的援助事项")
    refused = consult(pack, "administrative", {"action": "benefits", "organ": "county_dept", "already": "none",
                                               "benefits_answer": "refused", "has_paper": "yes",
                                               "known_date": date(2026, 11, 12), "told_rights": "yes", "loss": "no"})
    assert 31 in articles(refused, aid) and says(refused, "属于法律列出的援助事项")
    fine = consult(pack, "administrative", {"action": "penalty", "organ": "county_dept", "penalized": "me", "on_the_spot": "no",
                                            "already": "none", "has_paper": "yes", "known_date": date(2026, 11, 2),
                                            "told_rights": "yes", "loss": "yes"})
    assert 31 not in articles(fine, aid) and says(fine, "能不能申请法律援助")


def test_an_ex_partner_who_no_longer_lives_with_the_victim_is_not_promised_a_protection_order(pack):
    """反家庭暴力法 2, 37 reach family members and people living together; for an ex who lives apart the courts
    differ, and 民法典 997 (an order to stop an infringement of personal rights) applies whoever it is."""
    answers = {"danger": "no", "victim": "self", "who_hurt": "partner", "forms": "threat", "reported": "no",
               "evidence": "photos", "wish": "stop"}
    consultation = consult(pack, "domestic_violence", answers)
    assert consultation.outcome.id == "protection_order"
    assert 37 in articles(consultation, "中华人民共和国反家庭暴力法") and 997 in articles(consultation, CIVIL_CODE)
    assert says(consultation, "各地法院对算不算家暴看法不一样") and says(consultation, "请法院下令让他停止")
    spouse = consult(pack, "domestic_violence", {**answers, "who_hurt": "spouse"})
    assert 997 not in articles(spouse, CIVIL_CODE) and not says(spouse, "各地法院")


def test_not_sure_whether_the_police_notice_came_is_told_how_the_seven_days_start(pack):
    """公安机关办理刑事案件程序规定 179: the seven days run from receiving the notice; a victim not sure whether it
    came is told to ask for it, as one who did not get it is (and a family not sure whether they were notified of a
    detention is told the 24 hours, 刑事诉讼法 85)."""
    answers = {"role": "victim", "reported": "refused", "harm": "fraud", "notice": "unsure",
               "incident_date": date(2026, 9, 10), "victim_hardship": "no"}
    consultation = consult(pack, "criminal", answers)
    assert consultation.outcome.id == "not_filed" and 179 in articles(consultation, "公安机关办理刑事案件程序规定")
    assert says(consultation, "复议的七天从收到通知书那天算起") and "申请复议的最后一天" not in due(consultation)
    family = consult(pack, "criminal", {"role": "family", "stage": "detained", "notified": "unsure",
                                         "special": "none", "afford": "cannot"})
    assert 85 in articles(family, "中华人民共和国刑事诉讼法") and says(family, "二十四小时内通知家属")


def test_a_worker_not_sure_about_a_written_contract_hears_of_the_double_wage_and_its_year(pack):
    """劳动合同法 82 / 实施条例 6-7 and 调解仲裁法 27(1), for a worker who does not remember signing (item 10's
    class)."""
    answers = {"situation": "working", "owed_since": date(2026, 9, 15), "amount": 7000, "employer_type": "company",
               "contract": "unsure", "evidence": "records", "employer_stance": "disputes", "migrant": "yes"}
    consultation = consult(pack, "labor", answers)
    assert consultation.outcome.id == "arbitration" and 27 in articles(consultation, "中华人民共和国劳动争议调解仲裁法")
    assert says(consultation, "还可以要多付的一倍工资，但这有一年的期限")


def test_a_last_day_that_is_today_is_not_worded_as_zero_days_left(pack):
    """"只剩0天" reads as already over; on the last day the slip says it is today (民法典 203's moved day included)."""
    answers = {"role": "lender", "proof": "iou", "amount": 5000, "due_agreed": "yes", "due_date": date(2023, 6, 30),
               "demanded": "no", "interest": "none", "stance": "admits"}
    consultation = consult(pack, "debt", answers, today=date(2026, 6, 30))
    assert due(consultation) == {"起诉的最后期限（从约定还款日算起）": date(2026, 6, 30)}
    assert not says(consultation, "只剩0天") and says(consultation, "就是今天（2026年6月30日）")
    shirt = consult(pack, "consumer", {"what": "goods", "channel": "online", "problem": "regret", "price": 100,
                                       "received_date": date(2026, 11, 19)}, today=date(2026, 11, 26))
    assert says(shirt, "“无理由退货的最后一天”就是今天") and not says(shirt, AID_TEXT)


def test_not_sure_answers_that_decide_a_right_are_explained(pack):
    """工伤保险条例 2 / 民法典 1192: only a unit's worker gets 工伤; 消保法 25: only goods, not services, are returned
    without reason; 民法典 1079: a divorce for violence is granted once mediation fails, not at once."""
    injury = consult(pack, "work_injury", {"victim": "self", "relation": "unsure", "what_happened": "at_work",
                                           "injury_date": date(2026, 10, 8), "insured": "unsure", "contract": "no",
                                           "status": "none", "migrant": "no"})
    assert injury.outcome.id == "apply_recognition" and says(injury, "给私人干活（帮人盖房、装修、当保姆）的，一般不算工伤")
    bought = consult(pack, "consumer", {"what": "unsure", "channel": "online", "problem": "regret", "price": 100,
                                        "received_date": date(2026, 11, 19)})
    assert bought.outcome.id == "return_7days" and says(bought, "服务，不适用")
    divorce = consult(pack, "domestic_violence", {"danger": "no", "victim": "self", "who_hurt": "spouse",
                                                  "forms": "beating", "reported": "reported", "evidence": "witness",
                                                  "wish": "divorce"})
    assert divorce.outcome.title.startswith("因为家暴想离婚：调解无效的") and 1079 in articles(divorce, CIVIL_CODE)


def test_a_worker_hired_by_a_private_person_is_not_sent_to_labour_arbitration(pack):
    """劳动合同法 2: a 用人单位 is an enterprise or a 个体经济组织; a nanny or farm hand hired by a person is in a 劳务
    relation, claims the wage in court, and has the three years of 民法典 188, not the one year of arbitration."""
    answers = {"situation": "left", "left_date": date(2025, 6, 30), "owed_since": date(2025, 4, 1), "amount": 4500,
               "employer_type": "person", "contract": "no", "evidence": "witness", "employer_stance": "disputes",
               "migrant": "yes"}
    nanny = consult(pack, "labor", answers)
    assert nanny.outcome.id == "private_hire"  # not time_limit_passed: the arbitration year does not apply
    assert 2 in articles(nanny, "中华人民共和国劳动合同法") and 188 in articles(nanny, CIVIL_CODE)
    assert due(nanny) == {"起诉要工钱的最后一天（按开始欠钱的日子估算）": date(2028, 4, 3)}
    assert says(nanny, "不是劳动关系") and not any(w.kind.value == "arbitration" for w in nanny.ways)
    assert nanny.legal_aid.verdict.value == "not_assessed"
    shop = consult(pack, "labor", {**answers, "employer_type": "individual", "left_date": date(2026, 6, 30)})
    assert shop.outcome.id == "arbitration"
