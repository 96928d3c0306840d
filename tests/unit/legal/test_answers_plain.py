"""Plain answers: words fit for the question, 不清楚 on every page that asks for a choice, number or date, and the
progress "第 N 题 / 共 M 题" — on the shipped flows."""

from datetime import date

import pytest

from kiosk.legal.answers import AnswerError
from kiosk.legal.engine import Interview, InterviewState
from kiosk.legal.flow import UNSURE, PageKind
from tests.unit.legal.conftest import PARAMS, TEXTS

TODAY = date(2026, 11, 22)


def interview(pack, flow_id: str) -> Interview:
    return Interview(pack, flow_id, today=TODAY, params=PARAMS, texts=TEXTS)


def walk(pack, flow_id: str, answers: dict) -> Interview:
    """Answer each page from `answers` until the review page."""
    flow = interview(pack, flow_id)
    while flow.state is InterviewState.ASKING:
        flow.answer(answers[flow.page.id])
    return flow


def test_yes_no_buttons_are_worded_for_their_question(pack):
    labor = pack.flow("labor").pages

    def words(page) -> list[str]:
        return [TEXTS(key) for _answer, key in page.answer_keys()]

    assert words(labor["site_company"]) == ["知道", "不知道"]          # 您知道…吗: 不知道 is the unsure answer
    assert words(labor["contract"]) == ["签了", "没签", "不清楚"]
    assert words(labor["migrant"]) == ["是", "不是", "不清楚"]
    assert words(pack.flow("legal_aid").pages["fixed_income"]) == ["有", "没有", "不清楚"]
    assert [answer for answer, _key in labor["contract"].answer_keys()] == ["yes", "no", UNSURE]


def test_every_yes_no_key_and_the_unsure_key_are_in_the_catalogue(pack):
    keys = {key for flow in pack.flows.values() for page in flow.pages.values() for _a, key in page.answer_keys()}
    assert {"consult.yesno.know.yes", "consult.answer.unsure"} <= keys
    assert sorted(key for key in keys if key not in TEXTS.keys()) == []


def test_unsure_is_offered_on_entry_pages_and_choice_pages_unless_opted_out(pack):
    labor = pack.flow("labor").pages
    assert labor["amount"].offers_unsure and labor["amount"].answer_keys() == ((UNSURE, "consult.answer.unsure"),)
    assert labor["left_date"].offers_unsure and labor["evidence"].choice_ids[-1] == UNSURE
    # the content's own 说不清楚 option is the page's unsure answer: no second button
    assert labor["employer_type"].answer_keys() == () and labor["employer_type"].choice_ids.count(UNSURE) == 1
    assert not labor["situation"].offers_unsure and labor["situation"].unsure_reason
    assert not labor["site_company"].offers_unsure
    offered = [page for flow in pack.flows.values() for page in flow.pages.values()
               if page.kind is not PageKind.TEXT]
    # opting out stays rare (each opt-out names its reason, and lint lists them): nine pages in ten offer it
    assert sum(page.offers_unsure for page in offered) >= 0.9 * len(offered)


def test_unsure_reads_bu_qing_chu_in_review_and_facts_and_never_crashes_a_rule(pack):
    labor = walk(pack, "labor", {"situation": "left", "left_date": UNSURE, "owed_since": date(2026, 3, 1),
                                 "amount": UNSURE, "employer_type": "contractor", "site_company": "no",
                                 "contract": UNSURE, "evidence": UNSURE, "employer_stance": "disputes",
                                 "migrant": "yes"})
    # expired(left_date, …) over 不清楚 is none, not an error and not "time limit passed"
    assert labor.outcome.id == "construction_chain"
    review = {item.page_id: item.answer for item in labor.review()}
    assert review["left_date"] == review["amount"] == review["contract"] == "不清楚"
    assert review["site_company"] == "不知道"
    consultation = labor.finish()
    assert ("被欠的钱", "不清楚") in [(fact.question, fact.answer) for fact in consultation.facts]
    assert all("不清楚" not in text for text in consultation.analysis)


def test_a_deadline_from_an_unsure_date_is_a_warning_not_a_date(pack):
    answers = {"situation": "left", "left_date": UNSURE, "owed_since": date(2026, 3, 1), "amount": 5000,
               "employer_type": "company", "contract": "yes", "evidence": "records",
               "employer_stance": "disputes", "migrant": "no"}
    consultation = walk(pack, "labor", answers).finish()
    assert consultation.deadlines == ()
    warning = [risk for risk in consultation.risks if "申请劳动仲裁（请仲裁委评理）的最后一天" in risk]
    assert warning == [TEXTS("consult.deadline.unknown_start", label="申请劳动仲裁（请仲裁委评理）的最后一天", start="不干的日子")]
    answers["left_date"] = date(2026, 6, 30)
    dated = walk(pack, "labor", answers).finish()
    assert [d.due for d in dated.deadlines] == [date(2027, 6, 30)] and warning[0] not in dated.risks


def test_unsure_leads_to_the_cautious_path(pack):
    # an on-the-spot penalty must go to reconsideration first; not knowing, the citizen is told to do that
    administrative = walk(pack, "administrative", {
        "action": "penalty", "organ": "police", "penalized": "me", "on_the_spot": UNSURE, "already": "none", "has_paper": "no",
        "known_date": date(2026, 11, 1), "loss": "no"})
    assert administrative.outcome.id == "reconsideration_first"
    # not knowing whether a detained relative is a minor or faces a life sentence is not an appointed lawyer
    criminal = walk(pack, "criminal", {"role": "family", "stage": "arrested", "notified": "yes",
                                       "special": UNSURE, "afford": "cannot"})
    assert criminal.outcome.id == "legal_aid_defence"
    assert any("国家应当免费指派律师" in text for text in criminal.finish().analysis)
    # an income nobody can say is no verdict on the means test
    legal_aid = walk(pack, "legal_aid", {"matter": "wages", "has_lawyer": "no", "special": "none",
                                         "age_group": "adult", "disabled": "no", "assistance": "none",
                                         "migrant": "no", "exempt_check": "no", "household_size": UNSURE,
                                         "household_income": 3000, "urgent": "not_urgent"})
    assert legal_aid.outcome.id == "ask_centre"


def test_pages_that_opt_out_refuse_unsure(pack):
    labor = interview(pack, "labor")
    with pytest.raises(AnswerError):
        labor.answer(UNSURE)                      # situation: still working or left, no 不清楚
    labor.answer("left")
    labor.answer(UNSURE)                          # left_date accepts it
    assert labor.page.id == "owed_since"


def test_progress_counts_the_longest_way_left_and_never_grows_going_forward(pack):
    labor = interview(pack, "labor")
    assert (labor.step, labor.total) == (1, 10)   # situation … left_date … site_company … migrant
    assert TEXTS("consult.step", step=labor.step, total=labor.total) == "第 1 题 / 共 10 题"
    labor.answer("working")                       # no left_date on this path
    assert (labor.step, labor.total) == (2, 9)
    totals = [labor.total]
    for value in (date(2026, 8, 1), 5000, "company", "yes", "records", "disputes"):
        labor.answer(value)                       # a company: the site_company question is cut
        totals.append(labor.total)
    assert totals == [9, 9, 9, 8, 8, 8, 8] and labor.step == labor.total == 8
    labor.back()
    labor.back()
    assert labor.total == 8
    labor.answer("records")
    labor.answer("disputes")
    labor.answer("yes")
    assert labor.state is InterviewState.REVIEW and labor.total == 8


def test_progress_never_grows_on_any_walk_of_any_flow(pack):
    for flow_id, flow in pack.flows.items():
        for example in flow.examples:
            walked = Interview(pack, flow_id, today=example.today, params=PARAMS, texts=TEXTS)
            totals = []
            while walked.state is InterviewState.ASKING:
                totals.append(walked.total)
                walked.answer(example.answers[walked.page.id])
            # an upper bound: never below the questions actually asked (a first answer may end the interview)
            assert totals == sorted(totals, reverse=True) and totals[-1] >= len(walked.path), example.name
