"""Session 28, seventh review (labour, contract, land, administrative and related flows): the gaps a lawyer found last
session, which the flows could not express, and real answered consultations walked through the kiosk. Found and
fixed: a victim who thought the police's penalty on the other side too light read only a penalised citizen's rights
(治安管理处罚法 116, 121; compensation from the offender, 8, 9); a tenant whose rented shop is expropriated was
advised as its owner (民法典 566, 729; the compensation goes to the owner); a worker made to sign a blank contract,
or whose unit keeps both copies, and a worker who will not sign, had no option (劳动合同法 3, 16, 81; 实施条例 5, 6);
a deposit (定金) lost when both sides or neither side was at fault read the one-sided penalty only (民法典 587, 590,
592; 合同编通则解释 68 in words); a tenant whose landlord keeps the rent deposit (押金) read the 定金 rules. From the
consultations: a sudden death past 48 hours was not told of the pension fund's funeral grant (社会保险法 14, 17);
workers of a bankrupt unit were not told their contributions come first (企业破产法 48, 113); an agent's fee (民法典
963, 964); a court mediation paper's enforcement, its two years and the defaulter list (民事诉讼法 100, 247, 250,
252, 266); an impounded car's keeping cost (行政强制法 25, 26); a closed unit's 经济补偿 (劳动合同法 44, 46, 47);
retirement age as a reason to let go (实施条例 21); a homestead built on (民法典 235, 236); forced shopping on a tour
(旅游法 9, 35); a former owner's property fees; guarantees signed before 2021; a member's death and contracted land
(农村土地承包法 32).

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

TODAY = date(2026, 12, 7)
CIVIL_CODE = "中华人民共和国民法典"
LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
LABOUR_CONTRACT_REGULATION = "中华人民共和国劳动合同法实施条例"
PUBLIC_SECURITY_LAW = "中华人民共和国治安管理处罚法"
STATE_COMPENSATION_LAW = "中华人民共和国国家赔偿法"
RIGHTS = {"situation": "rights", "rights_issue": "contract", "rights_employer": "unit", "rights_working": "yes"}
POLICE_DECISION = {"action": "penalty", "organ": "police", "on_the_spot": "no", "already": "none", "has_paper": "yes",
                   "known_date": date(2026, 11, 10), "told_rights": "yes", "loss": "yes"}


def test_a_victim_who_finds_the_penalty_on_the_other_side_too_light_may_seek_reconsideration_or_sue(pack):
    """治安管理处罚法 121: the victim (被侵害人) as well as the penalised may apply for reconsideration or sue; 116:
    the decision is served on the victim; 8, 9: the offender still owes damages, by police mediation or a civil suit.
    The state-compensation and suspended-detention lines of a penalised citizen are not for him."""
    victim = consult(pack, "administrative", {**POLICE_DECISION, "penalized": "other"}, today=TODAY)
    assert victim.outcome.id == "choose_route"
    assert {8, 9, 116, 121} <= articles(victim, PUBLIC_SECURITY_LAW) and 126 not in articles(victim, PUBLIC_SECURITY_LAW)
    assert not articles(victim, STATE_COMPENSATION_LAW)
    assert says(victim, "法律规定您也可以申请行政复议") and says(victim, "可以到法院起诉他要赔偿")
    assert says(victim, "不能只罚款、拘留了事") and not says(victim, "暂缓执行拘留")
    assert due(victim) == {"申请行政复议（请上级机关重新审查）的最后一天": date(2027, 1, 11),
                           "直接到法院起诉的最后一天": date(2027, 5, 10)}
    on_the_spot = consult(pack, "administrative", {**POLICE_DECISION, "penalized": "other", "on_the_spot": "yes"},
                          today=TODAY)
    assert on_the_spot.outcome.id == "reconsideration_first" and 121 in articles(on_the_spot, PUBLIC_SECURITY_LAW)
    penalised = consult(pack, "administrative", {**POLICE_DECISION, "penalized": "me"}, today=TODAY)
    assert 126 in articles(penalised, PUBLIC_SECURITY_LAW) and 121 not in articles(penalised, PUBLIC_SECURITY_LAW)
    assert 9 in articles(penalised, STATE_COMPENSATION_LAW)


def test_a_tenant_whose_rented_shop_is_expropriated_claims_from_the_landlord_under_the_lease(pack):
    """民法典 729, 566: the lease may be ended, rent for the lost time not owed, prepaid rent and the deposit returned;
    国有土地上房屋征收与补偿条例 17: the compensation (business loss included) is the owner's, to be shared by
    agreement; decoration value by the lease, else shared fairly (said in words); his own goods: state compensation."""
    tenant = consult(pack, "land_demolition", {"problem": "urban_taking", "occupant": "tenant"}, today=TODAY)
    assert tenant.outcome.id == "tenant_taking"
    assert {563, 566, 729} <= articles(tenant, CIVIL_CODE)
    assert 17 in articles(tenant, "国有土地上房屋征收与补偿条例")
    assert says(tenant, "补偿一般是给房主（被征收人）的") and says(tenant, "预交的、还没住到的房租，还有押金，房东要退给您")
    assert says(tenant, "这部分补偿一般应当给您") and says(tenant, "由您和房东公平分担") and says(tenant, "停产停业损失")
    rural = consult(pack, "land_demolition", {"problem": "rural_taking", "occupant": "tenant"}, today=TODAY)
    assert rural.outcome.id == "tenant_taking" and not says(rural, "停产停业损失")
    assert 48 in articles(rural, "中华人民共和国土地管理法")


def test_a_worker_made_to_sign_a_blank_contract_or_left_without_his_copy_reads_his_rights(pack):
    """劳动合同法 16: a contract binds on agreement and signature, one copy each; 81: a unit that keeps both copies is
    ordered to hand one over and pays any loss; 3: terms filled in without agreement do not bind. Double pay is not
    promised: a signed contract generally counts as signed, a blank one is judged differently by place."""
    blank = consult(pack, "labor", {**RIGHTS, "contract_issue": "blank_kept"}, today=TODAY)
    assert blank.outcome.id == "labor_rights"
    assert {3, 16, 81} <= articles(blank, LABOUR_CONTRACT_LAW) and 82 in articles(blank, LABOUR_CONTRACT_LAW)
    assert says(blank, "单位和您各拿一份") and says(blank, "劳动部门会责令单位改正")
    assert says(blank, "各地仲裁委、法院看法不一样") and not says(blank, "按月多付一倍工资，最多算十一个月")


def test_a_worker_who_will_not_sign_a_written_contract_reads_the_unit_may_end_the_job(pack):
    """劳动合同法实施条例 5: within the first month, the unit ends it in writing with no compensation but pays the
    days worked; 6: after a month, it may end it in writing with 经济补偿."""
    refusing = consult(pack, "labor", {**RIGHTS, "contract_issue": "refuse_sign"}, today=TODAY)
    assert refusing.outcome.id == "labor_rights"
    assert {5, 6} <= articles(refusing, LABOUR_CONTRACT_REGULATION) and 10 in articles(refusing, LABOUR_CONTRACT_LAW)
    assert says(refusing, "这样不用给经济补偿") and says(refusing, "干了的天数，工资要照发")
    assert says(refusing, "但要给经济补偿") and says(refusing, "一般得不到支持")


DEPOSIT = {"contract_type": "sale", "side": "payer", "written": "yes", "clause": "no", "problem": "deposit",
           "amount": 5000, "breach_date": date(2026, 10, 1)}


def test_a_deposit_is_returned_without_penalty_when_both_sides_or_neither_side_is_at_fault(pack):
    """民法典 587: the penalty follows one side's breach that defeats the contract; 592: both in breach answer each
    for his own; 590 with 563(一), 566: force majeure, the contract ends and the deposit is returned. 合同编通则解释
    68 (in words): no penalty when both so breached, none under force majeure."""
    both = consult(pack, "contract", {**DEPOSIT, "deposit_kind": "earnest", "deposit_fault": "both"}, today=TODAY)
    assert both.outcome.id == "deposit" and {587, 592, 566} <= articles(both, CIVIL_CODE)
    assert says(both, "谁都不能按定金的规矩罚对方") and says(both, "定金一般要退回给交的一方")
    neither = consult(pack, "contract", {**DEPOSIT, "deposit_kind": "earnest", "deposit_fault": "neither"},
                      today=TODAY)
    assert {563, 566, 587, 590} <= articles(neither, CIVIL_CODE)
    assert says(neither, "收定金的一方要把定金原数退回，不用双倍") and says(neither, "一般不算谁也挡不住的事")
    other = consult(pack, "contract", {**DEPOSIT, "deposit_kind": "earnest", "deposit_fault": "other"}, today=TODAY)
    assert says(other, "可以要求他双倍退还") and 592 not in articles(other, CIVIL_CODE)


def test_a_tenant_whose_landlord_keeps_the_rent_deposit_reads_the_deposit_rules_not_the_earnest_money_rules(pack):
    """押金 is owed back once the lease ends and the place is handed back, less what was agreed to be deducted (民法典
    509); normal wear is no damage (733); a forfeiture clause is a penalty a court may cut (585); three years (188)."""
    tenant = consult(pack, "contract", {**DEPOSIT, "contract_type": "lease", "deposit_kind": "security",
                                        "amount": 3000}, today=TODAY)
    assert tenant.outcome.id == "security_deposit"
    assert {509, 585, 733, 188} <= articles(tenant, CIVIL_CODE) and 587 not in articles(tenant, CIVIL_CODE)
    assert says(tenant, "房子正常住旧了") and says(tenant, "押金不能要双倍退") and says(tenant, "可以请法院或者仲裁机构适当减少")
    assert due(tenant) == {"起诉的最后期限（诉讼时效，按该退押金的日子估算）": date(2029, 10, 4)}
    advance = consult(pack, "contract", {**DEPOSIT, "deposit_kind": "advance"}, today=TODAY)
    assert advance.outcome.id == "deposit" and says(advance, "不能要双倍")


def test_a_family_whose_worker_died_of_a_sudden_illness_reads_the_pension_funeral_grant_if_it_is_no_injury(pack):
    """社会保险法 17: the survivors of an insured who dies of illness draw the funeral grant and the survivors'
    pension from the pension fund; 14: the individual account is inherited. The death beyond 48 hours read only
    that it may not be a work injury."""
    answers = {"victim": "died", "relation": "company", "what_happened": "sudden", "sudden_48h": "no",
               "injury_date": date(2026, 11, 20), "insured": "yes", "contract": "yes", "status": "none",
               "migrant": "no"}
    died = consult(pack, "work_injury", answers, today=TODAY)
    assert died.outcome.id == "doubtful"
    assert {14, 17} <= articles(died, "中华人民共和国社会保险法")
    assert says(died, "家里人可以领丧葬补助金和抚恤金")


def test_workers_of_a_bankrupt_unit_read_that_unpaid_pension_contributions_come_first_and_need_no_claim(pack):
    """企业破产法 48: wages and the contributions owed to the workers' individual accounts need no claim, the
    administrator lists them and a worker may sue over the list; 113: they are paid first from the estate."""
    owed = consult(pack, "social_security", {"issue": "unpaid", "still_employed": "no",
                                             "left_date": date(2026, 11, 1), "unpaid_since": date(2023, 6, 1),
                                             "records": "yes", "unit_state": "bankrupt"}, today=TODAY)
    assert owed.outcome.id == "unpaid_contributions"
    assert {48, 113} <= articles(owed, "中华人民共和国企业破产法")
    assert says(owed, "职工不用申报") and says(owed, "在破产财产里排在最前面还")


def test_a_buyer_through_an_agent_reads_when_the_agents_fee_is_owed(pack):
    """民法典 963: the fee is owed once the agent brought about the contract; 964: none if it did not, only the
    agreed necessary costs. A buyer who paid a deposit through an agent and backed out asked whether he owes it."""
    backed_out = consult(pack, "contract", {**DEPOSIT, "deposit_kind": "earnest", "deposit_fault": "me"}, today=TODAY)
    assert {963, 964} <= articles(backed_out, CIVIL_CODE)
    assert says(backed_out, "中介费另算") and says(backed_out, "不能要中介费，只能按约定要它办事花的必要费用")


def test_a_debtor_in_court_mediation_reads_the_mediation_paper_is_enforced_and_when_one_becomes_a_defaulter(pack):
    """民事诉讼法 100: the court's mediation paper binds once signed; 247: it is enforced; 252: the debtor reports his
    property. The dishonest-debtor list is for those who can pay and do not (said in words). The police way is no
    longer offered to a case already in court."""
    in_court = consult(pack, "mediation", {"dispute": "in_court"}, today=TODAY)
    assert in_court.outcome.id == "not_suitable"
    assert {100, 247, 252} <= articles(in_court, "中华人民共和国民事诉讼法")
    assert says(in_court, "和判决一样算数") and says(in_court, "失信被执行人名单")
    assert not any(way.kind == "police" for way in in_court.ways)
    crime = consult(pack, "mediation", {"dispute": "crime"}, today=TODAY)
    assert any(way.kind == "police" for way in crime.ways) and 100 not in articles(crime, "中华人民共和国民事诉讼法")


def test_a_creditor_with_a_judgment_unpaid_reads_the_two_years_to_apply_for_enforcement(pack):
    """民事诉讼法 250: two years to apply for enforcement, from the last day set for performance; 266: the court may
    bar the debtor from leaving the country and record him in the credit system. A creditor whose debtor was 'not at
    home' years after the judgment was not told the two years."""
    in_court = consult(pack, "mediation", {"dispute": "in_court"}, today=TODAY)
    assert {250, 266} <= articles(in_court, "中华人民共和国民事诉讼法")
    assert says(in_court, "申请强制执行有两年的期限") and says(in_court, "限制他出境")


def test_a_citizen_whose_car_is_impounded_reads_the_agency_pays_its_keeping(pack):
    """行政强制法 26: the agency keeps seized goods with care and bears the cost of keeping them; 25: thirty days,
    once extended by thirty. A driver asked to pay a year's parking fee for an impounded car read nothing of it."""
    seized = consult(pack, "administrative", {"action": "coercion", "organ": "police", "already": "none",
                                              "has_paper": "yes", "known_date": date(2026, 11, 20),
                                              "told_rights": "yes", "loss": "yes"}, today=TODAY)
    assert seized.outcome.id == "choose_route" and {25, 26} <= articles(seized, "中华人民共和国行政强制法")
    assert says(seized, "保管的费用由政府部门出，比如扣车的停车费，不能让您交")


def test_a_worker_let_go_when_the_unit_closed_reads_compensation_by_years_even_under_a_service_agreement(pack):
    """劳动合同法 44(4)(5), 46(6), 47: a unit that closes, dissolves itself, loses its licence or goes bankrupt ends
    the contracts and owes 经济补偿 by years worked. A worker of five years under a '劳务协议' was paid one month."""
    closed = consult(pack, "labor", {"situation": "dismissed", "dismissed_date": date(2026, 11, 30),
                                     "dismissal_reason": "cuts", "protected": "none", "dismissal_employer": "unit"},
                     today=TODAY)
    assert closed.outcome.id == "dismissal" and {44, 46, 47} <= articles(closed, LABOUR_CONTRACT_LAW)
    assert says(closed, "劳动合同就终止了。单位也要按在单位干的年头给经济补偿") and says(closed, "签的叫“劳务协议”也不要紧")


def test_a_villager_whose_certified_homestead_is_built_on_may_sue_the_occupier_directly(pack):
    """民法典 235, 236: where the right is clear, an occupier is sued to give back and clear the land; only a real
    dispute over who holds the land goes to the government first (土地管理法 14). A villager whose homestead was
    built on read only that the government decides such disputes."""
    occupied = consult(pack, "land_demolition", {"problem": "boundary", "boundary_handled": "not_yet"}, today=TODAY)
    assert occupied.outcome.id == "boundary_dispute" and {235, 236} <= articles(occupied, CIVIL_CODE)
    assert says(occupied, "这不算争地归谁，是侵占") and says(occupied, "可以直接起诉，要求退还、拆除、赔偿")
    assert 14 in articles(occupied, "中华人民共和国土地管理法")


def test_a_tourist_forced_to_shop_on_a_group_tour_reads_the_thirty_days_to_have_the_agency_take_it_back(pack):
    """旅游法 9: a tourist may refuse forced dealings; 35: within thirty days of the tour's end the agency takes back
    goods bought at a shop it steered him to, advancing the price, or refunds an extra paid item."""
    tourist = consult(pack, "consumer", {"what": "service", "channel": "store", "problem": "fraud", "price": 2000,
                                         "received_date": date(2026, 11, 20)}, today=TODAY)
    assert tourist.outcome.id == "fraud" and {9, 35} <= articles(tourist, "中华人民共和国旅游法")
    assert says(tourist, "旅游结束后三十日内，可以要求旅行社帮您退货") and says(tourist, "您有权拒绝")
    goods = consult(pack, "consumer", {"what": "goods", "channel": "store", "problem": "fraud", "price": 2000,
                                       "received_date": date(2026, 11, 20)}, today=TODAY)
    assert not articles(goods, "中华人民共和国旅游法")


def test_a_worker_let_go_at_retirement_age_reads_when_that_ends_the_contract(pack):
    """劳动合同法实施条例 21: the contract ends at the statutory retirement age, with no 经济补偿; the age rises
    step by step from 2025 (the 2024 decision, said in words), so a unit that invokes it early dismisses unlawfully;
    a unit whose unpaid contributions cost the pension owes the loss (劳动争议解释（一）1, in words). The special
    protection line for a near-retirement worker no longer contradicts it."""
    retired = consult(pack, "labor", {"situation": "dismissed", "dismissed_date": date(2026, 11, 30),
                                      "dismissal_reason": "retire", "protected": "senior",
                                      "dismissal_employer": "unit"}, today=TODAY)
    assert retired.outcome.id == "dismissal" and 21 in articles(retired, LABOUR_CONTRACT_REGULATION)
    assert says(retired, "也不用给经济补偿") and says(retired, "逐步推迟到六十三岁") and says(retired, "是违法辞退")
    assert says(retired, "可以要单位赔损失") and not says(retired, "法律特别保护")


def test_a_buyer_of_a_second_hand_flat_reads_the_sellers_unpaid_fees_are_the_sellers(pack):
    """民法典 944 binds the owner who received the service: fees run up by the seller are his, unless the sale
    contract put them on the buyer (said in words). A buyer asked whether he must pay the former owner's arrears."""
    fee = consult(pack, "property", {"issue": "management", "m_issue": "fee", "m_amount": 3000}, today=TODAY)
    assert fee.outcome.id == "property_fee" and 944 in articles(fee, CIVIL_CODE)
    assert says(fee, "前一个房主欠的物业费，一般由前一个房主交") and says(fee, "买房合同里写明由您承担的除外")


def test_a_guarantor_of_an_old_loan_reads_that_a_guarantee_signed_before_2021_follows_the_old_law(pack):
    """民法典时间效力规定 1: a guarantee signed before 2021 keeps the law of its day, where an unstated mode meant a
    joint guarantee (担保法 19) and 'until repaid' a two-year period (担保法解释 32), both said in words. Guarantors
    of 2003 and 2013 loans read only the Civil Code's default of an ordinary guarantee."""
    answers = {"role": "guarantor", "g_type": "unsure", "g_period": "yes", "amount": 50000, "due_agreed": "yes",
               "due_date": date(2014, 6, 30), "g_asked": "unsure", "g_sued": "no", "debtor_found": "yes"}
    old = consult(pack, "debt", answers, today=TODAY)
    assert old.outcome.id == "guarantor_check_contract"
    assert says(old, "担保书是在这以前签的，按当时的法律算") and says(old, "没写清是哪种保证的，算连带保证")
    assert says(old, "是到期后两年")


def test_a_household_whose_member_died_reads_the_village_cannot_take_back_its_contracted_land(pack):
    """农村土地承包法 27: no taking back within the term; 32: the income due is inherited and forest land passes to
    the heirs for the rest of the term. A villager asked whether a member's death lets the village take land back."""
    taken = consult(pack, "land_demolition", {"problem": "contract_land", "contract_issue": "taken_back",
                                              "contract_known": date(2026, 10, 1), "contract_papers": "yes"},
                    today=TODAY)
    assert taken.outcome.id == "contract_dispute" and {27, 32} <= articles(taken, "中华人民共和国农村土地承包法")
    assert says(taken, "家里有人去世，地还是您这一户承包的")


def test_a_prepaid_card_asks_for_the_money_left_and_counts_three_years_from_the_refusal(pack):
    """The QA check's left-over: the prepaid path asked 花了多少钱 and printed it as 卡里还剩, and counted the
    limitation from a 'received' day; it now asks what is left on the card and when the shop closed or refused,
    and 民法典 188's three years run from that day."""
    card = consult(pack, "consumer", {"what": "service", "channel": "store", "problem": "prepaid", "balance": 1800,
                                      "refused_date": date(2026, 11, 20)}, today=TODAY)
    assert card.outcome.id == "prepaid"
    assert [fact.question for fact in card.facts][-2:] == ["卡里剩的钱", "店关门或不退钱的日子"]
    assert says(card, "卡里还剩1800")
    assert due(card) == {"起诉的最后期限（诉讼时效，从店关门或不退钱那天估算）": date(2029, 11, 20)}
    unsure = consult(pack, "consumer", {"what": "service", "channel": "store", "problem": "prepaid",
                                        "balance": "unsure", "refused_date": date(2026, 11, 20)}, today=TODAY)
    assert says(unsure, "卡里还剩多少钱，请到店里或在小程序上查清楚")
