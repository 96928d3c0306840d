from dataclasses import replace
from datetime import date

import pytest

from kiosk.legal.answers import AnswerError
from kiosk.legal.engine import Interview, InterviewError, InterviewState
from kiosk.ui.i18n import Translator
from tests.unit.legal.conftest import PARAMS

TODAY = date(2026, 11, 22)


def labor(pack) -> Interview:
    return Interview(pack, "labor", today=TODAY, params=PARAMS)


def test_back_keeps_answers(pack):
    interview = labor(pack)
    interview.answer("left")
    interview.answer(date(2026, 6, 30))
    assert interview.page.id == "owed_since"
    assert interview.back() and interview.page.id == "left_date"
    assert interview.value == date(2026, 6, 30)
    assert interview.back() and interview.page.id == "situation"
    assert interview.value == "left"
    assert not interview.back()


def test_answer_on_an_abandoned_branch_does_not_leak(pack):
    interview = labor(pack)
    interview.answer("left")
    interview.answer(date(2025, 1, 1))
    interview.back()
    interview.back()
    interview.answer("working")
    assert interview.path == ("situation", "owed_since")
    for value in (date(2026, 8, 1), 5000, "company", "yes", "records", "disputes", "yes"):
        interview.answer(value)
    assert interview.outcome.id == "arbitration"          # not time_limit_passed from the stale left_date
    assert interview.finish().deadlines == ()


def test_review_change_reevaluates_later_pages(pack):
    interview = labor(pack)
    for value in ("working", date(2026, 8, 1), 5000, "company", "yes", "records", "disputes", "yes"):
        interview.answer(value)
    assert interview.state is InterviewState.REVIEW
    assert [item.page_id for item in interview.review()][:2] == ["situation", "owed_since"]
    interview.change("employer_type")
    assert interview.page.id == "employer_type" and interview.value == "company"
    interview.answer("contractor")
    # site_company is new on the path: asked; then every page answered before is kept and skipped.
    assert interview.page.id == "site_company"
    interview.answer("yes")
    assert interview.state is InterviewState.REVIEW
    assert interview.outcome.id == "construction_chain"
    assert dict((i.page_id, i.answer) for i in interview.review())["amount"] == "5000元"


def test_review_change_to_a_new_branch_asks_only_new_pages(pack):
    interview = labor(pack)
    for value in ("working", date(2026, 8, 1), 5000, "company", "yes", "records", "disputes", "yes"):
        interview.answer(value)
    interview.change("situation")
    interview.answer("left")
    assert interview.page.id == "left_date"
    interview.answer(date(2026, 10, 1))
    assert interview.state is InterviewState.REVIEW
    consultation = interview.finish()
    assert [(d.label, d.due) for d in consultation.deadlines] == [("申请劳动仲裁（请仲裁委评理）的最后一天", date(2027, 10, 4))]


def test_bad_answers_get_chinese_messages(pack):
    interview = labor(pack)
    translate = Translator()

    def refused(value) -> str:
        with pytest.raises(AnswerError) as info:
            interview.answer(value)
        return translate(info.value.key, **info.value.params)

    assert "点选" in refused("maybe")
    interview.answer("left")
    assert "还没到" in refused(date(2027, 1, 1))
    interview.answer("2026-06-30")
    interview.answer(date(2026, 1, 10))
    assert "数字" in refused("很多")
    assert "不能小于" in refused(0)
    interview.answer("8,000")
    assert dict((i.page_id, i.answer) for i in interview.review())["amount"] == "8000元"


def test_state_errors(pack):
    interview = labor(pack)
    with pytest.raises(InterviewError):
        interview.finish()
    with pytest.raises(InterviewError):
        interview.change("situation")


def test_session_is_pinned_to_its_pack(pack):
    interview = labor(pack)
    newer = replace(pack, version="2099.1.1", flows={})
    assert newer.version != interview.pack_version
    interview.answer("working")
    assert interview.pack_version == pack.version


def test_prefill_is_offered_not_accepted(pack):
    interview = Interview(pack, "legal_aid", today=TODAY, params=PARAMS,
                          prefill={"matter": "wages", "age_group": "elderly"})
    assert interview.page.id == "matter" and interview.value == "wages"
    interview.answer(interview.value)
    interview.answer("no")
    interview.answer("none")
    assert interview.page.id == "age_group" and interview.value == "elderly"


def test_hardship_threshold_comes_from_the_kiosk(pack):
    answers = ["support", "no", "none", "adult", "no", "none", "no", 3, 4500, "not_urgent"]

    def outcome(threshold: float) -> str:
        interview = Interview(pack, "legal_aid", today=TODAY, params={"hardship_income": threshold})
        for value in answers:
            interview.answer(value)
        return interview.outcome.id

    assert outcome(1500) == "means_likely"
    assert outcome(1499.99) == "means_unlikely"


def test_urgent_deadline_warns(pack):
    interview = labor(pack)
    for value in ("left", date(2025, 11, 25), date(2025, 10, 10), 3000, "company", "yes", "records",
                  "disputes", "no"):
        interview.answer(value)
    consultation = interview.finish()
    assert any("只剩3天" in risk for risk in consultation.risks)
