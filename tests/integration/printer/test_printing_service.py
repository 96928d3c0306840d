"""The printing service end to end: simulator on a pty, real pyserial, SQLite on disk, events on the bus."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime

import pytest

from firmware_bridge.escpos.profile import GENERIC_58MM
from firmware_bridge.sim.printer_sim import PrinterSimulator
from kiosk.runtime.devices import DeviceLinks
from kiosk.config.schema import PrinterConfig, PrinterProfile
from kiosk.legal.examples import build_example_opinion
from kiosk.core.clock import CHINA_TZ, FakeClock
from kiosk.core.events import Event, EventBus
from kiosk.services.printing import (PrinterStateChanged, PrintingService, PrintJobFailed, PrintJobPrinted,
                                     PrintJobsOffered, printer_model)
from kiosk.storage import diagnostics, print_jobs
from kiosk.storage.db import Database
from kiosk.ui.i18n import Translator

PROFILE = PrinterProfile(paper_width_dots=384, chars_per_line_cjk=16, native_qr=False, codepage="gbk",
                         print_speed_mm_s=800.0, receive_buffer_bytes=1024, has_cutter=False)


class Recorder:
    """Collects bus events and lets a test wait (bounded) for one."""

    def __init__(self, bus: EventBus) -> None:
        self.events: list[Event] = []
        self._cond = threading.Condition()
        bus.subscribe(Event, self._on)

    def _on(self, event: Event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def wait_for(self, kind: type, timeout_s: float = 20.0, **fields) -> Event:
        def match():
            return next((e for e in self.events if isinstance(e, kind)
                         and all(getattr(e, k) == v for k, v in fields.items())), None)
        with self._cond:
            assert self._cond.wait_for(lambda: match() is not None, timeout_s), f"no {kind.__name__} {fields}"
            return match()


def printing_service(config: PrinterConfig, links: DeviceLinks, bus: EventBus, db: Database,
                     clock: FakeClock) -> PrintingService:
    """The service on its link, wired as the composition root wires it."""
    model = printer_model(config, {"test58": PROFILE})
    link = links.open_printer(config, model)
    return PrintingService(config, model, link.transport, bus, db, clock, texts=Translator())


@pytest.fixture
def rig(tmp_path):
    sim = PrinterSimulator(dataclasses.replace(GENERIC_58MM, print_speed_mm_s=800.0), speed_mm_s=1600.0,
                           link_path=str(tmp_path / "printer"))
    sim.start()
    clock = FakeClock()
    db = Database(tmp_path / "kiosk.db", clock)
    db.start()
    bus = EventBus()
    recorder = Recorder(bus)
    config = PrinterConfig(kind="serial", port=sim.port_path, flow_control="none", status_timeout_s=0.3,
                           write_timeout_s=1.0, status_poll_interval_s=60, profile="test58")
    service = printing_service(config, DeviceLinks(), bus, db, clock)
    service.start()
    yield sim, service, recorder, db
    service.stop()
    db.stop()
    sim.stop()


def opinion():
    return build_example_opinion("specimen", kiosk_id="dev-0001", issued_at=datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ))


def test_slip_prints_and_is_recorded(rig):
    sim, service, recorder, db = rig
    recorder.wait_for(PrinterStateChanged, state="online")
    job_id = service.submit(opinion())
    printed = recorder.wait_for(PrintJobPrinted, job_id=job_id)
    assert printed.attempts == 1 and printed.number == "dev-0001-20261122-0001"
    assert sim.wait_until(lambda s: "扫码核验本意见书" in s.printout.lines, 10)
    assert sim.dropped_bytes == 0
    assert db.call(print_jobs.by_state("printed"))[0]["id"] == job_id
    assert service.kept_jobs() == ()


def test_a_job_is_recorded_as_printing_before_its_first_byte_leaves(rig, monkeypatch):
    """So a power cut mid-slip is found at the next start as interrupted (it may have printed), not as lost."""
    sim, service, recorder, db = rig
    recorder.wait_for(PrinterStateChanged, state="online")
    on_disk_when_sent = []
    send = service.driver.print_job

    def watched(job):  # read beside the owner thread: what a process killed now would leave
        on_disk_when_sent.append(diagnostics.read_only(db.path, lambda d: [r["state"] for r in d["print_jobs"].rows]))
        return send(job)

    monkeypatch.setattr(service.driver, "print_job", watched)
    job_id = service.submit(opinion())
    recorder.wait_for(PrintJobPrinted, job_id=job_id)
    assert on_disk_when_sent == [["printing"]]


def test_a_slip_prints_when_its_record_cannot_be_written(rig):
    sim, service, recorder, db = rig
    recorder.wait_for(PrinterStateChanged, state="online")
    db.stop()
    job_id = service.submit(opinion())
    recorder.wait_for(PrintJobPrinted, job_id=job_id)
    assert sim.wait_until(lambda s: "扫码核验本意见书" in s.printout.lines, 10)


def test_paper_out_job_is_kept_and_offered_again_on_recovery(rig):
    sim, service, recorder, db = rig
    recorder.wait_for(PrinterStateChanged, state="online")
    sim.faults.paper_out_after_mm = 80
    job_id = service.submit(opinion())
    failed = recorder.wait_for(PrintJobFailed, job_id=job_id)
    assert (failed.code, failed.citizen_key) == ("PRN-020", "printing.paper_out")
    assert failed.verify_url.startswith("https://")
    assert service.kept_jobs() == (job_id,)
    assert db.call(print_jobs.by_state("failed"))[0]["error_code"] == "PRN-020"

    sim.load_paper()
    service.check_now()
    offered = recorder.wait_for(PrintJobsOffered)
    assert offered.job_ids == (job_id,)
    service.retry(job_id)
    printed = recorder.wait_for(PrintJobPrinted, job_id=job_id)
    assert printed.attempts == 2
    assert sim.wait_until(lambda s: "扫码核验本意见书" in s.printout.lines, 10)


def test_cover_open_and_wipe(rig):
    sim, service, recorder, db = rig
    recorder.wait_for(PrinterStateChanged, state="online")
    sim.faults.cover_open = True
    job_id = service.submit(opinion())
    assert recorder.wait_for(PrintJobFailed, job_id=job_id).code == "PRN-010"
    service.wipe()
    assert service.kept_jobs() == ()
    assert db.call(print_jobs.by_state("discarded"))[0]["id"] == job_id


def test_sim_kind_with_rtscts_is_paced_because_a_pty_has_no_rts_cts(tmp_path):
    clock = FakeClock()
    db = Database(tmp_path / "kiosk.db", clock)
    db.start()
    bus = EventBus()
    recorder = Recorder(bus)
    config = PrinterConfig(kind="sim", flow_control="rtscts", status_timeout_s=0.3, status_poll_interval_s=60,
                           profile="test58")
    links = DeviceLinks()
    service = printing_service(config, links, bus, db, clock)
    service.start()
    try:
        assert service.driver.paced
        job_id = service.submit(opinion())
        recorder.wait_for(PrintJobPrinted, job_id=job_id, timeout_s=60)
        assert links.printer.simulator.dropped_bytes == 0
    finally:
        service.stop()
        links.stop()
        db.stop()
