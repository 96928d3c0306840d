from datetime import datetime

import pytest

from kiosk.config.loader import parse_config
from kiosk.legal.engine import InterviewState
from kiosk.legal.service import ConsultationService, age_group_prefill, example_document
from kiosk.legal.verification import verify
from kiosk.core.clock import CHINA_TZ, FakeClock
from kiosk.core.errors import KioskError
from tests.unit.legal.conftest import CONTENT_ROOT


@pytest.fixture
def service(tmp_path):
    config = parse_config({"legal_aid": {"verification_key_file": str(tmp_path / "keys" / "opinion.key"),
                                          "verify_url": "https://v.example/o"}})
    service = ConsultationService(CONTENT_ROOT, FakeClock(), config)
    service.start()
    return service


def test_key_is_created_once_private_and_reused(service, tmp_path):
    key_file = tmp_path / "keys" / "opinion.key"
    assert key_file.stat().st_mode & 0o777 == 0o600 and len(key_file.read_bytes()) == 32
    again = ConsultationService(CONTENT_ROOT, FakeClock(), service._config)
    again.start()
    assert again.issuer().key == service.issuer().key


def test_legal_aid_from_a_topic_outcome_is_prefilled(service):
    interview = service.interview("labor")
    for value in ("working", "2026-08-01", 5000, "company", "yes", "records", "disputes", "yes"):
        interview.answer(value)
    consultation = interview.finish()
    document = service.opinion(consultation, sequence=3)
    assert document.number == "dev-0001-20261122-0003" and document.verify_url.startswith("https://v.example/o?n=")
    assert verify(document, document.verification_code, service.issuer().key)
    aid = service.interview("legal_aid", prefill=service.legal_aid_prefill(
        consultation, age_group_prefill(minor=False, elderly=True)))
    assert aid.value == "wages" and aid.state is InterviewState.ASKING


def test_unknown_flow(service):
    with pytest.raises(KioskError) as info:
        service.interview("nope")
    assert info.value.code == "CNT-002"


@pytest.mark.parametrize("flow_id", ["labor", "legal_aid", "traffic_accident", "marriage_family"])
def test_example_documents(flow_id):
    document = example_document(flow_id, kiosk_id="dev-0001", issued_at=datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ))
    assert document.topic_id == flow_id and document.provisions and document.verification_code


def test_an_example_opinion_is_issued_on_its_examples_day_whenever_it_is_rendered(pack):
    """Its warnings count from the example's day; a slip issued on another day would also print 已经过了 for them."""
    for flow_id, flow in pack.flows.items():
        document = example_document(flow_id, kiosk_id="dev-0001", issued_at=datetime(2031, 5, 6, 9, 30, tzinfo=CHINA_TZ))
        assert document.issued_at.date() == flow.examples[0].today and document.issued_at.hour == 9, flow_id
