"""The citizen's consultation holder: pinned interviews, numbered opinions, and the wipe at session end."""

import pytest

from kiosk.config.loader import parse_config
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, ConsultationService
from kiosk.core.clock import FakeClock
from kiosk.core.events import EventBus
from kiosk.services.citizen_consultation import CitizenConsultation
from kiosk.services.session import EndReason, SessionService
from kiosk.storage.db import Database


@pytest.fixture
def citizen(tmp_path):
    clock = FakeClock()
    config = parse_config({"legal_aid": {"verification_key_file": str(tmp_path / "key")}})
    consultations = ConsultationService(DEFAULT_CONTENT_ROOT, clock, config)
    consultations.start()
    db = Database(tmp_path / "k.db", clock)
    db.start()
    yield CitizenConsultation(consultations, db, clock, EventBus()), clock
    db.stop()


def answer_example(interview, example):
    while interview.state.value == "asking":
        interview.answer(example.answers[interview.page.id])


def test_opinions_are_numbered_per_day(citizen):
    holder, clock = citizen
    numbers = []
    for _ in range(2):
        interview = holder.begin("labor")
        answer_example(interview, interview.flow.examples[0])
        numbers.append(holder.issue_opinion().number)
    clock.advance(24 * 3600)
    interview = holder.begin("labor")
    answer_example(interview, interview.flow.examples[0])
    numbers.append(holder.issue_opinion().number)
    assert numbers == ["dev-0001-20261122-0001", "dev-0001-20261122-0002", "dev-0001-20261123-0001"]


def test_legal_aid_follows_a_topic_with_prefill_and_the_session_wipes_everything(citizen):
    holder, clock = citizen
    holder.set_identity(minor=False, elderly=True, masked_id_number="110101********1234")
    interview = holder.begin("labor")
    answer_example(interview, interview.flow.examples[0])
    opinion = holder.issue_opinion()
    assert opinion.masked_id_number == "110101********1234"
    aid = holder.begin_legal_aid()
    assert aid.flow.id == "legal_aid"
    session = SessionService(EventBus(), clock, idle_timeout_s=60, countdown_s=10)
    session.add_wiper(holder.wipe)
    session.touch()
    session.end(EndReason.FINISHED)
    assert holder.interview is None and holder.opinion is None and holder.consultation is None
    assert holder.identity_prefill == {} and holder.masked_id_number == ""


def test_topics_list_only_dispute_topics(citizen):
    holder, _clock = citizen
    ids = [flow_id for flow_id, _title in holder.topics()]
    assert "labor" in ids and "legal_aid" not in ids
    assert holder.has_flow("legal_aid") and not holder.has_flow("no_such_flow")


def test_back_from_the_legal_aid_check_returns_to_the_same_opinion_and_resumes_the_check(citizen):
    holder, _clock = citizen
    interview = holder.begin("labor")
    answer_example(interview, interview.flow.examples[0])
    opinion = holder.issue_opinion()
    aid = holder.begin_legal_aid()
    assert holder.opinion is None
    aid.answer(aid.page.choice_ids[0])
    aid.back()
    assert holder.back_to_opinion() is True
    assert holder.opinion is opinion and holder.interview is None
    assert holder.begin_legal_aid() is aid and aid.value == aid.page.choice_ids[0]  # its answer kept
    assert holder.back_to_opinion() is True and holder.back_to_opinion() is False  # nothing left to return to
    holder.begin("labor")
    assert holder.back_to_opinion() is False  # a new consultation forgets the old opinion


def test_the_smart_consultation_question_is_wiped_with_the_session_and_hidden_from_logs(citizen):
    from kiosk.services.citizen_consultation import AskedQuestion

    holder, clock = citizen
    holder.asked = AskedQuestion("老板拖欠工资", "text", ("labor",), referral=False)
    assert "老板" not in repr(holder.asked)
    session = SessionService(EventBus(), clock, idle_timeout_s=60, countdown_s=10)
    session.add_wiper(holder.wipe)
    session.touch()
    session.end(EndReason.FINISHED)
    assert holder.asked is None
