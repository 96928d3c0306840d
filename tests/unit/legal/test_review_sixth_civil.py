"""Session 27, sixth review (civil, labour and administrative flows): real answered consultations walked through the
kiosk, first over the labour flow's new rights branch. A worker whose unit refused the open-ended contract and let
him go at the term's end read only about double pay, not that the end of a fixed term brings 经济补偿 and refusing a
ten-year worker's request is an unlawful termination (劳动合同法 44, 46, 47, 87); a worker leaving mid-year read
nothing of the year's leave owed pro rata; a worker in probation who wants to quit could not say so, though he may
leave on three days' notice and keep his pay (劳动合同法 30, 37); a monthly-paid worker read "three times" for a
public holiday without learning it comes on top of the month's wage.

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
    let_go = consult(pack, "labor", {**RIGHTS, "rights_issue": "open_ended", "rights_working": "no",
                                     "rights_left_date": date(2026, 11, 30)}, today=TODAY)
    assert let_go.outcome.id == "labor_rights"
    assert {14, 44, 46, 47, 87} <= articles(let_go, LABOUR_CONTRACT_LAW)
    assert says(let_go, "至少要给经济补偿") and says(let_go, "按原来或者更好的条件要续签")
    assert says(let_go, "一般算违法终止合同") and says(let_go, "每满一年给一个月工资")
    assert due(let_go) == {ARBITRATION_DAY: date(2027, 11, 30)}
    still_there = consult(pack, "labor", {**RIGHTS, "rights_issue": "open_ended"}, today=TODAY)
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
