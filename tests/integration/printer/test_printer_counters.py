"""The printer's wear counters through the printer simulator on a pty (80 mm, with a cutter), real pyserial, the
printing service and SQLite on disk: cuts and paper as the printer saw them, paper-out events counted once each
(also across a restart while the roll is still out), kept across restarts, reset per part."""

from __future__ import annotations

import dataclasses
import time

import pytest

from firmware_bridge.escpos.profile import GENERIC_80MM
from firmware_bridge.sim.printer_sim import PrinterSimulator
from kiosk.runtime.devices import DeviceLinks
from kiosk.config.schema import PrinterConfig, PrinterProfile
from kiosk.core.clock import FakeClock
from kiosk.core.events import EventBus
from kiosk.services.printer_counters import Counts, PrinterCounters
from kiosk.services.printing import PrinterStateChanged, PrintingService, PrintJobPrinted, printer_model
from kiosk.storage.db import Database
from kiosk.ui.i18n import Translator
from tests.integration.printer.test_printing_service import Recorder, opinion

PROFILE = PrinterProfile(print_speed_mm_s=2000.0)
WAIT_S = 30.0


class Terminal:
    """One run of the kiosk's printing side: database, bus, printing service, counters (started)."""

    def __init__(self, tmp_path, sim: PrinterSimulator, clock: FakeClock) -> None:
        self.db = Database(tmp_path / "kiosk.db", clock)
        self.db.start()
        self.bus = EventBus()
        self.recorder = Recorder(self.bus)
        self.counters = PrinterCounters(self.bus, self.db, clock)
        self.counters.start()
        config = PrinterConfig(kind="serial", port=sim.port_path, flow_control="none", status_timeout_s=0.3,
                               write_timeout_s=2.0, status_poll_interval_s=60, profile="test80")
        model = printer_model(config, {"test80": PROFILE})
        link = DeviceLinks().open_printer(config, model)
        self.printing = PrintingService(config, model, link.transport, self.bus, self.db, clock, texts=Translator())
        self.printing.start()
        self.config = config

    def print_slips(self, count: int) -> list[PrintJobPrinted]:
        ids = [self.printing.submit(opinion()) for _ in range(count)]
        return [self.recorder.wait_for(PrintJobPrinted, WAIT_S, job_id=job_id) for job_id in ids]

    def stop(self) -> None:
        self.counters.stop()
        self.printing.stop()
        self.db.stop()


def settled(counters: PrinterCounters, predicate, what: str):
    """The counts once `predicate(counts)` holds (they are read back after each write on the storage thread)."""
    deadline = time.monotonic() + WAIT_S
    while not predicate(counts := counters.counts()):
        assert time.monotonic() < deadline, f"counters never showed {what}: {counts}"
        time.sleep(0.01)
    return counts


@pytest.fixture
def sim(tmp_path):
    printer = PrinterSimulator(dataclasses.replace(GENERIC_80MM, print_speed_mm_s=2000.0), speed_mm_s=4000.0,
                               link_path=str(tmp_path / "printer"))
    printer.start()
    yield printer
    printer.stop()


def test_cuts_and_paper_are_counted_as_the_printer_cut_and_fed_them_and_survive_a_restart(tmp_path, sim):
    clock = FakeClock()
    terminal = Terminal(tmp_path, sim, clock)
    try:
        terminal.recorder.wait_for(PrinterStateChanged, WAIT_S, state="online")
        printed = terminal.print_slips(3)
        assert sim.wait_until(lambda s: s.printout.count("cut") == 3, WAIT_S)
        counts = settled(terminal.counters, lambda c: c.cuts == 3, "three cuts")
        assert counts.printed_mm == pytest.approx(sum(p.paper_mm for p in printed))
        assert counts.printed_mm == pytest.approx(sim.printout.paper_mm, rel=0.05), "the paper the printer fed"
        assert counts.cutter_since == counts.head_since == clock.now().isoformat() and counts.paper_outs == 0
        assert terminal.counters.inventory() == {"printer_cuts": 3, "printer_paper_mm": round(counts.printed_mm),
                                                 "printer_paper_outs": 0}
    finally:
        terminal.stop()

    again = Terminal(tmp_path, sim, clock)
    try:
        assert settled(again.counters, lambda c: c.cuts == 3, "the stored counts") == counts
        again.recorder.wait_for(PrinterStateChanged, WAIT_S, state="online")
        again.print_slips(1)
        assert settled(again.counters, lambda c: c.cuts == 4, "a fourth cut").printed_mm > counts.printed_mm
    finally:
        again.stop()


def test_a_paper_out_is_one_event_even_across_a_restart_and_a_new_roll_ends_it(tmp_path, sim):
    clock = FakeClock()
    terminal = Terminal(tmp_path, sim, clock)
    try:
        terminal.recorder.wait_for(PrinterStateChanged, WAIT_S, state="online")
        sim.faults.paper_out_after_mm = 0.0
        terminal.printing.check_now()
        terminal.recorder.wait_for(PrinterStateChanged, WAIT_S, state="paper_out")
        settled(terminal.counters, lambda c: c.paper_outs == 1, "one paper-out")
        terminal.printing.check_now()  # still out: no new state, no new event
    finally:
        terminal.stop()

    restarted = Terminal(tmp_path, sim, clock)  # the roll still out at start: the same event
    try:
        restarted.recorder.wait_for(PrinterStateChanged, WAIT_S, state="paper_out")
        sim.load_paper()
        restarted.printing.check_now()
        restarted.recorder.wait_for(PrinterStateChanged, WAIT_S, state="online")
        sim.faults.paper_out_after_mm = 0.0
        restarted.printing.check_now()
        restarted.recorder.wait_for(PrinterStateChanged, WAIT_S, state="paper_out", previous="online")
        assert settled(restarted.counters, lambda c: c.paper_outs == 2, "a second paper-out").paper_outs == 2
    finally:
        restarted.stop()


def test_changing_the_cutter_restarts_its_count_and_leaves_the_heads(tmp_path, sim):
    clock = FakeClock()
    terminal = Terminal(tmp_path, sim, clock)
    try:
        terminal.recorder.wait_for(PrinterStateChanged, WAIT_S, state="online")
        terminal.print_slips(2)
        before = settled(terminal.counters, lambda c: c.cuts == 2, "two cuts")
        clock.advance(86400)
        terminal.counters.reset("cutter")
        after = terminal.counters.counts()
        assert (after.cuts, after.cutter_since) == (0, clock.now().isoformat())
        assert (after.printed_mm, after.head_since) == (before.printed_mm, before.head_since)
        terminal.print_slips(1)
        assert settled(terminal.counters, lambda c: c.cuts == 1, "one cut on the new cutter").printed_mm > \
            before.printed_mm
        with pytest.raises(ValueError):
            terminal.counters.reset("roller")
    finally:
        terminal.stop()


def test_a_part_is_due_at_nine_tenths_of_its_rated_life():
    config = PrinterConfig(cutter_life_cuts=1000, head_life_km=1.0)
    assert Counts(899, "", 899_999.0, "", 0).due(config) == []
    assert Counts(900, "", 900_000.0, "", 0).due(config) == ["cutter", "head"]
