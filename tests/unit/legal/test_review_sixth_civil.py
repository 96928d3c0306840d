"""Session 27, sixth review (labour, work-injury, social-security, contract, land and mediation flows): real answered
consultations walked through the kiosk, first over the labour flow's new rights branch. Found and fixed: a worker let
go when the open-ended contract was refused read only about double pay, not that the end of a term brings 经济补偿
and refusing a ten-year worker is an unlawful termination (劳动合同法 44, 46, 47, 87); workers who left asking about
overtime, leave or an unsigned contract were not told of 经济补偿 (38, 46); a worker leaving mid-year read nothing of
the year's leave owed pro rata; a worker wanting to resign, in probation or after, could not say so (30, 37; a
resignation penalty is void but for training or a non-compete, 22, 25, 90); probation underpay was not said to be
claimable pay; the public holiday's triple pay was not said to come on top of the month; an injured worker before
recognition was not told the wage runs on (工伤保险条例 33), and an insured one was not told which benefits the fund
pays and that the agency is challenged by reconsideration (社会保险法 38, 39; 条例 55); a tenant leaving early read
no word of his breach or of cutting an excessive penalty (民法典 585, 591); a seller owed the price was not told he
may sue at home; a pension contributor who stopped was not told the years add up; a villager refused a homestead had
no option (土地管理法 62, 78); a broken labour mediation agreement was given a three-year suit instead of arbitration.

Each test drives the real engine over the shipped pack and pins the corrected outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
TODAY = date(2026, 12, 7)
RIGHTS = {"situation": "rights", "rights_employer": "unit", "rights_working": "yes"}
ARBITRATION_DAY = "申请劳动仲裁（请仲裁委评理）的最后一天"


def test_a_worker_let_go_when_the_open_ended_contract_was_refused_reads_compensation_and_its_limit(pack):
    """劳动合同法 46(5) with 44(1): the end of a fixed term brings 经济补偿 unless the unit offered the same or better
    terms; 14(1) makes refusing a ten-year worker's request an unlawful termination (87, twice 47)."""
    let_go = consult(pack, "labor", {**RIGHTS, "rights_issue": "contract", "contract_issue": "open_ended", "rights_working": "no",
                                     "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert let_go.outcome.id == "labor_rights"
    assert {14, 44, 46, 47, 87} <= articles(let_go, LABOUR_CONTRACT_LAW)
    assert says(let_go, "至少要给经济补偿") and says(let_go, "按原来或者更好的条件要续签")
    assert says(let_go, "一般算违法终止合同") and says(let_go, "每满一年给一个月工资")
    assert due(let_go) == {ARBITRATION_DAY: date(2027, 11, 30)}
    still_there = consult(pack, "labor", {**RIGHTS, "rights_issue": "contract", "contract_issue": "open_ended"}, today=TODAY)
    assert due(still_there) == {} and not says(still_there, "让您走的那天起一年内")


def test_a_worker_who_left_mid_year_reads_the_years_unused_leave_is_paid_pro_rata(pack):
    """企业职工带薪年休假实施办法 12 (said in words): on leaving, the year's leave is counted by the time worked
    that year and each day not taken paid at 300 %, a part of a day not counted."""
    left = consult(pack, "labor", {**RIGHTS, "rights_issue": "leave", "rights_working": "no",
                                   "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert says(left, "按当年在这个单位干了多久折算成天数")
    working = consult(pack, "labor", {**RIGHTS, "rights_issue": "leave"}, today=TODAY)
    assert not says(working, "折算成天数")


def test_a_worker_in_probation_may_quit_on_three_days_notice_and_keep_the_pay_for_days_worked(pack):
    """劳动合同法 37: in probation three days' notice, no consent needed; 30: wages in full; the pay owed is pay,
    so the year runs from leaving (劳动争议调解仲裁法 27(4)), as for overtime."""
    quitting = consult(pack, "labor", {**RIGHTS, "rights_issue": "probation", "probation_issue": "quit"},
                       today=TODAY)
    assert quitting.outcome.id == "labor_rights"
    assert {30, 37} <= articles(quitting, LABOUR_CONTRACT_LAW) and 87 not in articles(quitting, LABOUR_CONTRACT_LAW)
    assert says(quitting, "提前三天告诉单位就行") and says(quitting, "单位要按说好的工资照发")
    assert due(quitting) == {}
    gone = consult(pack, "labor", {**RIGHTS, "rights_issue": "probation", "probation_issue": "quit",
                                   "rights_working": "no", "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert due(gone) == {ARBITRATION_DAY: date(2027, 11, 30)}
    assert all("终止之日起一年内" in d.basis for d in gone.deadlines)


def test_a_monthly_paid_worker_reads_the_public_holiday_triple_pay_comes_on_top_of_the_month(pack):
    """劳动法 44(3): at least 300 % for a public holiday worked; the month's wage already pays the holiday."""
    overtime = consult(pack, "labor", {**RIGHTS, "rights_issue": "overtime"}, today=TODAY)
    assert 44 in articles(overtime, "中华人民共和国劳动法")
    assert says(overtime, "至少给三倍") and says(overtime, "这三倍一般是在月工资以外另给的")


def test_an_injured_worker_before_recognition_reads_the_wage_runs_on_while_he_heals(pack):
    """工伤保险条例 33: in the 停工留薪期 the wage and benefits stay as before, paid monthly by the unit, as a rule
    up to twelve months. The opinion for a worker who had not yet applied spoke of recognition alone."""
    answers = {"victim": "family", "relation": "company", "what_happened": "at_work",
               "injury_date": date(2026, 10, 20), "insured": "yes", "contract": "no", "status": "none", "migrant": "yes"}
    first = consult(pack, "work_injury", answers, today=TODAY)
    assert first.outcome.id == "apply_recognition"
    assert 33 in articles(first, "工伤保险条例") and says(first, "原来的工资福利不变，由单位按月发")
    died = consult(pack, "work_injury", {**answers, "victim": "died"}, today=TODAY)
    assert 33 not in articles(died, "工伤保险条例") and not says(died, "停工留薪期")


def test_a_tenant_leaving_early_reads_he_is_the_one_in_breach_and_a_penalty_too_high_can_be_cut(pack):
    """民法典 585: a penalty far above the loss may be reduced on request; 591: the landlord must limit his loss.
    The tenant read only the lawful grounds to end a contract, none of which was his."""
    answers = {"contract_type": "lease", "side": "payer", "written": "yes", "clause": "no", "problem": "terminate",
               "who_ends": "me", "end_ground": "none"}
    leaving = consult(pack, "contract", answers, today=TODAY)
    assert leaving.outcome.id == "leave_early"  # session 29: no ground, no right to terminate (民法典 562, 563)
    assert {585, 591} <= articles(leaving, "中华人民共和国民法典")
    assert says(leaving, "就算您违约") and says(leaving, "可以请法院或者仲裁机构适当减少")
    work = consult(pack, "contract", {**answers, "contract_type": "work"}, today=TODAY)
    assert not {585, 591} & articles(work, "中华人民共和国民法典") and not says(work, "就算您违约")


def test_a_pension_contributor_who_stopped_for_years_reads_the_years_add_up(pack):
    """社会保险法 16: the years count cumulatively; whether missed years may be paid later is local policy."""
    stopped = consult(pack, "social_security", {"issue": "pension", "pension_type": "employee",
                                                "paid_years": "under_15", "pension_reply": "no"}, today=TODAY)
    assert 16 in articles(stopped, "中华人民共和国社会保险法")
    assert says(stopped, "前后交的年限加在一起算") and says(stopped, "各地规定不一样")


def test_a_villager_refused_a_homestead_reads_one_plot_per_household_and_the_routes_against_the_township(pack):
    """土地管理法 62: one plot per household, approved by the township; a refusal is reviewable (行政复议法 11(3),
    20: sixty days; 行政诉讼法 46: six months); 78: building before approval is unlawful. The flow had no option for a
    villager whose homestead application was turned down."""
    refused = consult(pack, "land_demolition", {"problem": "homestead", "homestead_stage": "refused",
                                                "homestead_refusal_date": date(2026, 11, 10)}, today=TODAY)
    assert refused.outcome.id == "homestead"
    assert {62, 78} <= articles(refused, "中华人民共和国土地管理法")
    assert 20 in articles(refused, "中华人民共和国行政复议法") and 46 in articles(refused, "中华人民共和国行政诉讼法")
    assert due(refused) == {"申请行政复议（请上级机关重新审查）的最后一天": date(2027, 1, 11),
                            "直接到法院起诉的最后一天": date(2027, 5, 10)}
    assert says(refused, "一户只能有一处宅基地") and says(refused, "没批下来就先盖房")
    village = consult(pack, "land_demolition", {"problem": "homestead", "homestead_stage": "village"}, today=TODAY)
    assert says(village, "村委会不是批宅基地的机关") and due(village) == {}
    assert 11 not in articles(village, "中华人民共和国行政复议法")


def test_a_worker_gone_at_the_end_of_his_term_asking_overtime_pay_reads_he_is_owed_compensation_too(pack):
    """劳动合同法 46(5) with 44(1), 46(1) with 38(2): a worker whose term ended without renewal, or who left over
    unpaid overtime, is owed 经济补偿 as well (47); the opinion spoke of the overtime alone."""
    gone = consult(pack, "labor", {**RIGHTS, "rights_issue": "overtime", "rights_working": "no",
                                   "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert {38, 46, 47} <= articles(gone, LABOUR_CONTRACT_LAW)
    assert says(gone, "单位还要给经济补偿") and says(gone, "每满一年给一个月工资")
    working = consult(pack, "labor", {**RIGHTS, "rights_issue": "overtime"}, today=TODAY)
    assert not {38, 46, 47} & articles(working, LABOUR_CONTRACT_LAW) and not says(working, "单位还要给经济补偿")
    unsigned = consult(pack, "labor", {**RIGHTS, "rights_issue": "contract", "contract_issue": "no_contract", "rights_working": "no",
                                       "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert {38, 46, 47} <= articles(unsigned, LABOUR_CONTRACT_LAW) and says(unsigned, "欠工钱、不交社保")


def test_an_insured_worker_owed_benefits_reads_which_the_fund_pays_and_how_to_challenge_the_agency(pack):
    """社会保险法 38, 39 split the benefits between the fund and the unit; 工伤保险条例 55: the agency's assessment is
    challenged by reconsideration or suit, not arbitration. An appraised worker was also sent to be appraised again."""
    answers = {"victim": "self", "relation": "company", "what_happened": "at_work", "injury_date": date(2026, 3, 20),
               "insured": "yes", "contract": "yes", "status": "recognised", "appraisal": "done",
               "appraisal_received": date(2026, 10, 1), "paid": "unpaid", "migrant": "no"}
    owed = consult(pack, "work_injury", answers, today=TODAY)
    assert owed.outcome.id == "benefits" and 55 in articles(owed, "工伤保险条例")
    assert says(owed, "要分开找") and says(owed, "不是找仲裁委，是申请行政复议")
    assert not any("劳动能力鉴定委员会" in way.body for way in owed.ways)
    uninsured = consult(pack, "work_injury", {**answers, "insured": "no"}, today=TODAY)
    assert 55 not in articles(uninsured, "工伤保险条例") and not says(uninsured, "要分开找")
    disagree = consult(pack, "work_injury", {**answers, "appraisal": "disagree"}, today=TODAY)
    assert [way.body for way in disagree.ways if "劳动能力鉴定委员会" in way.body] == \
        ["省级劳动能力鉴定委员会（管再次评伤残等级，一般在省人社厅）"]


def test_a_worker_who_wants_to_resign_reads_no_consent_is_needed_and_a_resignation_penalty_is_void(pack):
    """劳动合同法 37: thirty days' written notice (three in probation), no consent; 38 with 46: leave at once with
    compensation when the unit fails to pay or insure; 25 with 22: a penalty only for a training service period (capped
    by the training cost, pro rata) or a non-compete; 90: loss from leaving unlawfully. A worker whose contract
    charged 20,000 yuan for leaving within a year, or whose unit refused his notice, had no option to say so."""
    resign = consult(pack, "labor", {**RIGHTS, "rights_issue": "resign"}, today=TODAY)
    assert resign.outcome.id == "labor_rights"
    assert {22, 25, 30, 37, 38, 46, 90} <= articles(resign, LABOUR_CONTRACT_LAW)
    assert says(resign, "辞职不用单位批准") and says(resign, "提前三十天书面通知单位")
    assert says(resign, "这类条款，不算数") and says(resign, "不能超过单位出的培训费")
    assert due(resign) == {}
    gone = consult(pack, "labor", {**RIGHTS, "rights_issue": "resign", "rights_working": "no",
                                   "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert due(gone) == {ARBITRATION_DAY: date(2027, 11, 30)}
    site = consult(pack, "labor", {**RIGHTS, "rights_issue": "resign", "rights_employer": "contractor"}, today=TODAY)
    assert site.outcome.id == "rights_not_unit"


def test_a_worker_owed_pay_after_resigning_reads_legal_aid_covers_pay_claims(pack):
    """法律援助法 31(5): a claim for pay is an aid matter; 42: a migrant worker claiming pay need not prove hardship."""
    for answers in ({**RIGHTS, "rights_issue": "resign"},
                    {**RIGHTS, "rights_issue": "probation", "probation_issue": "quit"}):
        owed = consult(pack, "labor", answers, today=TODAY)
        assert owed.legal_aid.reason.startswith("要回干过活的工钱，算要劳动报酬")


def test_a_seller_owed_the_price_reads_he_may_sue_at_his_own_court(pack):
    """民事诉讼法 24 with 民诉法解释 18 (said in words): without an agreed place, the place of the side receiving money
    is where a money debt is performed, so a seller owed the price may sue at home, as a lender may (民间借贷规定 3)."""
    answers = {"contract_type": "sale", "side": "payee", "written": "no", "problem": "unpaid", "amount": 12000,
               "breach_date": date(2025, 8, 1)}
    owed = consult(pack, "contract", answers, today=TODAY)
    assert owed.outcome.id == "claim" and 24 in articles(owed, "中华人民共和国民事诉讼法")
    assert says(owed, "也可以在自己住的地方的法院起诉")
    buyer = consult(pack, "contract", {**answers, "side": "payer", "problem": "not_performed"}, today=TODAY)
    assert not says(buyer, "也可以在自己住的地方的法院起诉")


def test_a_worker_whose_labour_mediation_agreement_is_broken_reads_arbitration_first_not_a_three_year_suit(pack):
    """劳动争议调解仲裁法 15: a broken labour mediation agreement goes to arbitration, within the one-year limit (27);
    only an agreement on pay alone may be sued on directly (劳动争议解释（一）51, said in words). The worker read
    that he could sue on it within three years (民法典 188), with a computed three-year deadline."""
    answers = {"dispute": "labor", "stage": "agreed", "agreement_date": date(2026, 10, 1), "confirmed": "no",
               "performed": "refused"}
    broken = consult(pack, "mediation", answers, today=TODAY)
    assert broken.outcome.id == "enforce_agreement"
    assert {15, 27} <= articles(broken, "中华人民共和国劳动争议调解仲裁法")
    assert 188 not in articles(broken, "中华人民共和国民法典") and due(broken) == {}
    assert says(broken, "要先申请劳动仲裁（请仲裁委评理），不能直接起诉") and not says(broken, "三年的时效")
    civil = consult(pack, "mediation", {**answers, "dispute": "civil"}, today=TODAY)
    assert 188 in articles(civil, "中华人民共和国民法典") and says(civil, "三年的时效")


def test_a_worker_underpaid_in_probation_reads_the_shortfall_is_owed_pay_and_its_limit(pack):
    """劳动合同法 20: probation pay has a floor; what falls short is pay, so 劳动争议调解仲裁法 27(4) counts the year
    from leaving and sets none while employed. The opinion stated the floor without saying the shortfall can be
    claimed, and counted the year as for a dismissal."""
    low = {**RIGHTS, "rights_issue": "probation", "probation_issue": "low_pay"}
    working = consult(pack, "labor", low, today=TODAY)
    assert says(working, "少给的部分可以要求单位补上") and due(working) == {}
    assert working.legal_aid.reason.startswith("要回干过活的工钱")
    gone = consult(pack, "labor", {**low, "rights_working": "no", "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert due(gone) == {ARBITRATION_DAY: date(2027, 11, 30)}
    assert all("终止之日起一年内" in d.basis for d in gone.deadlines)
