"""A real consultation reaching a legal-aid opinion, a database file on disk and the applications service."""

import pytest

from kiosk.config.loader import parse_config
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, ConsultationService
from kiosk.core.clock import FakeClock
from kiosk.core.events import EventBus
from kiosk.services.citizen_consultation import CitizenConsultation
from kiosk.services.legal_aid_application import LegalAidApplications, assemble
from kiosk.storage.db import Database

NAME = "张秀兰"
ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
ADDRESS = "北京市朝阳区幸福村三组12号"


@pytest.fixture
def kit(tmp_path):
    """(config, clock, citizen holder, database, applications service)."""
    clock = FakeClock()
    config = parse_config({"legal_aid": {
        "verification_key_file": str(tmp_path / "opinion.key"),
        "application_key_file": str(tmp_path / "keys" / "application.key"),
        "application_retention_days": 30}})
    consultations = ConsultationService(DEFAULT_CONTENT_ROOT, clock, config)
    consultations.start()
    db = Database(tmp_path / "kiosk.db", clock)
    db.start()
    db.wait_open()
    bus = EventBus()
    citizen = CitizenConsultation(consultations, db, clock, bus)
    service = LegalAidApplications(config.legal_aid, config.kiosk.id, db, clock, bus)
    yield config, clock, citizen, db, service
    db.stop()


def legal_aid_opinion(citizen, example_index: int = 2):
    """Run the legal_aid flow's stored example (default: the elderly household with a means test)."""
    interview = citizen.begin("legal_aid")
    example = interview.flow.examples[example_index]
    while interview.state.value == "asking":
        interview.answer(example.answers[interview.page.id])
    answers = {item.page_id: item.answer for item in interview.review()}
    return citizen.issue_opinion(), answers


def application(clock, citizen, **overrides):
    opinion, answers = legal_aid_opinion(citizen)
    fields = {"name": NAME, "id_number": ID_NUMBER, "phone": PHONE, "address": ADDRESS, "from_id_card": True,
              "created_at": clock.now()} | overrides
    return assemble(opinion, answers, **fields)
