import json
from dataclasses import replace
from datetime import date, datetime

from kiosk.legal.document import Fact
from kiosk.legal.engine import Interview, InterviewState
from kiosk.legal.opinion import build_opinion
from kiosk.legal.verification import compute_code, from_plain, to_plain, verify
from kiosk.core.clock import CHINA_TZ
from tests.unit.legal.conftest import PARAMS
from tests.unit.legal.test_flows import ISSUER

KEY = b"kiosk-test-key-0123456789abcdef"


def labor_document(pack):
    example = pack.flow("labor").examples[0]
    interview = Interview(pack, "labor", today=example.today, params=PARAMS)
    while interview.state is InterviewState.ASKING:
        interview.answer(example.answers[interview.page.id])
    return build_opinion(interview.finish(), replace(ISSUER, key=KEY),
                         issued_at=datetime(2026, 11, 22, 10, 5, tzinfo=CHINA_TZ), sequence=7)


def test_round_trip_through_json(pack):
    document = labor_document(pack)
    assert document.number == "test-01-20261122-0007"
    assert len(document.verification_code) == 11 and document.verification_code[5] == "-"
    assert document.verify_url == (f"https://verify.example/v?n=test-01-20261122-0007&c={document.verification_code}"
                                   "&p=nmggz30-ldht94.30-ldzc27-flyz42")   # the cited provisions (issue 20)
    restored = from_plain(json.loads(json.dumps(to_plain(document), ensure_ascii=False)))
    assert restored == document
    assert verify(restored, document.verification_code, KEY)
    assert verify(restored, document.verification_code.lower().replace("-", " "), KEY)


def test_tampering_and_wrong_key_are_detected(pack):
    document = labor_document(pack)
    code = document.verification_code
    tampered = [
        replace(document, facts=document.facts[:-1] + (Fact(document.facts[-1].question, "否"),)),
        replace(document, issued_at=document.issued_at.replace(minute=6)),
        replace(document, deadlines=tuple(replace(d, due=date(2028, 1, 1)) for d in document.deadlines)),
        replace(document, number=document.number.replace("0007", "0008")),
    ]
    for forged in tampered:
        assert not verify(forged, code, KEY)
    assert not verify(document, code, b"another-kiosk-key-0123456789abcd")
    assert compute_code(document, KEY) == code
