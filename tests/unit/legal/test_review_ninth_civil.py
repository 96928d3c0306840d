"""Session 29, ninth review of the civil flows: the gaps earlier checks named, then real questions walked through the
kiosk. Found and fixed:

- contract: a party who simply wants out, with no breach by the other side, read a computed 解除合同的最后一天 as if he
  held a right to terminate. The right and its period exist only with a legal or agreed ground (民法典 562-564); a new
  page asks for it, and without one the citizen reads that leaving is itself a breach and what it costs (577, 584,
  585, 591; the lease's unused rent 566, 568; an open-ended lease 730, the one who ordered work 787), with no
  termination deadline.
- property: a citizen fined by the property manager learns it has no power to fine, what it may do (民法典 942: stop
  and report to the authorities), that it may not cut water or power to press for money (944), and what the owners'
  committee may ask instead (286).
- consumer: a lost or damaged parcel. The online buyer asks the seller, who bears the transport risk until he signs
  (电子商务法 20, 民法典 604); the sender asks the carrier (民法典 832, 833): a courier parcel, EMS included, under the
  civil law (邮政法 59 applying 45(2)), an unvalued parcel's cap as a standard term (496, 506); a post office parcel
  under 邮政法 47 (insured value, else three times the postage) and 49 (query within a year).
- contract: force majeure (a typhoon, a flood, a closure) as the reason a contract could not be performed: excused
  according to its effect, with a timely notice and proof within a reasonable time, not after one's own delay
  (民法典 180, 590); the contract may be ended when its purpose failed (563), or changed by a court (533).
- social_security: the bankruptcy lines (企业破产法 48, 113) showed for every unit; a page now asks whether the unit
  went bankrupt, and a unit that merely closed reads what the collector may take (社会保险法 63).

From real questions walked through the kiosk (unlabelled_real_questions.tsv, legal_qa_sample.jsonl):

- debt: a lender about to sue read nothing of court fees (民事诉讼法 121); a borrower who cannot pay read nothing of
  when one goes on the defaulter list (said in words) and the double interest after an order (264); a guarantor
  with a written period read only that it counts, not that its lapse frees him (民法典 693); one who promised the
  creditor to help repay had no answer (552).
- labor: a worker whose award stays unpaid was not told to ask a court to enforce it (劳动争议调解仲裁法 51, 民事诉讼法
  250); workers sent home on a 'holiday' read nothing of a stoppage's pay (工资支付暂行规定 12, in words).
- property: machine noise of a factory or workshop is complained of to the environment department (in words).
- contract: an advance payment (订金、预付款) read the 定金 double-return lines under a 定金 title; an unwritten lease of
  unclear term is one without term (民法典 707, 730).
- social_security: a worker refused the leaving certificate reads he may complain and claim the loss (劳动合同法 50,
  89).
- personal_injury: electrocution had no cause; it now reads who answers for high-voltage harm (民法典 1240) and for
  low-voltage lines (1165, the boundary in words), and the unknown-party outcome names the death and disability items.

Second round (gaps the first round named):

- debt: a lender to a company in bankruptcy read only of suing it; he now reads he must declare his claim to the
  administrator within the period the court sets, what a late one loses, and that the guarantor still owes the rest
  (企业破产法 45, 46, 48, 49, 56, 58, 20, 21, 113, 124); a judgment creditor reads that enforcement stops.
- personal_injury: a parent whose child hurt a classmate read only the victim's side; a new cause leads to the
  guardian's liability (民法典 1188), the school's share (1199, 1200), the hurt child's fault (1173) and what an
  advance payment of medical costs means (in words).
- work_injury: a worker refused a work-injury finding reads what medical insurance pays and the third-party rule
  (社会保险法 30).
- labor: a worker hired by the village committee reads that whether it is a 用人单位 is unsettled (劳动合同法 2),
  arbitration first and a suit if refused (劳动争议调解仲裁法 29), three years as hired help.

From further real questions: a tenant whose lease says nothing on when the deposit comes back may ask for it with
time to prepare (民法典 510, 511); a worker past retirement age hurt at work is not told to give up (in words); a
victim who reported a beating and heard nothing reads what the police owe him (治安管理处罚法 90, 118, in words); a lender to a
one-person company reads whom to sue (公司法 23, 民间借贷规定 22, in words).

Each test drives the real engine over the shipped pack and pins the corrected outcome and the articles it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

TODAY = date(2026, 12, 7)
CIVIL_CODE = "中华人民共和国民法典"
POSTAL_LAW = "中华人民共和国邮政法"
E_COMMERCE_LAW = "中华人民共和国电子商务法"
BANKRUPTCY_LAW = "中华人民共和国企业破产法"
SOCIAL_INSURANCE_LAW = "中华人民共和国社会保险法"
TERMINATION_LAST_DAY = "解除合同的最后一天（没约定期限的，按问题发生的日子估算）"
LEASE = {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no", "problem": "terminate",
         "who_ends": "me"}


def test_a_tenant_who_simply_wants_out_reads_he_would_be_in_breach_and_no_termination_deadline(pack):
    """民法典 562, 563: a right to end a contract needs an agreed or a legal ground; 564's one year runs only for the
    one who holds it. Without one, leaving early is a breach (577, 584, 585) and the landlord must limit his loss
    (591); the unused rent comes back less what is owed (566, 568)."""
    tenant = consult(pack, "contract", {**LEASE, "end_ground": "none"}, today=TODAY)
    assert tenant.outcome.id == "leave_early"
    cited = articles(tenant, CIVIL_CODE)
    assert {465, 562, 577, 584, 585, 591, 566, 568, 730} <= cited and 564 not in cited
    assert not tenant.deadlines
    assert says(tenant, "就算您违约") and says(tenant, "重新找人租的那段时间的租金")
    assert says(tenant, "没有自己一方解除合同的权利") and says(tenant, "还没住到的房租和押金，房东要退给您")
    landlord = consult(pack, "contract", {**LEASE, "side": "payee", "end_ground": "none"}, today=TODAY)
    assert says(landlord, "不能提前收回房子") and 568 not in articles(landlord, CIVIL_CODE)


def test_one_who_ordered_work_may_stop_it_without_a_breach_but_pays_the_workers_loss(pack):
    """民法典 787: the one who ordered the work may end it any time before it is done, paying the worker's loss; the
    worker who walks out is in breach (577)."""
    owner = consult(pack, "contract", {**LEASE, "contract_type": "work", "end_ground": "none"}, today=TODAY)
    assert owner.outcome.id == "leave_early" and 787 in articles(owner, CIVIL_CODE)
    assert 577 not in articles(owner, CIVIL_CODE) and not says(owner, "就算您违约")
    assert says(owner, "法律允许您随时不让他干了") and not owner.deadlines
    worker = consult(pack, "contract", {**LEASE, "contract_type": "work", "side": "payee", "end_ground": "none"},
                     today=TODAY)
    assert 577 in articles(worker, CIVIL_CODE) and 787 not in articles(worker, CIVIL_CODE)
    assert says(worker, "活没干完就不干了，是违约")


def test_a_termination_deadline_shows_only_with_a_ground(pack):
    """民法典 564: the period belongs to a right that exists: after the other side's breach or an agreed ground (562).
    A citizen unsure whether there is one reads what decides it and no computed last day."""
    dated = {**LEASE, "amount": 20000, "breach_date": date(2026, 11, 1)}
    breach = consult(pack, "contract", {**dated, "end_ground": "breach"}, today=TODAY)
    assert breach.outcome.id == "terminate" and due(breach)[TERMINATION_LAST_DAY] == date(2027, 11, 1)
    assert not says(breach, "就算您违约")
    agreed = consult(pack, "contract", {**dated, "end_ground": "agreed"}, today=TODAY)
    assert 562 in articles(agreed, CIVIL_CODE) and TERMINATION_LAST_DAY in due(agreed)
    assert says(agreed, "对方催您表态的，要在合理的时间里决定")
    unsure = consult(pack, "contract", {**dated, "end_ground": "unsure"}, today=TODAY)
    assert unsure.outcome.id == "terminate" and TERMINATION_LAST_DAY not in due(unsure)
    assert says(unsure, "都没有的，您提前退出就是违约") and not says(unsure, "一般要在一年内行使")


def test_a_contract_a_flood_made_impossible_is_excused_by_its_effect_with_notice_and_proof(pack):
    """民法典 180, 590: excused in part or whole by the effect, with a timely notice and proof within a reasonable time;
    not after one's own delay. 563(1): the contract may be ended; 533: a change short of impossibility may lead a
    court to change it. The side that could not perform has no limitation period of its own to watch."""
    answers = {"contract_type": "sale", "side": "payee", "written": "yes", "clause": "no", "problem": "force_majeure",
               "fm_side": "me", "fm_late": "no", "amount": 50000, "breach_date": date(2026, 7, 20)}
    flooded = consult(pack, "contract", answers, today=TODAY)
    assert flooded.outcome.id == "force_majeure"
    assert {180, 590, 563, 533} <= articles(flooded, CIVIL_CODE) and not flooded.deadlines
    assert says(flooded, "及时通知对方") and says(flooded, "在合理的时间里拿出证明")
    assert says(flooded, "不算不可抗力") and not says(flooded, "先拖的一方不能拿这件事免责")
    late = consult(pack, "contract", {**answers, "fm_late": "yes"}, today=TODAY)
    assert says(late, "先拖的一方不能拿这件事免责")
    shop = consult(pack, "contract", {**answers, "contract_type": "lease", "side": "payer", "fm_side": "other",
                                      "breach_date": date(2025, 2, 1)}, today=TODAY)
    assert shop.outcome.id == "force_majeure" and 188 in articles(shop, CIVIL_CODE)
    assert due(shop) == {"起诉的最后期限（诉讼时效，按问题发生的日子估算）": date(2028, 2, 1)}
    assert says(shop, "其实做得成的，还是违约")


def test_a_manager_has_no_power_to_fine_an_owner(pack):
    """民法典 942: the manager stops breaches and reports them to the authorities; 944: it may not cut water, power,
    gas or heating to press for money; 286: the owners' committee may ask an owner to stop, restore and compensate.
    A fine is an administrative penalty only authorities impose (said in words)."""
    fined = consult(pack, "property", {"issue": "management", "m_issue": "fine"}, today=TODAY)
    assert fined.outcome.id == "property_fine"
    assert {942, 944, 286} <= articles(fined, CIVIL_CODE) and not fined.deadlines
    assert says(fined, "法律没有给它罚款的权力") and says(fined, "能罚款的是这些部门")
    assert says(fined, "不能用停水、停电、停气、停暖的办法") and says(fined, "物业费是另一回事")


def test_an_online_buyer_whose_parcel_was_lost_asks_the_seller(pack):
    """电子商务法 20: the online seller bears the transport risk unless the buyer chose the courier; 民法典 604: the risk
    passes on delivery, which is the buyer's signature (电子商务法 51)."""
    buyer = consult(pack, "consumer", {"what": "parcel", "p_role": "buyer", "p_value": 800,
                                       "p_date": date(2026, 11, 20)}, today=TODAY)
    assert buyer.outcome.id == "parcel"
    assert 20 in articles(buyer, E_COMMERCE_LAW) and 604 in articles(buyer, CIVIL_CODE)
    assert 832 not in articles(buyer, CIVIL_CODE)
    assert says(buyer, "损失由卖家担") and says(buyer, "不用自己去找快递公司")
    assert due(buyer) == {"起诉的最后期限（诉讼时效，按知道丢了、坏了的日子估算）": date(2029, 11, 20)}


def test_a_sender_of_a_lost_courier_parcel_claims_its_value_and_a_post_office_parcel_follows_the_postal_law(pack):
    """民法典 832, 833: the carrier answers for loss in transit at the agreed or the market value; 邮政法 59 sends a
    courier parcel's loss to the civil law (45(2)); an unvalued-parcel cap is a standard term (496) and void for
    gross fault (506). A post office's parcel: 邮政法 47 (insured value, else at most three times the postage) and
    49 (query within a year of posting)."""
    answers = {"what": "parcel", "p_role": "sender", "p_carrier": "courier", "p_insured": "no", "p_value": 2500,
               "p_date": date(2026, 11, 10)}
    courier = consult(pack, "consumer", answers, today=TODAY)
    assert {832, 833, 496, 506} <= articles(courier, CIVIL_CODE) and articles(courier, POSTAL_LAW) == {59}
    assert says(courier, "您可以主张这一条不算数") and says(courier, "快递公司要赔")
    insured = consult(pack, "consumer", {**answers, "p_insured": "yes"}, today=TODAY)
    assert 496 not in articles(insured, CIVIL_CODE) and says(insured, "最多赔到保价的金额")
    post = consult(pack, "consumer", {**answers, "p_carrier": "post"}, today=TODAY)
    assert articles(post, POSTAL_LAW) == {47, 49} and 496 not in articles(post, CIVIL_CODE)
    assert says(post, "最多赔邮费的三倍") and says(post, "寄出后一年内拿着收据去邮局查询")


def test_the_bankruptcy_lines_show_only_for_a_unit_in_bankruptcy(pack):
    """企业破产法 48, 113: a bankrupt unit's unpaid wages and personal-account contributions need no claim and come
    first. A running unit's worker read them too. A unit that merely closed: the collector may take the arrears from
    its accounts and seize its property through a court (社会保险法 63)."""
    answers = {"issue": "unpaid", "still_employed": "no", "left_date": date(2026, 6, 30),
               "unpaid_since": date(2025, 1, 1), "records": "yes"}
    running = consult(pack, "social_security", {**answers, "unit_state": "running"}, today=TODAY)
    assert running.outcome.id == "unpaid_contributions" and not articles(running, BANKRUPTCY_LAW)
    assert not says(running, "管理人") and not says(running, "关了门")
    bankrupt = consult(pack, "social_security", {**answers, "unit_state": "bankrupt"}, today=TODAY)
    assert articles(bankrupt, BANKRUPTCY_LAW) == {48, 113} and says(bankrupt, "职工不用申报")
    closed = consult(pack, "social_security", {**answers, "unit_state": "closed"}, today=TODAY)
    assert not articles(closed, BANKRUPTCY_LAW) and 63 in articles(closed, SOCIAL_INSURANCE_LAW)
    assert says(closed, "申请法院查封、拍卖单位的财产")


# Second part: real questions walked through the kiosk.

CIVIL_PROCEDURE_LAW = "中华人民共和国民事诉讼法"
LABOR_DISPUTE_LAW = "中华人民共和国劳动争议调解仲裁法"
LABOR_CONTRACT_LAW = "中华人民共和国劳动合同法"


def test_a_lender_about_to_sue_reads_what_the_court_fee_is_and_that_the_poor_may_defer_it(pack):
    """民事诉讼法 121: the fee is paid by the rules, and a party who truly cannot pay may ask to defer, reduce or be
    excused from it. A lender who asked what a suit over 90,000 yuan costs read nothing about fees."""
    lender = consult(pack, "debt", {"role": "lender", "proof": "transfer", "amount": 90000, "due_agreed": "no",
                                    "demanded": "yes", "last_demand": date(2026, 10, 1), "interest": "none",
                                    "stance": "disputes"}, today=TODAY)
    assert lender.outcome.id == "lawsuit" and 121 in articles(lender, CIVIL_PROCEDURE_LAW)
    assert says(lender, "起诉时要先交诉讼费") and says(lender, "申请缓交、减交或者免交")


def test_a_worker_whose_award_is_unpaid_reads_he_may_ask_the_court_to_enforce_it(pack):
    """劳动争议调解仲裁法 51: a party may apply to a court to enforce an award or mediation paper in force; 民事诉讼法
    250: within two years of the last day set. Workers who won arbitration and were still unpaid were not told."""
    owed = consult(pack, "labor", {"situation": "left", "left_date": date(2026, 5, 1), "owed_since": date(2026, 1, 1),
                                   "amount": 20000, "employer_type": "company", "contract": "yes",
                                   "evidence": "records", "employer_stance": "admits", "migrant": "no"}, today=TODAY)
    assert owed.outcome.id == "arbitration"
    assert 51 in articles(owed, LABOR_DISPUTE_LAW) and 250 in articles(owed, CIVIL_PROCEDURE_LAW)
    assert says(owed, "可以向法院申请强制执行") and says(owed, "两年内申请")


def test_a_neighbour_of_a_noisy_workshop_reads_where_to_complain(pack):
    """Machine noise of a factory or workshop is no household noise for the police (治安管理处罚法 88 is about
    社会生活噪声); the environment department takes complaints (said in words: the statute library marks the
    噪声污染防治法 as repealed, so it is not cited)."""
    noise = consult(pack, "property", {"issue": "neighbor", "n_type": "noise", "n_where": "village",
                                       "n_damage": "no"}, today=TODAY)
    assert noise.outcome.id == "nuisance"
    assert says(noise, "工厂、作坊的机器噪声") and any("生态环境部门" in w.body for w in noise.ways)


def test_an_advance_payment_reads_no_earnest_money_rules_and_a_partial_refund(pack):
    """民法典 586-588 govern 定金 only; an advance (订金、预付款) comes back as restitution (566), the part not done. The
    payer of an advance read every double-return line of 定金 under a 定金 title."""
    advance = consult(pack, "contract", {"contract_type": "other", "side": "payer", "written": "yes", "clause": "no",
                                         "problem": "deposit", "deposit_kind": "advance", "amount": 12000,
                                         "breach_date": date(2026, 9, 1)}, today=TODAY)
    assert advance.outcome.id == "deposit" and 566 in articles(advance, CIVIL_CODE)
    assert not says(advance, "要双倍退还定金") and says(advance, "没办的那部分的钱一般要退给您")
    assert "双倍退" not in advance.outcome.title.split("只有写明")[0]
    earnest = consult(pack, "contract", {"contract_type": "sale", "side": "payer", "written": "yes", "clause": "no",
                                         "problem": "deposit", "deposit_kind": "earnest", "deposit_fault": "other",
                                         "amount": 100000, "breach_date": date(2026, 9, 1)}, today=TODAY)
    assert says(earnest, "要双倍退还定金") and says(earnest, "超过的部分不算定金")


def test_an_unwritten_lease_of_unclear_term_may_be_ended_at_any_time_with_notice(pack):
    """民法典 707: a lease of six months or more must be written; unwritten and of a term that cannot be fixed, it is
    a lease without term, which 730 lets either side end at any time with reasonable notice."""
    answers = {"contract_type": "lease", "side": "payer", "written": "no", "problem": "terminate", "who_ends": "other",
               "amount": 1500, "breach_date": date(2026, 12, 1)}
    reclaimed = consult(pack, "contract", answers, today=TODAY)
    assert reclaimed.outcome.id == "terminate_objection" and {707, 730} <= articles(reclaimed, CIVIL_CODE)
    assert says(reclaimed, "没签书面租房合同、又说不清租多久的")
    written = consult(pack, "contract", {**answers, "written": "yes", "clause": "no"}, today=TODAY)
    assert 707 not in articles(written, CIVIL_CODE) and not says(written, "没签书面租房合同")


def test_a_guarantor_with_a_written_period_reads_that_its_lapse_frees_him(pack):
    """民法典 693: when the creditor did not sue the debtor (general guarantee) or demand from the guarantor (joint)
    within the guarantee period, the guarantor is freed. A guarantor of 2013 with a one-year period who was never
    asked read only that the written period counts."""
    guarantor = consult(pack, "debt", {"role": "guarantor", "g_type": "unsure", "g_period": "yes", "amount": 50000,
                                       "due_agreed": "yes", "due_date": date(2014, 6, 1), "g_sued": "unsure",
                                       "debtor_found": "yes"}, today=TODAY)
    assert guarantor.outcome.id == "guarantor_check_contract" and 693 in articles(guarantor, CIVIL_CODE)
    assert says(guarantor, "债主在这段时间里没找过您，您就不用再担保了")


def test_a_dismissed_worker_refused_the_leaving_certificate_reads_where_to_complain(pack):
    """劳动合同法 50: the unit issues the certificate of termination; 89: the labour department orders it and the unit
    pays the loss it caused. A worker refused it, and so the unemployment benefit, read no remedy but arbitration."""
    refused = consult(pack, "social_security", {"issue": "unemployment", "left_reason": "dismissed",
                                                "unemployment_years": "over_1"}, today=TODAY)
    assert refused.outcome.id == "unemployment" and {50, 89} <= articles(refused, LABOR_CONTRACT_LAW)
    assert says(refused, "单位不给开证明的，可以向人社局劳动保障监察投诉")


def test_a_borrower_who_cannot_pay_reads_when_one_goes_on_the_defaulter_list(pack):
    """A borrower sued and mediated in court asked how long he may take before he becomes a 老赖. Only a debtor under
    an order in force who can pay and does not, hides property or does not report it goes on the list (the Supreme
    People's Court's rules, said in words); 民事诉讼法 264: the delay after the order costs double interest."""
    unable = consult(pack, "debt", {"role": "borrower", "b_issue": "cannot_pay", "amount": 30000, "interest": "none"},
                     today=TODAY)
    assert unable.outcome.id == "borrower_rights" and 264 in articles(unable, CIVIL_PROCEDURE_LAW)
    assert says(unable, "确实没钱还，不会因此上失信名单") and says(unable, "加倍付拖延期间的利息")
    deducted = consult(pack, "debt", {"role": "borrower", "b_issue": "deducted", "amount": 30000, "interest": "none"},
                       today=TODAY)
    assert 264 not in articles(deducted, CIVIL_PROCEDURE_LAW) and not says(deducted, "失信名单")


def test_workers_sent_home_on_a_holiday_without_pay_read_what_a_stoppage_owes_them(pack):
    """A company that told its workers to take a 'holiday' while it wound down: the contract is not ended, and a
    stoppage owes the wage for one pay period, then a living allowance by provincial rules (工资支付暂行规定 12, a
    ministry rule not in the statute library, said in words)."""
    owed = consult(pack, "labor", {"situation": "working", "owed_since": date(2026, 10, 1), "amount": 8000,
                                   "employer_type": "company", "contract": "yes", "evidence": "records",
                                   "employer_stance": "admits", "migrant": "no"}, today=TODAY)
    assert owed.outcome.id == "arbitration" and says(owed, "停工没超过一个发工资的周期")
    closing = consult(pack, "labor", {"situation": "dismissed", "dismissed_date": date(2026, 11, 20),
                                      "dismissal_reason": "cuts", "protected": "none", "dismissal_employer": "unit"},
                      today=TODAY)
    assert closing.outcome.id == "dismissal" and says(closing, "其实不干了的，合同还没解除")
    fault = consult(pack, "labor", {"situation": "dismissed", "dismissed_date": date(2026, 11, 20),
                                    "dismissal_reason": "fault", "protected": "none", "dismissal_employer": "unit"},
                    today=TODAY)
    assert not says(fault, "其实不干了的")


def test_one_who_promised_the_creditor_to_help_repay_reads_she_owes_what_she_promised(pack):
    """民法典 552: a third person who tells the creditor she will take on a debt owes it jointly with the debtor,
    within what she promised, unless the creditor refused in reasonable time; a break-up changes nothing. A woman who
    promised to pay part of her boyfriend's debt each month had no answer: the guarantor's pages asked only how a
    guarantee was worded."""
    joined = consult(pack, "debt", {"role": "guarantor", "g_type": "promised"}, today=TODAY)
    assert joined.outcome.id == "debt_joined" and articles(joined, CIVIL_CODE) == {552}
    assert not joined.deadlines
    assert says(joined, "在您答应的范围内") and says(joined, "分手了、闹翻了，不影响")
    assert says(joined, "债主并不知道的，债主一般不能找您要") and says(joined, "说不清的一般按担保算")


def test_a_family_whose_mother_was_electrocuted_in_the_field_reads_who_answers_for_power_lines(pack):
    """民法典 1240: harm by high voltage is the operator's, unless the victim's intent or force majeure, reduced for
    the victim's gross negligence; low-voltage lines and appliances are their owner's or keeper's (1165), the
    boundary set by the supply contract (said in words). A woman killed by a leaking pump motor while watering her
    field had no cause to choose, and her family read only medical costs under 'ask the police'."""
    answers = {"cause": "electric", "harm": "death", "injury_date": date(2026, 8, 1), "who_known": "no",
               "own_fault": "unsure", "talks": "not_started"}
    unknown = consult(pack, "personal_injury", answers, today=TODAY)
    assert unknown.outcome.id == "unknown_party" and {1240, 1165} <= articles(unknown, CIVIL_CODE)
    assert says(unknown, "请供电公司、村（居）委会一起来看现场") and says(unknown, "由经营这些电力设施的单位赔")
    assert says(unknown, "可以要丧葬费和死亡赔偿金")
    known = consult(pack, "personal_injury", {**answers, "who_known": "yes"}, today=TODAY)
    assert known.outcome.id == "claim" and 1240 in articles(known, CIVIL_CODE)
    assert says(known, "自家的线和电器归自家管")
    dog = consult(pack, "personal_injury", {**answers, "cause": "animal"}, today=TODAY)
    assert 1240 not in articles(dog, CIVIL_CODE) and says(dog, "可以要丧葬费和死亡赔偿金")


def test_a_lender_to_a_bankrupt_company_reads_he_must_declare_his_claim_in_the_courts_period(pack):
    """企业破产法 45, 48: claims are declared to the administrator within the period the court sets (30 days to three
    months from its notice); 49 what the declaration holds; 56 a late one until the last distribution, without what
    was shared out and at the creditor's cost; 46 unexpired claims fall due, interest stops; 58 the list and a suit
    against it; 20, 21 suits; 113 the order of payment; 124 the guarantor still owes the rest. A man who had lent
    a factory money read only of suing it. The court sets the dates: no deadline is computed."""
    answers = {"role": "lender", "proof": "iou", "amount": 200000, "due_agreed": "yes", "due_date": date(2026, 6, 30),
               "demanded": "yes", "last_demand": date(2026, 9, 1), "interest": "none", "stance": "bankrupt"}
    lender = consult(pack, "debt", answers, today=TODAY)
    assert lender.outcome.id == "bankrupt_claim" and not lender.deadlines
    assert {45, 46, 48, 49, 56, 58, 113, 124} <= articles(lender, BANKRUPTCY_LAW)
    assert says(lender, "在法院定的申报期限内，向管理人申报债权") and says(lender, "最短三十天，最长三个月")
    assert says(lender, "前面已经分过的钱，不再给您补分") and says(lender, "还可以找担保人要")
    assert not says(lender, "打官司的三年期限")
    stale = consult(pack, "debt", {**answers, "due_date": date(2020, 6, 30), "demanded": "no"}, today=TODAY)
    assert stale.outcome.id == "bankrupt_claim" and says(stale, "打官司的三年期限")
    judged = consult(pack, "debt", {"role": "judged", "j_due": date(2026, 6, 30), "j_applied": "no"}, today=TODAY)
    assert judged.outcome.id == "enforcement" and says(judged, "执行会停下来")


def test_a_parent_whose_child_hurt_a_classmate_reads_his_own_liability_and_the_schools_share(pack):
    """民法典 1188: the guardian answers for the harm a minor does, less if he did his duty, the child's own property
    paying first; 1199, 1200: the school answers for its own failure while the hurt child was in its care (presumed
    for a child under eight); 1173: the hurt child's own fault lessens it. A parent whose son pushed a classmate over
    read only the victim's side. No limitation period of his own is shown."""
    answers = {"cause": "my_child", "harm": "hospital", "injury_date": date(2026, 11, 2), "child_where": "school",
               "own_fault": "some"}
    parent = consult(pack, "personal_injury", answers, today=TODAY)
    assert parent.outcome.id == "child_caused" and not parent.deadlines
    assert {1188, 1199, 1200, 1173} <= articles(parent, CIVIL_CODE) and 1201 not in articles(parent, CIVIL_CODE)
    assert says(parent, "先从孩子的钱里出") and says(parent, "可以让家长少赔一些，但一般不会一分不赔")
    assert says(parent, "学校没管好的也要赔它那一份") and says(parent, "一般会在最后赔的钱里扣掉")
    outside = consult(pack, "personal_injury", {**answers, "child_where": "outside", "own_fault": "none"}, today=TODAY)
    assert not {1199, 1200, 1173} & articles(outside, CIVIL_CODE) and not says(outside, "学校没管好")
    old = consult(pack, "personal_injury", {**answers, "injury_date": date(2021, 5, 1)}, today=TODAY)
    assert old.outcome.id == "child_caused"


def test_a_worker_refused_a_work_injury_finding_reads_what_medical_insurance_pays(pack):
    """社会保险法 30: medical insurance does not pay what the work-injury fund or a third party should; when the third
    party does not pay or is unknown it pays first and claims from him. A worker refused a work-injury finding asked
    whether his medical insurance would pay instead and read nothing."""
    answers = {"victim": "self", "relation": "company", "what_happened": "commute", "commute_fault": "not_main",
               "injury_date": date(2026, 4, 12), "insured": "yes", "contract": "yes", "status": "rejected",
               "decision_date": date(2026, 11, 2), "migrant": "no"}
    refused = consult(pack, "work_injury", answers, today=TODAY)
    assert refused.outcome.id == "challenge_decision" and 30 in articles(refused, SOCIAL_INSURANCE_LAW)
    assert says(refused, "应当由工伤保险出的医疗费，医保不报") and says(refused, "医保先垫付，再由医保去找他要")
    assert says(refused, "问能不能按普通看病报销")


def test_a_worker_hired_by_the_village_committee_reads_it_is_unsettled_and_the_safe_way(pack):
    """劳动合同法 2 lists enterprises, individual businesses and like organisations, and state organs, public
    institutions and social groups; a village committee (民法典 101, a self-governing body) is not named, and courts
    differ (said in words with 一般 and 法院会看). Arbitration first within a year; refused in writing, the worker may
    sue (劳动争议调解仲裁法 29); as hired help, three years in court. A village cleaner read the company's rules."""
    answers = {"situation": "left", "left_date": date(2026, 8, 31), "owed_since": date(2026, 3, 1), "amount": 9000,
               "employer_type": "village", "contract": "no", "evidence": "records", "employer_stance": "disputes",
               "migrant": "no"}
    cleaner = consult(pack, "labor", answers, today=TODAY)
    assert cleaner.outcome.id == "arbitration" and due(cleaner) == {"申请劳动仲裁（请仲裁委评理）的最后一天": date(2027, 8, 31)}
    assert 2 in articles(cleaner, LABOR_CONTRACT_LAW) and 29 in articles(cleaner, LABOR_DISPUTE_LAW)
    assert 46 not in articles(cleaner, LABOR_CONTRACT_LAW) and not says(cleaner, "经济补偿按在这个单位干的年头算")
    assert says(cleaner, "村委会不在《劳动合同法》第二条列出的用人单位里") and says(cleaner, "法院会看当地的规定")
    assert says(cleaner, "仲裁委书面通知不受理的，可以拿着通知到法院起诉")
    company = consult(pack, "labor", {**answers, "employer_type": "company"}, today=TODAY)
    assert 29 not in articles(company, LABOR_DISPUTE_LAW) and not says(company, "村委会")
    iou = consult(pack, "labor", {**answers, "evidence": "iou", "employer_stance": "admits"}, today=TODAY)
    assert iou.outcome.id == "iou_claim" and says(iou, "村委会不在")


def test_a_tenant_whose_lease_says_nothing_on_returning_the_deposit_may_ask_for_it_with_time_to_prepare(pack):
    """民法典 510, 511(4): a term left open is agreed, else read from the contract or custom; a time still open may be
    asked for at any time, with the necessary time to prepare. A tenant whose lease said nothing on when the deposit
    comes back asked whether she could have it on the last day, and read only that it comes back."""
    tenant = consult(pack, "contract", {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no",
                                        "problem": "deposit", "deposit_kind": "security", "amount": 3000,
                                        "breach_date": date(2026, 11, 30)}, today=TODAY)
    assert tenant.outcome.id == "security_deposit" and {510, 511} <= articles(tenant, CIVIL_CODE)
    assert says(tenant, "合同没写什么时候退押金的") and says(tenant, "要给对方必要的准备时间")


def test_a_worker_past_retirement_age_hurt_at_work_is_not_told_to_give_up(pack):
    """A man in his sixties hurt at work asked up to what age work injury counts. The ministry's opinion of 2016 and
    the Supreme People's Court's answers of 2010 and 2012 (not in the statute library, said in words with 一般 and
    各地做法不一样): one without the urban employee pension, still at his old unit, is usually covered; one newly hired
    or drawing a pension depends on whether the unit insured him; otherwise a civil claim by fault."""
    answers = {"victim": "self", "relation": "company", "what_happened": "at_work", "injury_date": date(2026, 10, 8),
               "insured": "no", "contract": "no", "status": "none", "migrant": "yes"}
    hurt = consult(pack, "work_injury", answers, today=TODAY)
    assert hurt.outcome.id == "apply_recognition"
    assert says(hurt, "已经过了退休年龄的，也别先放弃") and says(hurt, "各地做法不一样")
    refused = consult(pack, "work_injury", {**answers, "status": "rejected", "decision_date": date(2026, 11, 20)},
                      today=TODAY)
    assert refused.outcome.id == "challenge_decision" and says(refused, "还可以找单位赔，法院会看双方的过错")


def test_a_victim_who_reported_a_beating_and_heard_nothing_reads_what_the_police_owe_him(pack):
    """治安管理处罚法 90: the police register a report and investigate at once, or tell the reporter why not; 118: a
    public-order case takes at most thirty days from registration, extendable with approval, expert assessment not
    counted (the 2025 text in force; said in words). A man beaten and three days without a statement asked whether
    the police acted rightly and read only to report."""
    answers = {"cause": "assault", "harm": "light", "injury_date": date(2026, 11, 30), "reported": "yes",
               "own_fault": "none", "talks": "not_started"}
    reported = consult(pack, "personal_injury", answers, today=TODAY)
    assert reported.outcome.id == "assault"
    assert says(reported, "公安机关应当立即立案调查") and says(reported, "立案后三十日内办完")
    assert says(reported, "到派出所问进度")
    silent = consult(pack, "personal_injury", {**answers, "reported": "no"}, today=TODAY)
    assert not says(silent, "立案后三十日内办完") and says(silent, "请尽快报警")


def test_a_lender_to_a_one_person_company_reads_whom_to_sue(pack):
    """公司法 23(3) (the 2023 text): the sole shareholder who cannot show the company's property apart from his own
    answers for its debts jointly; a legal representative shown to have used the money himself may be sued with the
    company (民间借贷规定 22, said in words). A lender whose IOU bore a one-person company's stamp and whose money went
    to its owner's account asked whether he could sue the company, and read nothing on a company borrower."""
    lender = consult(pack, "debt", {"role": "lender", "proof": "iou", "amount": 100000, "due_agreed": "yes",
                                    "due_date": date(2026, 6, 30), "demanded": "no", "interest": "none",
                                    "stance": "disputes"}, today=TODAY)
    assert lender.outcome.id == "lawsuit"
    assert says(lender, "借钱的就是公司，要告公司") and says(lender, "只有一个股东的公司")
    assert says(lender, "一般可以把他也一起告")
    borrower = consult(pack, "debt", {"role": "borrower", "b_issue": "cannot_pay", "amount": 30000,
                                      "interest": "none"}, today=TODAY)
    assert not says(borrower, "要告公司")
