"""Issue 13, third review (session 24): what the check of the second review's changes found still wrong on the
paths a citizen walks — a court route closed for a citizen the agency never told of the time to sue, a worker not sure
who hired them sent to labour arbitration only, and the legal-aid office's help-first offered to anyone whatever
their matter.

Each test drives the real engine over the shipped pack and pins the corrected outcome, the deadline where there is
one, and the article it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

ADMIN_INTERPRETATION = "最高人民法院关于适用〈中华人民共和国行政诉讼法〉的解释"
LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
LIMIT_UNINFORMED = "没告知起诉期限时，起诉不能晚于这一天"
LIMIT_SIX_MONTHS = "直接到法院起诉的最后一天"



def test_a_decision_that_did_not_state_the_time_to_sue_keeps_the_court_open_up_to_a_year(pack):
    """行政诉讼法解释 64 (kept by 法释〔2026〕3号 Arts. 2 and 6): no notice of the time to sue: it runs from learning of
    it, at most one year from learning of the decision. The slip sent such a citizen to 复议 with a year but told them
    the six months to sue had passed and would not start again."""
    answers = {"action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": "no", "already": "none", "has_paper": "yes",
               "known_date": date(2026, 3, 1), "loss": "no"}
    uninformed = consult(pack, "administrative", {**answers, "told_rights": "no"}, today=date(2026, 12, 7))
    assert uninformed.outcome.id == "choose_route" and 64 in articles(uninformed, ADMIN_INTERPRETATION)
    assert due(uninformed)[LIMIT_UNINFORMED] == date(2027, 3, 1) and LIMIT_SIX_MONTHS not in due(uninformed)
    assert says(uninformed, "机关也没告诉您起诉期限")
    assert not any(f"“{LIMIT_SIX_MONTHS}”在" in text for text in uninformed.risks)
    oral = consult(pack, "administrative", {**{k: v for k, v in answers.items() if k != "has_paper"},
                                            "has_paper": "no"}, today=date(2026, 12, 7))
    assert oral.outcome.id == "choose_route" and due(oral)[LIMIT_UNINFORMED] == date(2027, 3, 1)
    still_open = consult(pack, "administrative", {**answers, "told_rights": "no", "known_date": date(2026, 8, 1)},
                         today=date(2026, 12, 7))
    assert due(still_open)[LIMIT_SIX_MONTHS] == date(2027, 2, 1) and LIMIT_UNINFORMED not in due(still_open)
    assert 64 not in articles(still_open, ADMIN_INTERPRETATION)
    informed = consult(pack, "administrative", {**answers, "told_rights": "yes"}, today=date(2026, 12, 7))
    assert informed.outcome.id == "time_passed" and LIMIT_UNINFORMED not in due(informed)
    # every passed time to sue says how 64 can keep it open, where the kiosk did not ask (land_demolition, benefits)
    assert any("机关当初没告诉您起诉期限的，期限从您知道之日起算，但从知道决定之日起最长一年" in text
               for text in informed.risks)
    land = {"action": "ownership", "organ": "township", "already": "none", "has_paper": "yes",
            "known_date": date(2026, 10, 20), "title_certificate": "no", "loss": "no"}
    land_uninformed = consult(pack, "administrative", {**land, "told_rights": "no"}, today=date(2026, 12, 7))
    assert land_uninformed.outcome.id == "choose_route" and 64 in articles(land_uninformed, ADMIN_INTERPRETATION)
    assert due(land_uninformed)[LIMIT_UNINFORMED] == date(2027, 10, 20)  # 土地管理法 14's thirty days, not told
    assert LIMIT_SIX_MONTHS not in due(land_uninformed) and not says(land_uninformed, "直接起诉的三十日已经过了，但")
    land_informed = consult(pack, "administrative", {**land, "told_rights": "yes"}, today=date(2026, 12, 7))
    assert due(land_informed)[LIMIT_SIX_MONTHS] == date(2026, 11, 19) and LIMIT_UNINFORMED not in due(land_informed)


def test_a_worker_not_sure_who_hired_them_hears_that_a_private_hire_goes_to_court_in_three_years(pack):
    """劳动合同法 2: only a 用人单位's worker goes to labour arbitration; a nanny or a farm hand claims the wage in court
    (民法典 188). A worker who answered 说不清楚 was told only of the one-year arbitration limit, and after it that
    the claim had probably lapsed."""
    answers = {"situation": "left", "left_date": date(2025, 6, 30), "owed_since": date(2025, 4, 1), "amount": 4500,
               "employer_type": "unsure", "contract": "no", "evidence": "witness", "employer_stance": "disputes",
               "migrant": "yes"}
    lapsed = consult(pack, "labor", answers, today=date(2026, 12, 7))
    assert lapsed.outcome.id == "time_limit_passed" and 2 in articles(lapsed, LABOUR_CONTRACT_LAW)
    assert says(lapsed, "给个人干活（当保姆、帮人干农活、给私人盖房）的，不能申请劳动仲裁")
    assert says(lapsed, "期限是三年")
    open_claim = consult(pack, "labor", {**answers, "left_date": date(2026, 6, 30)}, today=date(2026, 12, 7))
    assert open_claim.outcome.id == "arbitration" and 2 in articles(open_claim, LABOUR_CONTRACT_LAW)
    assert says(open_claim, "说不清是给单位还是给个人干活的")
    company = consult(pack, "labor", {**answers, "employer_type": "company", "left_date": date(2026, 6, 30)},
                      today=date(2026, 12, 7))
    assert not says(company, "说不清是给单位还是给个人干活的") and 2 not in articles(company, LABOUR_CONTRACT_LAW)


def test_help_first_is_offered_on_the_condition_the_citizen_may_get_legal_aid(pack):
    """法律援助法 44: the office may help first an applicant it may aid; a lender's three years (民法典 188) are a time
    to sue, but lending is not a matter 31 lists, so the help is offered only 符合法律援助条件的."""
    answers = {"role": "lender", "proof": "iou", "amount": 5000, "due_agreed": "yes", "due_date": date(2023, 6, 30),
               "demanded": "yes", "last_demand": date(2023, 5, 1), "interest": "none", "stance": "admits"}
    near = consult(pack, "debt", answers, today=date(2026, 6, 25))
    warning = [text for text in near.risks if "只剩5天" in text]
    assert len(warning) == 1 and "符合法律援助条件的，法律援助中心可以先给您提供帮助" in warning[0]
    last_day = consult(pack, "debt", answers, today=date(2026, 6, 30))
    warning = [text for text in last_day.risks if "就是今天" in text]
    assert len(warning) == 1 and "符合法律援助条件的，法律援助中心可以先给您提供帮助" in warning[0]


def test_inaction_past_both_sixty_days_is_not_told_it_can_apply_now(pack):
    """行政复议法 20 and 实施条例 24: sixty days for the agency, then sixty days to apply; once both are over the slip
    said 现在就可以申请复议 beside its own warning that the last day had passed."""
    answers = {"action": "no_reply", "organ": "county_dept", "already": "none", "applied_date": date(2026, 6, 1),
               "loss": "no"}
    late = consult(pack, "administrative", answers, today=date(2026, 12, 7))
    assert late.outcome.id == "inaction" and 20 in articles(late, "中华人民共和国行政复议法")
    assert due(late)["申请行政复议（请上级机关重新审查）的最后一天"] == date(2026, 9, 29)
    assert not says(late, "现在就可以申请复议") and says(late, "申请复议的六十日也已经过了")
    in_time = consult(pack, "administrative", answers, today=date(2026, 9, 1))
    assert says(in_time, "现在就可以申请复议") and not says(in_time, "申请复议的六十日也已经过了")


def test_the_driver_is_not_told_the_victims_three_years_as_his_own_deadline(pack):
    """民法典 188: the three years to claim are the injured person's; a driver who hit someone was shown them as his
    own last day and, near its end, told 只剩4天，请马上去办 (the class of issue 13 item 4: someone else's period)."""
    answers = {"harm": "injured", "side": "driver", "accident_date": date(2026, 9, 3), "report": "issued",
               "report_date": date(2026, 9, 15), "liability": "minor", "other_party": "insured", "talks": "refused"}
    driver = consult(pack, "traffic_accident", answers, today=date(2029, 8, 30))
    assert driver.outcome.id == "claim" and 188 in articles(driver, "中华人民共和国民法典")
    assert not any("诉讼时效" in label for label in due(driver))
    assert not any("只剩" in text or "就是今天" in text for text in driver.risks)
    assert says(driver, "这是对方的期限") and not says(driver, "少赔一笔")
    private = consult(pack, "traffic_accident", {**answers, "report": "not_reported"}, today=date(2026, 12, 7))
    assert private.outcome.id == "driver_unreported" and not due(private) and says(private, "这是对方的期限")
    victim = consult(pack, "traffic_accident", {**answers, "side": "victim"}, today=date(2026, 12, 7))
    assert due(victim)["要求赔偿的诉讼时效（打官司的期限，按事故日期估算）"] == date(2029, 9, 3)


def test_a_joint_guarantor_is_not_told_the_creditors_three_years_as_his_own(pack):
    """民法典 694(2): the creditor who asked a joint guarantor in time has three years from then to sue him. The slip
    told the guarantor 只剩3天，请马上去办 before that day, and after it 过了这个期限，对方可以拒绝给钱…您催要过 — the
    creditor's words. It is now the creditor's period (a warning only once passed, in the guarantor's words)."""
    answers = {"role": "guarantor", "g_type": "joint", "g_period": "no", "amount": 100000, "due_agreed": "yes",
               "due_date": date(2026, 6, 30), "g_asked": date(2026, 8, 30), "debtor_found": "yes"}
    label = "债主找您要钱以后，他告您的最后期限（估算）"
    near = consult(pack, "debt", answers, today=date(2029, 8, 27))
    assert near.outcome.id == "guarantor_liable" and 694 in articles(near, "中华人民共和国民法典")
    assert due(near)[label] == date(2029, 8, 30)
    assert not any(label in text for text in near.risks)
    after = consult(pack, "debt", answers, today=date(2029, 9, 5))
    passed = [text for text in after.risks if label in text]
    assert len(passed) == 1 and "这是债主的期限，不是您的" in passed[0] and "您催要过" not in passed[0]


def test_an_urgent_referral_offers_help_first_only_to_whom_legal_aid_may_go(pack):
    """法律援助法 44: help first is for an applicant the office may aid and a time to sue, apply for arbitration or
    复议; a company or trademark matter a week from its deadline was told 家里经济困难的…可以先提供帮助."""
    urgent = consult(pack, "referral", {"area": "ip", "urgency": "within_week", "afford": "yes"})
    assert urgent.outcome.id == "urgent" and 44 in articles(urgent, "中华人民共和国法律援助法")
    assert says(urgent, "又符合法律援助条件的") and not says(urgent, "家里经济困难的，法律援助机构可以先提供帮助")
    review = consult(pack, "administrative", {"action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": "no",
                                              "already": "reconsideration_done",
                                              "decision_received": date(2026, 11, 16), "loss": "no"})
    assert review.outcome.id == "after_reconsideration" and says(review, "符合法律援助条件的，法律援助中心可以先提供帮助")
