"""Issue 13 item 4 and the design that keeps it fixed: what a citizen is told about a passed period comes from the
period's own declaration in periods.yaml, only periods the law lets be interrupted say they start again, someone
else's period is never presented as the citizen's, and last days move off rest days (民法典 203)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import date, timedelta

import pytest

from kiosk.legal.engine import Interview, InterviewState
from kiosk.legal.loader import ContentError, load_pack, says_restarts
from kiosk.ui.opinion_text import time_left
from tests.unit.legal.conftest import PARAMS, TEXTS
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack

INTERRUPTIBLE = {
    ("民法典", 188): "第一百九十五条",                       # 诉讼时效: 民法典 195
    ("劳动争议调解仲裁法", 27): "第二十七条",                  # 仲裁时效: 27(2)
    ("民事诉讼法", 250): "第二百五十条",                       # 申请执行: 250 applies 195
    ("农村土地承包经营纠纷调解仲裁法", 18): "第一百九十八条",     # 民法典 198 applies 195 to arbitration
}
"""The only provisions whose periods the law lets be interrupted (中断, 重新计算), with the article their rule must
name."""


def consult(pack, flow_id: str, answers: dict, today: date):
    """Walk `flow_id` with `answers` as of `today` and assemble the consultation."""
    interview = Interview(pack, flow_id, today=today, params=PARAMS, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        interview.answer(answers[interview.page.id])
    return interview.finish()


def example(pack, flow_id: str, name: str):
    return next(e for e in pack.flow(flow_id).examples if e.name == name)


def test_item04_only_limitation_and_arbitration_periods_say_they_restart(pack):
    interruptible = {pid: (p.law, p.article) for pid, p in pack.periods.items() if p.interruptible}
    assert set(interruptible.values()) <= set(INTERRUPTIBLE), interruptible
    assert {"general_limitation", "labor_arbitration"} <= set(interruptible)
    for pid, period in pack.periods.items():
        assert says_restarts(period.passed) is period.interruptible, pid
        if period.interruptible:
            assert INTERRUPTIBLE[(period.law, period.article)] in period.rule, pid
    assert not pack.periods["guarantee_period"].suspendable and not pack.periods["guarantee_period"].extendable
    assert "不发生中止、中断和延长" in pack.provisions[("民法典", 692)].text


def test_item04_seven_day_return_once_passed_does_not_restart(pack):
    """消费者权益保护法 25: the seven days of no-reason return cannot be interrupted; nobody is told they restart."""
    shirt = example(pack, "consumer", "网上买的衣服，收到三天不想要了")
    result = consult(pack, "consumer", shirt.answers, shirt.today + timedelta(days=30))
    passed = [r for r in result.risks if "无理由退货的最后一天" in r]
    assert len(passed) == 1 and "不会重新计算" in passed[0] and not says_restarts(passed[0])
    assert any((p.law, p.article) == ("中华人民共和国消费者权益保护法", 25) for p in result.provisions)


def test_item04_labor_arbitration_once_passed_says_when_it_restarts(pack):
    """劳动争议调解仲裁法 27(2): asking the employer, or the employer agreeing, starts the year again."""
    lapsed = next(e for e in pack.flow("labor").examples if any(d < e.today for d in e.deadlines.values()))
    label = next(label for label, due in lapsed.deadlines.items() if due < lapsed.today)
    result = consult(pack, "labor", lapsed.answers, lapsed.today)
    passed = [r for r in result.risks if label in r]
    assert len(passed) == 1 and says_restarts(passed[0])
    assert pack.periods["labor_arbitration"].article == 27


def test_item04_employer_filing_period_is_never_the_workers_lapse(pack):
    """工伤保险条例 17: the 30 days are the employer's; the worker has a year and is told so, not that they lapsed."""
    walk = next(e for e in pack.flow("work_injury").examples if "单位申请工伤认定的最后一天" in e.deadlines)
    employer_due = walk.deadlines["单位申请工伤认定的最后一天"]
    for today in (employer_due - timedelta(days=3), employer_due + timedelta(days=10)):
        result = consult(pack, "work_injury", walk.answers, today)
        about_employer = [r for r in result.risks if "单位申请工伤认定的最后一天" in r]
        assert all("只剩" not in r for r in about_employer), today
        assert all("这是单位的期限，不是您的" in r for r in about_employer), today
        deadline = next(d for d in result.deadlines if d.label == "单位申请工伤认定的最后一天")
        assert not deadline.own and time_left(deadline, today, TEXTS) == TEXTS("opinion.deadline_others")
    assert len(about_employer) == 1 and "一年" in about_employer[0]
    assert pack.periods["employer_work_injury_application"].article == 17


def test_a_last_day_on_a_holiday_moves_and_the_slip_says_from_which_day(pack):
    """民法典 203: 2026-10-03 is in the National Day holiday, so the seven days end on 2026-10-08 instead."""
    shirt = example(pack, "consumer", "网上买的衣服，收到三天不想要了")
    answers = {**shirt.answers, "received_date": date(2026, 9, 26)}
    result = consult(pack, "consumer", answers, date(2026, 9, 28))
    deadline = next(d for d in result.deadlines if d.label == "无理由退货的最后一天")
    assert deadline.due == date(2026, 10, 8)
    assert deadline.note == TEXTS("consult.deadline.moved", date="2026年10月3日", due="2026年10月8日")


def test_a_last_day_in_a_year_whose_holidays_are_not_published_says_so(pack):
    period = pack.periods["general_limitation"]
    assert period.due(date(2026, 5, 8)) == date(2029, 5, 8) and not period.calendar.covers(2029)
    assert period.due(date(2026, 5, 5)) == date(2029, 5, 7)        # 2029-05-05 is a Saturday: weekends still move
    labor = pack.flow("labor")
    walk = next(e for e in labor.examples if any(d.year > 2026 for d in e.deadlines.values()))
    result = consult(pack, "labor", walk.answers, walk.today)
    assert all(TEXTS("consult.deadline.calendar_unknown", year=d.due.year) in d.note
               for d in result.deadlines if not period.calendar.covers(d.due.year))


def test_a_period_after_another_counts_from_its_moved_last_day(pack):
    """行政诉讼法解释 66-style chaining: six months from the day the two months to act end (moved off rest days)."""
    duty = replace(pack.periods["reconsideration"], name="duty", years=0, months=2, days=0, after=None)
    chained = replace(pack.periods["administrative_litigation"], name="chained", after=duty)
    assert duty.due(date(2026, 8, 3)) == date(2026, 10, 8)           # 10-03 falls in the National Day holiday
    assert chained.due(date(2026, 8, 3)) == date(2027, 4, 8)


PERIODS_HEAD = textwrap.dedent("""\
    online_return:
      law: 消费者权益保护法
      article: 25
      length: {days: 7}
      from: 收到商品之日
""")


def period_issues(tmp_path, declaration: str, flow: str = GOOD_FLOW) -> list[str]:
    root = make_pack(tmp_path, flow)
    (root / "periods.yaml").write_text(PERIODS_HEAD + declaration, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_pack(root)
    return [str(issue) for issue in info.value.issues]


GOOD_REST = """\
  interruptible: false
  suspendable: false
  extendable: false
  whose: citizen
  rule: 第二十五条：不会重新计算。
  passed: “{label}”在{due}已经过了，不会重新计算。
"""


def test_a_period_that_cannot_be_interrupted_may_not_say_it_restarts(tmp_path):
    found = period_issues(tmp_path, GOOD_REST.replace("，不会重新计算。\n", "；催过商家的，重新计算。\n"))
    assert any("periods.yaml:11" in issue and "cannot be interrupted" in issue for issue in found)


def test_a_period_that_can_be_interrupted_must_say_when(tmp_path):
    found = period_issues(tmp_path, GOOD_REST.replace("interruptible: false", "interruptible: true"))
    assert any("can be interrupted" in issue for issue in found)


def test_every_flag_whose_and_both_placeholders_are_required(tmp_path):
    found = period_issues(tmp_path, GOOD_REST.replace("  suspendable: false\n", "").replace("whose: citizen",
                          "whose: someone").replace("在{due}", ""))
    assert any("`suspendable` must be true or false" in issue for issue in found)
    assert any("`whose` is citizen or other" in issue for issue in found)
    assert any("must name ['{due}']" in issue for issue in found)


def test_after_must_name_another_declared_period(tmp_path):
    found = period_issues(tmp_path, GOOD_REST + "  after: online_return\n")
    assert any("is not another declared period (or loops)" in issue for issue in found)


def test_a_flow_basis_may_not_say_a_period_restarts_when_it_cannot(tmp_path):
    flow = GOOD_FLOW.replace("    ways:\n", "    deadlines:\n      - {label: 退货, period: online_return, from: d1, "
                             "basis: 催过就重新计算。}\n    ways:\n", 1)
    root = make_pack(tmp_path, flow)
    (root / "periods.yaml").write_text(PERIODS_HEAD + GOOD_REST, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_pack(root)
    assert any("online_return cannot be interrupted" in str(issue) for issue in info.value.issues)


def test_item18_minimum_living_allowance_never_answered_goes_to_reconsideration_first(pack):
    """行政复议法 23(1)(三): an application never answered is 不履行法定职责 — reconsideration first, with the
    agency's sixty days (实施条例 24) counted before the citizen's sixty (20); a written refusal may go either way."""
    result = consult(pack, "social_security", {"issue": "refused", "refusal_kind": "no_reply",
                                               "applied_date": date(2026, 9, 1)}, date(2026, 11, 22))
    assert result.outcome.id == "assistance_no_reply"
    assert ("中华人民共和国行政复议法", 23) in {(p.law, p.article) for p in result.provisions}
    agency, citizen = result.deadlines
    assert not agency.own and citizen.own and citizen.due == date(2027, 1, 4)          # 元旦 is fixed by law
    assert any("不能直接去法院起诉" in text for text in result.analysis)
    refused = consult(pack, "social_security", {"issue": "refused", "refusal_kind": "refused",
                                                "refusal_date": date(2026, 11, 5)}, date(2026, 11, 22))
    assert refused.outcome.id == "assistance_refused" and any(w.kind.value == "litigation" for w in refused.ways)
