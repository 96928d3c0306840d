"""The law library and 普法 counted for the bureau (issue 18): searches by how many results they showed, articles
by their law's key and number and how they were reached, prints, and cards read, each with the session's id and
nothing a citizen typed; the catalogue refuses anything more."""

import pytest

from kiosk.legal.library_usage import (LibraryArticleOpened, LibraryArticlePrinted, LibrarySearched, PufaCardRead,
                                         law_key)
from kiosk.core.clock import FakeClock
from kiosk.fleet import catalogue
from kiosk.services.session import SessionService
from tests.unit.services.test_telemetry import recorder

LABOUR_CONTRACT_LAW = law_key("中华人民共和国劳动合同法")


def test_library_and_pufa_use_is_recorded_in_the_session_with_ids_only():
    bus, records, telemetry = recorder()
    bus.publish(LibrarySearched(7))   # before a session: nobody is using the kiosk
    session = SessionService(bus, FakeClock(), idle_timeout_s=60, countdown_s=10)
    session.touch()
    bus.publish(LibrarySearched(7))
    bus.publish(LibraryArticleOpened(LABOUR_CONTRACT_LAW, 30, "search", 2))
    bus.publish(LibraryArticleOpened(LABOUR_CONTRACT_LAW, 31, "step"))
    bus.publish(LibraryArticlePrinted(LABOUR_CONTRACT_LAW, 31, True))
    bus.publish(PufaCardRead("labor_wages", "labor"))
    usage = [(t, {k: v for k, v in f.items() if k != "session"}) for s, t, f in records if s == "usage"]
    assert usage == [("session.start", {"trigger": "touch"}),
                     ("library.search", {"found": 7}),
                     ("library.article", {"law": LABOUR_CONTRACT_LAW, "article": 30, "via": "search", "rank": 2}),
                     ("library.article", {"law": LABOUR_CONTRACT_LAW, "article": 31, "via": "step"}),
                     ("library.printed", {"law": LABOUR_CONTRACT_LAW, "article": 31, "ok": True}),
                     ("pufa.read", {"card": "labor_wages", "topic": "labor"})]
    assert len({f["session"] for s, _t, f in records if s == "usage"}) == 1
    assert telemetry.refused == 0


def test_a_law_key_is_stable_and_names_no_one():
    assert LABOUR_CONTRACT_LAW == law_key("中华人民共和国劳动合同法") != law_key("中华人民共和国劳动法")
    assert LABOUR_CONTRACT_LAW.startswith("law-") and len(LABOUR_CONTRACT_LAW) == 14


@pytest.mark.parametrize("event_type, fields", [
    ("library.search", {"found": 3, "query": "拖欠工资"}),              # the words typed are never a field
    ("library.search", {"found": 21}),
    ("library.article", {"law": "劳动合同法", "article": 30, "via": "search"}),   # a law by its key only
    ("library.article", {"law": LABOUR_CONTRACT_LAW, "article": 30, "via": "keyboard"}),
    ("library.article", {"law": LABOUR_CONTRACT_LAW, "article": 30, "via": "search", "rank": 0}),
    ("library.printed", {"law": LABOUR_CONTRACT_LAW, "article": 10000, "ok": True}),
    ("pufa.read", {"card": "Labor Wages", "topic": "labor"}),
])
def test_the_catalogue_refuses_anything_but_ids_and_bounded_numbers(event_type, fields):
    with pytest.raises(catalogue.UnknownEvent):
        catalogue.check("usage", event_type, {"session": "0" * 32, **fields})
