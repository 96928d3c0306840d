"""Session 28, eighth review (second round over the civil flows): the gaps the first check left and real answered
consultations walked through the kiosk. Found and fixed: a creditor holding a judgment or a court mediation paper
the debtor does not pay had no branch in the debt flow (民事诉讼法 247, 250, 235, 252, 253, 264, 266; 262 is about
transferring title papers and is not cited); a debtor whose pension card is frozen had none either (254, 255, 236,
241); a citizen whose own pipe or balcony damaged a neighbour's flat read only a victim's rights (民法典 1165, 1184,
1173; 1253 for things falling, 1192/1193 for a decorator, 942 for a shared pipe). From the consultations: a married
borrower's spouse (1064); a day-rate loan above 100 fen a month could not be entered; a witness's signature; a
tenant leaving early gets the unused rent back less his debt (566, 568); a leak from a building defect is no reason
to pay the manager less; who applies for the disability grading (工伤保险条例 23); an accident policy is no
work-injury insurance; agents' fees shown to a decoration deposit (963, 964).

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

TODAY = date(2026, 12, 7)
CIVIL_CODE = "中华人民共和国民法典"
CIVIL_PROCEDURE_LAW = "中华人民共和国民事诉讼法"


def test_a_creditor_whose_judgment_is_unpaid_applies_for_enforcement_within_two_years(pack):
    """民事诉讼法 247: a judgment or mediation paper in force is enforced on application; 250: two years from the last
    day set for payment, interrupted by a demand; 264: double interest for the delay; 266: exit ban and credit
    record. The defaulter list is for those who can pay and do not (said in words); a case closed for want of
    property may be applied for again when property is found."""
    judged = consult(pack, "debt", {"role": "judged", "j_due": date(2026, 6, 30), "j_applied": "no"}, today=TODAY)
    assert judged.outcome.id == "enforcement"
    assert {247, 250, 252, 253, 264, 266} <= articles(judged, CIVIL_PROCEDURE_LAW)
    assert 262 not in articles(judged, CIVIL_PROCEDURE_LAW)
    assert due(judged) == {"申请强制执行的最后一天": date(2028, 6, 30)}
    assert says(judged, "加倍付拖延这段时间的利息") and says(judged, "确实没钱还的，不会因此上名单")
    assert not says(judged, "不受这两年的限制")
    closed = consult(pack, "debt", {"role": "judged", "j_due": date(2024, 5, 1), "j_applied": "yes"}, today=TODAY)
    assert says(closed, "不受这两年的限制") and says(closed, "已经过了")
    unsure = consult(pack, "debt", {"role": "judged", "j_due": "unsure", "j_applied": "no"}, today=TODAY)
    assert not unsure.deadlines and says(unsure, "您说不清这个日子")


def test_a_citizen_whose_own_pipe_flooded_the_neighbour_owes_the_actual_loss(pack):
    """民法典 1165: fault liability; 1184: a property loss at its market value when it happened; 1173: a neighbour who
    let the loss grow bears that part. A shared riser is the manager's to keep (942), a decorator's damage is his
    (1193), a thing falling from a balcony is presumed the owner's fault (1253)."""
    own = consult(pack, "property", {"issue": "neighbor", "n_type": "caused", "c_cause": "own_pipe", "c_hurt": "no"},
                  today=TODAY)
    assert own.outcome.id == "caused_damage"
    assert {1165, 1173, 1184} <= articles(own, CIVIL_CODE) and 1179 not in articles(own, CIVIL_CODE)
    assert says(own, "要赔邻居的损失") and says(own, "不是对方要多少就给多少")
    shared = consult(pack, "property", {"issue": "neighbor", "n_type": "caused", "c_cause": "common_pipe",
                                        "c_hurt": "no"}, today=TODAY)
    assert 942 in articles(shared, CIVIL_CODE) and says(shared, "一般不该您一家赔")
    fell = consult(pack, "property", {"issue": "neighbor", "n_type": "caused", "c_cause": "fell", "c_hurt": "yes"},
                   today=TODAY)
    assert {1253, 1179} <= articles(fell, CIVIL_CODE)
    worker = consult(pack, "property", {"issue": "neighbor", "n_type": "caused", "c_cause": "worker",
                                        "c_hurt": "no"}, today=TODAY)
    assert {1192, 1193} <= articles(worker, CIVIL_CODE) and says(worker, "由工人或装修公司赔")
    assert says(worker, "由您先赔，再找有重大过错的工人要回")
    assert says(own, "合理的住宿费一般也算损失")


def test_a_worker_still_in_treatment_reads_who_applies_for_the_disability_grading_and_where(pack):
    """工伤保险条例 23: the unit, the worker or a near relative applies to the city's appraisal committee with the
    injury decision and the medical papers; an accident policy bought by the unit is no work-injury insurance."""
    treating = consult(pack, "work_injury", {"victim": "self", "relation": "company", "what_happened": "at_work",
                                             "injury_date": date(2026, 7, 1), "insured": "yes", "contract": "yes",
                                             "status": "recognised", "appraisal": "treating", "paid": "partly",
                                             "migrant": "no"}, today=TODAY)
    assert treating.outcome.id == "benefits" and 23 in articles(treating, "工伤保险条例")
    assert says(treating, "向市里的鉴定委员会申请")
    assert "意外险" in pack.flows["work_injury"].pages["insured"].help


def test_an_owner_whose_flat_leaks_from_a_building_defect_still_owes_the_property_fee(pack):
    """民法典 944: the fee is owed for the service given; a leak or crack of the flat itself is the developer's
    warranty, no reason to pay the manager less (a consultation's answer, in words)."""
    fee = consult(pack, "property", {"issue": "management", "m_issue": "fee", "m_amount": 2400}, today=TODAY)
    assert fee.outcome.id == "property_fee" and 944 in articles(fee, CIVIL_CODE)
    assert says(fee, "是开发商保修的事，不是少交物业费的理由")


def test_a_tenant_leaving_early_reads_the_unused_rent_comes_back_less_what_he_owes(pack):
    """民法典 566: after the lease ends what was paid for the time not lived is returned; 568: the landlord's loss
    may be set off against it. A tenant who asked whether the unused rent may pay the penalty read only the
    penalty."""
    early = consult(pack, "contract", {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no",
                                       "problem": "terminate", "who_ends": "me", "end_ground": "none"},
                    today=TODAY)
    assert early.outcome.id == "leave_early" and {566, 568} <= articles(early, CIVIL_CODE)
    assert says(early, "还没住到的房租和押金，房东要退给您")
    landlord = consult(pack, "contract", {"contract_type": "lease", "side": "payee", "written": "yes", "clause": "no",
                                          "problem": "terminate", "who_ends": "me", "end_ground": "none"},
                       today=TODAY)
    assert 568 not in articles(landlord, CIVIL_CODE)


def test_a_lender_reads_when_the_borrowers_spouse_owes_too_and_that_children_do_not(pack):
    """民法典 1064: a debt both signed or later owned, or spent on the household, is the couple's; a child who did not
    sign as guarantor owes nothing. A lender who asked whether he may ask the borrower's wife and children was not
    told."""
    lender = consult(pack, "debt", {"role": "lender", "proof": "iou", "amount": 30000, "due_agreed": "yes",
                                    "due_date": date(2026, 6, 30), "demanded": "no", "interest": "none",
                                    "stance": "admits"}, today=TODAY)
    assert lender.outcome.id == "payment_order" and 1064 in articles(lender, CIVIL_CODE)
    assert says(lender, "可以找夫妻俩一起还") and says(lender, "不用替父母还")
    disputed = consult(pack, "debt", {"role": "lender", "proof": "transfer", "amount": 30000, "due_agreed": "no",
                                      "demanded": "no", "interest": "none", "stance": "disputes"}, today=TODAY)
    assert disputed.outcome.id == "lawsuit" and 1064 in articles(disputed, CIVIL_CODE)


def test_a_borrower_charged_by_the_day_can_enter_a_rate_above_a_hundred_fen_a_month(pack):
    """A loan of 300 yuan a day on 7,500 (4% a day, 120 fen a month by the page's own rule) could not be entered:
    the page stopped at 100. Such rates are read as far over the cap (民间借贷规定 25)."""
    assert pack.flows["debt"].pages["rate_monthly"].maximum >= 120
    borrower = consult(pack, "debt", {"role": "borrower", "b_issue": "deducted", "amount": 5250, "interest": "agreed",
                                      "rate_monthly": 120, "loan_date": date(2025, 10, 1)}, today=TODAY)
    assert borrower.outcome.id == "borrower_rights" and 25 in articles(borrower, "最高人民法院关于审理民间借贷案件适用法律若干问题的规定")
    assert says(borrower, "年利率1440%") and says(borrower, "您可以不给")
    assert "当见证人签了名" in pack.flows["debt"].pages["g_type"].help


def test_a_debtor_whose_pension_card_is_frozen_reads_the_court_leaves_him_his_living_costs(pack):
    """民事诉讼法 254, 255: the court takes income and goods only beyond what the debtor and his dependants need to
    live; 236: a written objection to the enforcing court; 241: a settlement in enforcement. An old man whose whole
    pension card was frozen had no branch."""
    frozen = consult(pack, "debt", {"role": "borrower", "b_issue": "enforced"}, today=TODAY)
    assert frozen.outcome.id == "debtor_enforced"
    assert {236, 241, 254, 255} <= articles(frozen, CIVIL_PROCEDURE_LAW)
    assert says(frozen, "留下基本生活费") and says(frozen, "确实没钱的，不会因此上名单")


def test_a_deposit_paid_to_a_decorator_reads_no_agents_fee_rules(pack):
    """民法典 963, 964 (an agent's fee) were cited and explained on every deposit outcome; a family that paid an
    advance to a decoration firm read about agents' fees. They stay for sales and leases, where agents work."""
    decoration = consult(pack, "contract", {"contract_type": "work", "side": "payer", "written": "yes", "clause": "no",
                                            "problem": "deposit", "deposit_kind": "advance", "amount": 5000,
                                            "breach_date": date(2026, 11, 1)}, today=TODAY)
    assert decoration.outcome.id == "deposit" and not {963, 964} & articles(decoration, CIVIL_CODE)
    assert not says(decoration, "中介费") and says(decoration, "不是定金")
    rent = consult(pack, "contract", {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no",
                                      "problem": "deposit", "deposit_kind": "earnest", "deposit_fault": "me",
                                      "amount": 2000, "breach_date": date(2026, 11, 1)}, today=TODAY)
    assert {963, 964} <= articles(rent, CIVIL_CODE) and says(rent, "中介费另算")
