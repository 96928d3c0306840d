"""The identity service: consent before reading, derived facts, wipe, telemetry-safe events, IDR catalogue."""

from __future__ import annotations

import queue
from dataclasses import replace
from datetime import date

import pytest

from firmware_bridge.idcard import status
from firmware_bridge.idcard.card import CardKind
from firmware_bridge.idcard.frame import decode_frame
from firmware_bridge.sim import idcard_cards
from firmware_bridge.sim.idcard_sim import IdCardSimulator
from firmware_bridge.transport.fake import FakeTransport
from kiosk.config.schema import IdCardConfig
from kiosk.core.clock import FakeClock
from kiosk.core.events import Event, EventBus, SubsystemFailed
from kiosk.fleet import catalogue
from kiosk.services.identity import (IDR_CODES, IdCardPresented, IdCardReaderOffline, IdCardReaderOnline,
                                     IdCardReadFailed, IdCardReadSucceeded, IdCardTestRead, IdentityService, age_on,
                                     derive)

WAIT_S = 10.0
CONFIG = IdCardConfig(poll_interval_s=0.01, status_interval_s=0.01, reconnect_interval_s=0.01)


@pytest.mark.parametrize(("birth", "today", "age"), [
    (date(2008, 11, 22), date(2026, 11, 22), 18), (date(2008, 11, 23), date(2026, 11, 22), 17),
    (date(2008, 2, 29), date(2026, 2, 28), 17), (date(2008, 2, 29), date(2026, 3, 1), 18),
])
def test_age_in_completed_years(birth, today, age):
    assert age_on(birth, today) == age


def test_derived_facts():
    today = date(2026, 11, 22)
    minor = derive(idcard_cards.TEST_CARDS["minor"], today, elderly_age_years=60)
    assert (minor.age_years, minor.minor, minor.elderly, minor.region_code) == (14, True, False, "440305")
    assert minor.masked_number == "440305********0021"
    elder = derive(idcard_cards.TEST_CARDS["rare_long_term"], today, elderly_age_years=60)
    assert (elder.age_years, elder.elderly, elder.expired) == (76, True, False)
    assert derive(idcard_cards.TEST_CARDS["resident"], today, elderly_age_years=41).elderly
    assert not derive(idcard_cards.TEST_CARDS["resident"], today, elderly_age_years=60).elderly
    assert derive(idcard_cards.TEST_CARDS["expired"], today, elderly_age_years=60).expired
    assert derive(idcard_cards.TEST_CARDS["foreign_2017"], today, elderly_age_years=60).region_code == ""
    assert "王小明" not in repr(derive(idcard_cards.TEST_CARDS["resident"], today, elderly_age_years=60))


def test_every_sw3_failure_has_a_catalogue_entry():
    for sw3 in status.Sw3:
        if sw3 not in status.SUCCESS_CODES:
            assert status.result_code(sw3) in IDR_CODES
    assert all(code.startswith("IDR-0") for code in IDR_CODES)


@pytest.mark.parametrize("event", [
    IdCardReadSucceeded(kind) for kind in CardKind] + [
    IdCardReadFailed(code) for code in ("IDR-041", "IDR-080", "IDR-081", "IDR-002", "IDR-050")] + [
    IdCardReaderOffline("IDR-060"), IdCardReaderOnline("IDR-060")])
def test_telemetry_forms_pass_the_catalogue(event):
    catalogue.check(*event.telemetry())


def test_first_contact_has_no_telemetry():
    assert IdCardReaderOnline().telemetry() is None


class Harness:
    """A service over the in-memory transport answered by the simulator's protocol logic."""

    def __init__(self) -> None:
        self.sim = IdCardSimulator()
        self.bus = EventBus()
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.bus.subscribe(Event, self.events.put)
        transport = FakeTransport(responder=lambda data: self.sim.respond(decode_frame(data)) or b"")
        self.service = IdentityService(self.bus, FakeClock(), CONFIG, transport)

    def next(self, kind: type) -> Event:
        while True:
            event = self.events.get(timeout=WAIT_S)
            if isinstance(event, kind):
                return event


@pytest.fixture
def harness():
    h = Harness()
    yield h
    h.service.stop()


def test_no_reading_before_consent(harness):
    harness.sim.present("resident")
    harness.service.start()
    harness.next(IdCardReaderOnline)
    assert harness.sim.wait_for_command("sam_status", 4, WAIT_S)
    assert harness.sim.count("find_card") == 0
    assert harness.service.identity is None


def test_read_after_consent_then_wipe(harness):
    harness.sim.present("rare_long_term")
    harness.service.start()
    harness.service.consent_given()
    harness.next(IdCardPresented)
    assert harness.next(IdCardReadSucceeded).kind is CardKind.RESIDENT
    identity = harness.service.identity
    assert identity is not None and identity.elderly and identity.record.valid_to is None
    assert identity.record.new_address.startswith("贵州省")
    harness.service.wipe()
    assert harness.service.identity is None and not harness.service.consent
    finds = harness.sim.count("find_card")
    assert harness.sim.wait_for_command("sam_status", harness.sim.count("sam_status") + 3, WAIT_S)
    assert harness.sim.count("find_card") == finds


def test_invalid_card_data_is_refused(harness, monkeypatch):
    forged = replace(idcard_cards.TEST_CARDS["resident"], id_number="110105198506150015")
    monkeypatch.setitem(idcard_cards.TEST_CARDS, "forged", forged)
    harness.sim.present("forged")
    harness.service.start()
    harness.service.consent_given()
    assert harness.next(IdCardReadFailed).code == "IDR-050"
    assert harness.service.identity is None


def test_expired_card_is_read_and_flagged(harness):
    harness.sim.present("expired")
    harness.service.start()
    harness.service.consent_given()
    harness.next(IdCardReadSucceeded)
    assert harness.service.identity.expired


def test_reader_fault_reaches_health_board_events(harness):
    harness.sim.faults.sam_self_test_failed = True
    harness.service.start()
    assert harness.next(IdCardReaderOffline).code == "IDR-060"
    assert harness.next(SubsystemFailed).code == "IDR-060"
    harness.sim.faults.sam_self_test_failed = False
    assert harness.next(IdCardReaderOnline).cleared_code == "IDR-060"


def test_without_reader_the_service_is_unavailable():
    service = IdentityService(EventBus(), FakeClock(), CONFIG, None)
    service.start()
    service.consent_given()
    assert not service.available and service.identity is None
    service.stop()


def test_a_technician_s_test_read_reports_the_kind_only_keeps_nothing_and_stops(harness):
    harness.sim.present("rare_long_term")
    harness.service.start()
    harness.next(IdCardReaderOnline)
    assert harness.service.test_read()
    result = harness.next(IdCardTestRead)
    assert (result.kind_id, result.code) == ("resident", "")
    assert harness.service.identity is None and not harness.service.consent
    seen = []
    while not harness.events.empty():
        seen.append(harness.events.get_nowait())
    assert not any(isinstance(e, (IdCardPresented, IdCardReadSucceeded, IdCardReadFailed)) for e in seen)
    finds = harness.sim.count("find_card")
    assert harness.sim.wait_for_command("sam_status", harness.sim.count("sam_status") + 3, WAIT_S)
    assert harness.sim.count("find_card") == finds  # reading stopped after the test


def test_a_test_read_of_an_unreadable_card_gives_its_code(harness):
    harness.sim.faults.unreadable_chip = True
    harness.sim.present("resident")
    harness.service.start()
    assert harness.service.test_read()
    assert harness.next(IdCardTestRead).code == "IDR-041"


def test_a_test_read_is_never_reported_as_a_card_read():
    assert not hasattr(IdCardTestRead("resident"), "telemetry")
    assert not IdentityService(EventBus(), FakeClock(), CONFIG, None).test_read()
