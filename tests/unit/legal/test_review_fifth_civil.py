"""Session 26, fifth review (civil, labour and administrative flows): real answered consultations walked through the
kiosk. Three rights the citizen clearly had were missing: a worker owed wages was not told that leaving for the
arrears, a closure, a non-renewal or a dismissal brings 经济补偿 (劳动合同法 38, 46, 47, 87); a lender was sent
only to the borrower's court although a loan is a contract whose place of performance is the lender's (民事诉讼法
24, 民间借贷规定 3); an unemployed person drawing benefit was not told the fund pays the medical insurance
(社会保险法 48); a worker disabled in grade five or six read that the two lump sums on leaving were for grades
seven to ten only (工伤保险条例 36); a woman married out of the village could not say the village withholds her share
of the land compensation (农村集体经济组织法 8, 18, 56, 57; 妇女权益保障法 55, 56, 73, 75); a worker whose labour mediation failed was told to
go to court, which hears a labour dispute only after arbitration (劳动争议调解仲裁法 5); a buyer living for years in a
flat without a certificate read only a passed three-year limit (whether the claim to register runs out is unsettled);
a worker hurt on the way to work was not told the driver is liable too (社会保险法 42); a citizen detained by the
police who appeals was not told the detention may be deferred (治安管理处罚法 126).

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult
from tests.unit.legal.test_review_protection import articles, says

LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
CIVIL_PROCEDURE_LAW = "中华人民共和国民事诉讼法"
LOAN_RULES = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"
SOCIAL_INSURANCE_LAW = "中华人民共和国社会保险法"
INJURY_REGULATION = "工伤保险条例"
TODAY = date(2026, 12, 7)
OWED = {"situation": "left", "left_date": date(2026, 11, 15), "owed_since": date(2026, 10, 1), "amount": 6000,
        "employer_type": "company", "contract": "yes", "evidence": "records", "employer_stance": "disputes",
        "migrant": "no"}


def test_a_worker_who_left_a_company_owing_wages_is_told_of_economic_compensation_and_its_measure(pack):
    """劳动合同法 46 (compensation after leaving for the employer's fault under 38, a closure, a non-renewal, a
    lay-off or a no-fault dismissal), 47 (a month's wage per year worked, the last twelve months' average) and 87
    (twice that for an unlawful dismissal): the opinion spoke of the wages alone."""
    left = consult(pack, "labor", OWED, today=TODAY)
    assert left.outcome.id == "arbitration"
    assert {38, 46, 47, 87} <= articles(left, LABOUR_CONTRACT_LAW)
    assert says(left, "单位除了补发工资，还要给经济补偿") and says(left, "每满一年给一个月工资")
    assert says(left, "要按经济补偿的两倍赔")
    working = consult(pack, "labor", {**OWED, "situation": "working"}, today=TODAY)
    assert {38, 46, 47} <= articles(working, LABOUR_CONTRACT_LAW) and 87 not in articles(working, LABOUR_CONTRACT_LAW)
    assert says(working, "书面通知单位解除劳动合同，写明是因为欠工资")
    nanny = consult(pack, "labor", {**OWED, "employer_type": "person"}, today=TODAY)
    assert nanny.outcome.id == "private_hire" and not {38, 46} & articles(nanny, LABOUR_CONTRACT_LAW)
    unsure = consult(pack, "labor", {**OWED, "employer_type": "unsure"}, today=TODAY)
    assert unsure.outcome.id == "arbitration" and not says(unsure, "还要给经济补偿")


def test_a_lender_may_sue_at_his_own_court_when_the_iou_names_no_place_of_repayment(pack):
    """民事诉讼法 24: a contract dispute goes to the defendant's court or the place of performance; 民间借贷规定 3:
    without an agreed place, the place of the side receiving the money. The opinion named only the borrower's court,
    which a villager whose borrower moved away cannot reach."""
    answers = {"role": "lender", "proof": "iou", "amount": 20000, "due_agreed": "yes", "due_date": date(2025, 6, 1),
               "demanded": "yes", "last_demand": date(2026, 3, 1), "interest": "none",
               "loan_date": date(2025, 1, 1), "stance": "missing"}
    suing = consult(pack, "debt", answers, today=TODAY)
    assert suing.outcome.id == "lawsuit"
    assert {22, 24} <= articles(suing, CIVIL_PROCEDURE_LAW) and 3 in articles(suing, LOAN_RULES)
    assert says(suing, "也可以在您自己住的地方起诉")
    assert any(w.kind.value == "litigation" and "您自己住所地" in w.body for w in suing.ways)
    admitted = consult(pack, "debt", {**answers, "stance": "admits"}, today=TODAY)
    assert admitted.outcome.id == "payment_order" and 24 in articles(admitted, CIVIL_PROCEDURE_LAW)
    assert any("对方住所地的基层人民法院（申请支付令" in w.body for w in admitted.ways)
    assert any("您自己住所地的基层人民法院（起诉）" in w.body for w in admitted.ways)
    late = consult(pack, "debt", {**answers, "last_demand": date(2023, 1, 5), "due_date": date(2023, 1, 1)},
                   today=TODAY)
    assert late.outcome.id == "time_limit_passed" and 3 in articles(late, LOAN_RULES)


def test_an_unemployed_person_drawing_benefit_is_told_the_fund_pays_the_medical_insurance(pack):
    """社会保险法 48: while drawing unemployment benefit the person is in the employees' medical insurance and the
    fund pays the premium; the opinion did not say so, and the question "must I pay my own 医保 now" is common."""
    answers = {"issue": "unemployment", "left_reason": "dismissed", "unemployment_years": "over_1"}
    drawing = consult(pack, "social_security", answers, today=TODAY)
    assert drawing.outcome.id == "unemployment" and 48 in articles(drawing, SOCIAL_INSURANCE_LAW)
    assert says(drawing, "该交的医保费由失业保险基金交，您自己不用交")
    quit_ = consult(pack, "social_security", {**answers, "left_reason": "quit"}, today=TODAY)
    assert 48 not in articles(quit_, SOCIAL_INSURANCE_LAW) and not says(quit_, "失业保险基金交")


def test_a_worker_disabled_in_grade_five_or_six_reads_his_allowance_and_the_two_lump_sums_on_leaving(pack):
    """工伤保险条例 36: grades five and six keep the job (suitable work, or a monthly allowance from the employer) and,
    on their own request to leave, receive the two lump sums; the opinion said the lump sums were for grades seven
    to ten only."""
    answers = {"victim": "self", "relation": "company", "what_happened": "at_work", "injury_date": date(2026, 3, 1),
               "insured": "yes", "contract": "yes", "status": "recognised", "appraisal": "done", "paid": "unpaid",
               "migrant": "no"}
    graded = consult(pack, "work_injury", answers, today=TODAY)
    assert graded.outcome.id == "benefits" and {36, 37} <= articles(graded, INJURY_REGULATION)
    assert says(graded, "五级到十级伤残的，离开单位时还能再拿两笔钱")
    assert says(graded, "五级、六级的，要本人提出和单位解除劳动关系，才可以拿")
    assert says(graded, "安排不了的，由单位按月发伤残津贴")
    assert not says(graded, "七级到十级伤残的，合同到期或者本人辞职时，还能再拿两笔钱")
    whole = consult(pack, "work_injury", {**answers, "appraisal": "no_disability"}, today=TODAY)
    assert 36 not in articles(whole, INJURY_REGULATION) and not says(whole, "两笔钱")


def test_a_married_out_daughter_denied_her_share_of_land_compensation_reads_her_membership_and_routes(pack):
    """农村集体经济组织法 18 (marriage without another membership, divorce or widowhood does not end membership), 56
    (mediation, land-contract arbitration or court), 57 (revoking a collective decision within a year of knowing);
    妇女权益保障法 55, 56, 75. The flow had no way to say the village withholds a married-out woman's share of the
    compensation; she could only choose "the village takes back my land" and read of the contract-land period."""
    share = consult(pack, "land_demolition", {"problem": "contract_land", "contract_issue": "woman_share"},
                    today=TODAY)
    assert share.outcome.id == "collective_share"
    assert {8, 18, 56, 57} <= articles(share, "中华人民共和国农村集体经济组织法")
    assert {55, 56, 75} <= articles(share, "中华人民共和国妇女权益保障法")
    assert says(share, "娘家村不能取消您的成员身份") and says(share, "要在知道这个决定后一年内提出")
    assert any(w.kind.value == "complaint" and "妇联" in w.body for w in share.ways)
    assert not share.deadlines
    land = consult(pack, "land_demolition", {"problem": "contract_land", "contract_issue": "woman",
                                             "contract_known": date(2026, 10, 1), "contract_papers": "yes"},
                   today=TODAY)
    assert land.outcome.id == "contract_dispute"
    taking = consult(pack, "land_demolition", {"problem": "rural_taking", "occupant": "owner", "stage": "negotiating", "forced": "no",
                                               "house_papers": "yes"}, today=TODAY)
    assert 55 in articles(taking, "中华人民共和国妇女权益保障法") and says(taking, "不能因为妇女出嫁、离婚、丧偶就不给她分")
    assert "不给我分补偿款" in pack.flows["land_demolition"].pages["problem"].options[3].label


def test_a_worker_whose_labour_mediation_failed_is_sent_to_arbitration_first_not_straight_to_court(pack):
    """劳动争议调解仲裁法 5: a labour dispute not settled by mediation goes to labour arbitration; the court comes only
    after the award. The opinion said 调解不成…您可以去法院起诉 and listed the court first; civil disputes read a
    labour-arbitration body they have nothing to do with."""
    failed = consult(pack, "mediation", {"dispute": "labor", "stage": "failed"}, today=TODAY)
    assert failed.outcome.id == "mediation_failed" and 5 in articles(failed, "中华人民共和国劳动争议调解仲裁法")
    assert says(failed, "不能直接去法院起诉") and not says(failed, "调解不成不影响您的权利，您可以去法院起诉")
    kinds = [w.kind.value for w in failed.ways]
    assert kinds.index("arbitration") < kinds.index("litigation")
    assert any(w.kind.value == "litigation" and "不服仲裁委的裁决" in w.note for w in failed.ways)
    neighbour = consult(pack, "mediation", {"dispute": "civil", "stage": "failed"}, today=TODAY)
    assert says(neighbour, "您可以去法院起诉") and "arbitration" not in [w.kind.value for w in neighbour.ways]
    refused = consult(pack, "mediation", {"dispute": "labor", "stage": "not_started", "willing": "no"}, today=TODAY)
    assert refused.outcome.id == "other_refuses" and not says(refused, "您可以去法院起诉")
    assert [w.kind.value for w in refused.ways][0] == "arbitration"


def test_a_buyer_living_in_the_flat_for_years_without_a_certificate_is_not_told_the_right_to_register_is_lost(pack):
    """民法典 209, 215: registration makes the buyer the owner; whether his claim that the developer help register runs
    out after three years is not settled by statute, and many courts hold it does not for a buyer in possession. The
    opinion showed only a passed three-year limit, read as 'too late' by a buyer waiting seven years."""
    answers = {"issue": "purchase", "b_problem": "certificate", "b_contract": "yes", "b_date": date(2019, 6, 30)}
    waiting = consult(pack, "property", answers, today=TODAY)
    assert waiting.outcome.id == "house_purchase" and {209, 215} <= articles(waiting, "中华人民共和国民法典")
    assert says(waiting, "很多法院认为没有三年打官司期限的限制") and says(waiting, "法律对这一点没有明说")
    assert says(waiting, "日子过了，也不要放弃办证")
    late = consult(pack, "property", {**answers, "b_problem": "late"}, today=TODAY)
    assert not says(late, "协助办证")


def test_a_worker_hurt_on_the_way_to_work_may_claim_from_the_driver_and_still_have_the_injury_recognised(pack):
    """社会保险法 42: when a third party caused the injury and does not pay the medical costs, the fund pays first and
    recovers from him; recognition and benefits do not lapse because the driver paid (工伤行政案件规定 8, said in words).
    The opinion of a commuting accident named only the work-injury route, not the driver's liability."""
    answers = {"victim": "died", "relation": "company", "what_happened": "commute", "commute_fault": "not_main",
               "injury_date": date(2026, 8, 30), "insured": "unsure", "contract": "yes", "status": "none",
               "migrant": "yes"}
    commute = consult(pack, "work_injury", answers, today=TODAY)
    assert commute.outcome.id == "apply_recognition" and 42 in articles(commute, SOCIAL_INSURANCE_LAW)
    assert says(commute, "撞人的一方还要按交通事故赔偿") and says(commute, "照样可以认定工伤、领工伤待遇")
    assert says(commute, "由工伤保险基金先付")
    at_work = consult(pack, "work_injury", {**answers, "what_happened": "at_work"}, today=TODAY)
    assert 42 not in articles(at_work, SOCIAL_INSURANCE_LAW) and not says(at_work, "撞人的一方")


def test_a_citizen_detained_by_the_police_who_appeals_reads_when_the_detention_may_be_deferred(pack):
    """治安管理处罚法 126 (2025 text, in force 2026-01-01): a person who applies for 复议 or sues against 行政拘留 may,
    for an entrance exam, a child's birth or a close relative's grave illness or death, ask that the detention be
    deferred against a guarantor or 200 yuan a day. The opinion said only that a decision is generally carried out."""
    answers = {"action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": "no", "already": "none", "has_paper": "yes",
               "known_date": date(2026, 11, 20), "told_rights": "yes", "loss": "no"}
    detained = consult(pack, "administrative", answers, today=TODAY)
    assert detained.outcome.id == "choose_route" and 126 in articles(detained, "中华人民共和国治安管理处罚法")
    assert says(detained, "可以申请暂缓执行拘留") and says(detained, "按每天二百元交保证金")
    township = consult(pack, "administrative", {**answers, "organ": "township"}, today=TODAY)
    assert not articles(township, "中华人民共和国治安管理处罚法") and not says(township, "暂缓执行拘留")


def test_a_relative_asking_for_an_injured_worker_without_a_contract_reads_about_the_worker_not_himself(pack):
    """工伤保险条例 19 puts the burden on the unit when the worker or his close relatives say it is 工伤; the lines on
    proving the job spoke to 您 as the worker, which a relative asking for him (or after a death) would misread."""
    answers = {"victim": "family", "relation": "company", "what_happened": "at_work",
               "injury_date": date(2026, 9, 15), "insured": "unsure", "contract": "no", "status": "none",
               "migrant": "yes"}
    relative = consult(pack, "work_injury", answers, today=TODAY)
    assert relative.outcome.id == "apply_recognition"
    assert says(relative, "受伤的人或者家里人认为是工伤") and says(relative, "单位不承认受伤的人是它的职工的")
    assert not says(relative, "证明您在那里干活") and not says(relative, "不承认您是它的人")
