"""Bus events become catalogue records, once each, with session ids and never personal data."""

from firmware_bridge.idcard.card import CardKind
from kiosk.legal.document import LegalAidVerdict
from kiosk.core.clock import FakeClock
from kiosk.core.events import (ConsultationStarted, ControlTapped, EventBus, OpinionIssued, SatisfactionRated,
                               ScreenShown, SubsystemFailed, SubsystemRecovered, TriageChosen)
from kiosk.fleet import catalogue
from kiosk.services.identity import IdCardReadFailed, IdCardReadSucceeded
from kiosk.services.legal_aid_application import LegalAidApplicationStored
from kiosk.services.session import EndReason, SessionService
from kiosk.services.telemetry import TelemetryRecorder


def recorder():
    bus, records = EventBus(), []

    def record(stream, event_type, fields):
        catalogue.check(stream, event_type, fields)  # the outbox's own gate
        records.append((stream, event_type, dict(fields)))

    telemetry = TelemetryRecorder(bus, record)
    telemetry.start()
    return bus, records, telemetry


def test_a_citizen_session_is_counted_end_to_end():
    bus, records, telemetry = recorder()
    clock = FakeClock()
    session = SessionService(bus, clock, idle_timeout_s=60, countdown_s=10)
    bus.publish(ScreenShown("attract"))
    session.touch()
    bus.publish(ControlTapped("home", "tile.smart"))
    bus.publish(TriageChosen("labor", 1, "text"))
    bus.publish(ConsultationStarted("labor"))
    bus.publish(OpinionIssued("labor", "arbitration", LegalAidVerdict.EXEMPT_FROM_MEANS_TEST.value, "migrant_worker"))
    bus.publish(ConsultationStarted("legal_aid"))
    bus.publish(OpinionIssued("legal_aid", "exempt", "exempt", "migrant_worker"))
    bus.publish(LegalAidApplicationStored("LA-dev-0001-20261122-0001", "exempt", "migrant_worker"))
    bus.publish(SatisfactionRated(5, "legal_aid"))
    clock.advance(120)
    session.end(EndReason.FINISHED)
    types = [t for _s, t, _f in records]
    assert types == ["ui.view", "session.start", "ui.tap", "triage.choice", "consult.started", "consult.completed",
                     "opinion.generated", "consult.started", "consult.completed", "opinion.generated",
                     "legal_aid.precheck", "legal_aid.applied", "satisfaction", "session.end"]
    session_ids = {f["session"] for s, _t, f in records if s == "usage"}
    assert len(session_ids) == 1
    precheck = next(f for _s, t, f in records if t == "legal_aid.precheck")
    assert precheck["result"] == "likely" and precheck["group"] == "migrant_worker"
    applied = next(f for _s, t, f in records if t == "legal_aid.applied")
    assert applied == {**precheck}  # the result and group only: the reference never leaves the kiosk
    assert not any("LA-dev" in str(f) for _s, _t, f in records)
    assert records[-1][2]["duration_s"] == 120.0 and records[-1][2]["reason"] == "finish"
    assert telemetry.refused == 0


def test_nothing_usage_is_recorded_outside_a_session_and_shutdown_is_not_an_ending():
    bus, records, _telemetry = recorder()
    bus.publish(ConsultationStarted("labor"))
    assert records == []
    session = SessionService(bus, FakeClock(), idle_timeout_s=60, countdown_s=10)
    session.touch()
    session.end(EndReason.SHUTDOWN)
    assert [t for _s, t, _f in records] == ["session.start"]


def test_device_events_record_themselves_and_faults_pair_with_recoveries():
    bus, records, telemetry = recorder()
    bus.publish(IdCardReadSucceeded(CardKind.RESIDENT))
    bus.publish(IdCardReadFailed("IDR-041"))
    bus.publish(SubsystemFailed("storage", "DB-001", "moved aside"))
    bus.publish(SubsystemRecovered("storage"))
    bus.publish(SubsystemRecovered("storage"))  # a second recovery without a fault records nothing
    assert [(t, f.get("result") or f.get("active")) for _s, t, f in records] == [
        ("card.read", "ok"), ("card.read", "unreadable"), ("device.fault", True), ("device.fault", False)]
    assert records[3][2]["code"] == "DB-001"
    assert telemetry.refused == 0


def test_a_refused_record_is_counted_not_raised(caplog):
    bus, records, telemetry = recorder()
    bus.publish(ControlTapped("home", "Not An Ident!"))
    assert records == [] and telemetry.refused == 1 and "refused" in caplog.text


def test_only_the_opinions_own_slip_counts_as_printed():
    from kiosk.services.printing import PrintJobFailed, PrintJobPrinted

    bus, records, telemetry = recorder()
    telemetry.watch_printing()
    session = SessionService(bus, FakeClock(), idle_timeout_s=60, countdown_s=10)
    session.touch()
    bus.publish(OpinionIssued("labor", "arbitration", "exempt", "migrant_worker", "k-20261122-0001"))
    bus.publish(PrintJobFailed("j1", "k-20261122-0001", "PRN-020", "printing.paper_out", ""))
    bus.publish(PrintJobPrinted("j2", "LA-k-20261122-0001", 900, 1))  # a pre-application slip
    bus.publish(PrintJobPrinted("j1", "k-20261122-0001", 4656, 2))
    printed = [f["ok"] for _s, t, f in records if t == "opinion.printed"]
    assert printed == [False, True]


def test_records_made_before_the_outbox_exists_go_first_and_in_order():
    bus, delivered = EventBus(), []
    telemetry = TelemetryRecorder(bus)
    telemetry.start()
    bus.publish(ScreenShown("attract"))
    bus.publish(SubsystemFailed("printer", "PRN-020", "paper out"))
    assert delivered == []

    def record(stream, event_type, fields):
        catalogue.check(stream, event_type, fields)
        delivered.append((event_type, dict(fields)))

    telemetry.deliver_to(record)
    bus.publish(ControlTapped("attract", "attract.start"))
    assert delivered == [("ui.view", {"screen": "attract"}),
                         ("device.fault", {"device": "printer", "code": "PRN-020", "active": True}),
                         ("ui.tap", {"screen": "attract", "control": "attract.start"})]
    assert telemetry.held_dropped == 0 and telemetry.refused == 0


def test_held_records_are_bounded_and_their_loss_is_counted_and_logged(caplog):
    bus, delivered = EventBus(), []
    telemetry = TelemetryRecorder(bus, held_max=3)
    telemetry.start()
    for n in range(5):
        bus.publish(ControlTapped("attract", f"c{n}"))
    telemetry.deliver_to(lambda _stream, _type, fields: delivered.append(fields["control"]))
    assert delivered == ["c0", "c1", "c2"] and telemetry.held_dropped == 2
    assert "2 records made before the outbox existed were dropped" in caplog.text

