"""The labour flow's rights branch (session 27): a worker asking about overtime pay, annual leave, the probation
period, a contract never signed or an open-ended contract refused had no path; the wage questions assumed money
owed. The branch asks which matter, who the employer is and whether the worker still works there (and since when
not), and answers with the rule, what the unit owes when it breaks it, and the arbitration limit where the law fixes
its start.

Each test drives the real engine over the shipped pack and pins the outcome, what it says and the articles it cites.
"""

from __future__ import annotations

from datetime import date

from tests.unit.legal.conftest import consult, due
from tests.unit.legal.test_review_protection import articles, says

LABOUR_LAW = "中华人民共和国劳动法"
LABOUR_CONTRACT_LAW = "中华人民共和国劳动合同法"
CIVIL_CODE = "中华人民共和国民法典"
LEAVE_REGULATION = "职工带薪年休假条例"
TODAY = date(2026, 12, 7)
WORKING = {"situation": "rights", "rights_employer": "unit", "rights_working": "yes"}
ARBITRATION_DAY = "申请劳动仲裁（请仲裁委评理）的最后一天"


def test_a_worker_still_at_the_factory_without_overtime_pay_reads_the_rates_and_no_limit_while_employed(pack):
    """劳动法 44: 150 %, 200 % (rest day without time off), 300 % (public holiday); overtime pay is pay, so
    劳动争议调解仲裁法 27(4) sets no limit while the employment lasts."""
    overtime = consult(pack, "labor", {**WORKING, "rights_issue": "overtime"}, today=TODAY)
    assert overtime.outcome.id == "labor_rights"
    assert {36, 38, 41, 44} <= articles(overtime, LABOUR_LAW)
    assert {31, 85} <= articles(overtime, LABOUR_CONTRACT_LAW) and 82 not in articles(overtime, LABOUR_CONTRACT_LAW)
    assert says(overtime, "至少给工资的一倍半") and says(overtime, "至少给两倍") and says(overtime, "至少给三倍")
    assert says(overtime, "不受一年期限的限制") and says(overtime, "可以要求单位拿出来")
    assert due(overtime) == {}
    assert overtime.legal_aid.reason.startswith("加班费算劳动报酬")


def test_a_worker_who_left_asks_overtime_pay_within_a_year_of_leaving(pack):
    left = consult(pack, "labor", {**WORKING, "rights_issue": "overtime", "rights_working": "no",
                                   "rights_left_date": date(2026, 9, 30)}, today=TODAY)
    assert due(left) == {ARBITRATION_DAY: date(2027, 9, 30)}
    assert says(left, "从不干那天起一年内") and not says(left, "不受一年期限的限制")
    late = consult(pack, "labor", {**WORKING, "rights_issue": "overtime", "rights_working": "no",
                                   "rights_left_date": date(2025, 6, 30)}, today=TODAY)
    assert set(due(late)) == {"原来申请劳动仲裁、请仲裁委评理的最后一天（已过）"}
    assert says(late, "一年的仲裁期限已经过了") and says(late, "期限从那时重新算")


def test_annual_leave_reads_the_days_by_years_worked_and_the_extra_two_days_pay(pack):
    """条例 3: 5, 10 or 15 days by total years worked; 5: 300 % of the daily wage for each day not taken, the
    normal wage included (实施办法 10, said in words), so two days' pay more; 7: as much again when the unit ignores
    an order."""
    leave = consult(pack, "labor", {**WORKING, "rights_issue": "leave"}, today=TODAY)
    assert {2, 3, 4, 5, 7} <= articles(leave, LEAVE_REGULATION) and 45 in articles(leave, LABOUR_LAW)
    assert says(leave, "每年五天") and says(leave, "每年十天") and says(leave, "每年十五天")
    assert says(leave, "实际是再补两倍") and says(leave, "再加付同样多的赔偿金")
    assert says(leave, "各地不一样") and due(leave) == {}


def test_probation_reads_the_longest_lawful_terms_and_pay_and_what_an_overlong_one_costs_the_unit(pack):
    too_long = consult(pack, "labor", {**WORKING, "rights_issue": "probation", "probation_issue": "too_long"},
                       today=TODAY)
    assert {19, 20, 83} <= articles(too_long, LABOUR_CONTRACT_LAW) and 21 not in articles(too_long, LABOUR_CONTRACT_LAW)
    assert 15 in articles(too_long, "中华人民共和国劳动合同法实施条例")
    assert says(too_long, "最多一个月") and says(too_long, "最多六个月") and says(too_long, "只能定一次试用期")
    assert says(too_long, "不能低于合同说好工资的八成") and says(too_long, "单位要另外给您赔偿金")


def test_a_worker_dismissed_in_probation_reads_the_unit_needs_a_lawful_reason_and_counts_a_year_from_it(pack):
    """劳动合同法 21: only on 39 or 40(1)(2), with reasons given; 87 with 47: under half a year, one month's pay."""
    fired = consult(pack, "labor", {"situation": "rights", "rights_issue": "probation", "probation_issue": "dismissed",
                                    "rights_employer": "unit", "rights_left_date": date(2026, 11, 20)}, today=TODAY)
    assert fired.outcome.id == "labor_rights"
    assert {21, 39, 40, 47, 48, 87} <= articles(fired, LABOUR_CONTRACT_LAW)
    assert says(fired, "不能想辞就辞") and says(fired, "要求回单位接着干") and says(fired, "也就是一个月的工资")
    assert due(fired) == {ARBITRATION_DAY: date(2027, 11, 22)}
    assert any("先别签" in risk for risk in fired.risks)


def test_no_written_contract_reads_double_pay_the_open_ended_contract_after_a_year_and_the_uncertain_limit(pack):
    unsigned = consult(pack, "labor", {**WORKING, "rights_issue": "contract", "contract_issue": "no_contract"}, today=TODAY)
    assert {10, 14, 82} <= articles(unsigned, LABOUR_CONTRACT_LAW)
    assert {6, 7} <= articles(unsigned, "中华人民共和国劳动合同法实施条例")
    assert says(unsigned, "按月多付一倍工资，最多算十一个月") and says(unsigned, "就当作已经签了不定期限的长期合同")
    assert says(unsigned, "从开始干活那天往后数一年零一个月") and due(unsigned) == {}


def test_an_open_ended_contract_refused_reads_when_it_is_owed_and_that_courts_differ_on_the_second_renewal(pack):
    refused = consult(pack, "labor", {**WORKING, "rights_issue": "contract", "contract_issue": "open_ended"}, today=TODAY)
    assert {14, 82} <= articles(refused, LABOUR_CONTRACT_LAW) and 10 not in articles(refused, LABOUR_CONTRACT_LAW)
    assert says(refused, "在同一个单位连续干满十年") and says(refused, "各地法院看法不一样")
    assert says(refused, "每月要多付一倍工资") and says(refused, "不是“铁饭碗”")


def test_a_nanny_or_a_site_worker_asking_about_overtime_reads_that_these_rules_are_for_units(pack):
    nanny = consult(pack, "labor", {"situation": "rights", "rights_issue": "overtime", "rights_employer": "person"},
                    today=TODAY)
    assert nanny.outcome.id == "rights_not_unit" and 577 in articles(nanny, CIVIL_CODE)
    assert says(nanny, "是劳务关系，不是劳动关系") and says(nanny, "说好加班另外给钱的")
    site = consult(pack, "labor", {"situation": "rights", "rights_issue": "leave", "rights_employer": "contractor"},
                   today=TODAY)
    assert site.outcome.id == "rights_not_unit" and 94 in articles(site, LABOUR_CONTRACT_LAW)
    assert says(site, "各地认定不一样") and says(site, "把工程包给他的单位也要负责")
