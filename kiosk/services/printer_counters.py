"""The printer's wear counters: cuts, paper printed and paper-out events, kept across restarts, and when a part is due.

Why: a thermal head wears by the kilometre of paper and a cutter by the cut; a terminal that prints every day
reaches their rated life in a few years, and a technician on site must see how far each has gone (the maintenance
overview) and the bureau across the fleet (the birth's `hw`), then restart the count when the part is changed.
Counts come from the printing service's events (a slip printed: its paper and its cut; the printer's state) and
are written in the same transaction per slip (kiosk.storage.printer_counters); memory holds a copy for the UI.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from firmware_bridge.escpos.status import READY_STATES, PrinterState
from kiosk.config.schema import PrinterConfig
from kiosk.core.clock import Clock
from kiosk.core.events import EventBus
from kiosk.storage import printer_counters as store
from kiosk.storage.db import Database

DUE_FRACTION = 0.9
"""Share of a part's rated life at which the overview says to order a new one."""
PAPER_OUT = PrinterState.PAPER_OUT.value
PAPER_IN = frozenset(state.value for state in READY_STATES)
"""States (PrinterStateChanged values) in which a roll is in: a paper-out event has ended."""


@dataclass(frozen=True, slots=True)
class Counts:
    """The counters as they stand; `*_since` are ISO 8601 times ("" before the first count)."""

    cuts: int
    cutter_since: str
    printed_mm: float
    head_since: str
    paper_outs: int

    def used(self, config: PrinterConfig) -> dict[str, float]:
        """Share of each part's rated life used (cutter: cuts; head: km of paper)."""
        return {"cutter": self.cuts / config.cutter_life_cuts,
                "head": self.printed_mm / 1e6 / config.head_life_km}

    def due(self, config: PrinterConfig) -> list[str]:
        """Parts at or past DUE_FRACTION of their rated life."""
        return [part for part, used in self.used(config).items() if used >= DUE_FRACTION]


class PrinterCounters:
    """Construct (no I/O), `start()` (reads the counts, listens), `counts()` from any thread, `reset(part)`."""

    def __init__(self, bus: EventBus, db: Database, clock: Clock) -> None:
        self._bus = bus
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self._stored: dict[str, str] = {}
        self._unsubscribers: list[Callable[[], None]] = []

    def start(self) -> None:
        """Count the printing service's events; the stored counts are read once the database is open (never waited
        for: its integrity check may take seconds, and writes queued meanwhile run after the read in order)."""
        from kiosk.services.printing import PrinterStateChanged, PrintJobPrinted

        self._reload_later()
        self._unsubscribers = [self._bus.subscribe(PrintJobPrinted, self._on_printed),
                               self._bus.subscribe(PrinterStateChanged, self._on_state)]

    def stop(self) -> None:
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()

    def counts(self) -> Counts:
        """The counts now (memory)."""
        with self._lock:
            values = dict(self._stored)
        return Counts(cuts=int(float(values.get("cuts", 0))), cutter_since=values.get("cutter_since", ""),
                      printed_mm=float(values.get("printed_mm", 0)), head_since=values.get("head_since", ""),
                      paper_outs=int(float(values.get("paper_outs", 0))))

    def inventory(self) -> dict[str, int | float]:
        """The counts for the fleet's birth `hw` (paper in whole millimetres)."""
        counts = self.counts()
        return {"printer_cuts": counts.cuts, "printer_paper_mm": round(counts.printed_mm),
                "printer_paper_outs": counts.paper_outs}

    def reset(self, part: str) -> None:
        """The technician changed `part` ("cutter" or "head"): its count restarts now. Blocks on the database
        (call it off the UI thread); the caller audits it."""
        if part not in store.PARTS:
            raise ValueError(f"no printer part {part!r} (one of {', '.join(store.PARTS)})")
        self._db.call(store.reset(part, self._now()))
        self._reload()

    def _on_printed(self, event) -> None:
        self._db.submit(store.add_print(1 if event.cut else 0, event.paper_mm, self._now())).add_done_callback(
            lambda _done: self._reload_later())

    def _on_state(self, event) -> None:
        """Out of paper begins an event unless one is on (a restart meanwhile); a roll in ends it. Changes only."""
        if event.state == PAPER_OUT or event.state in PAPER_IN:
            self._db.submit(store.paper_out(event.state == PAPER_OUT)).add_done_callback(
                lambda _done: self._reload_later())

    def _reload_later(self) -> None:
        """Queue a read of the counts into memory (after a write: on the owner thread, which must not wait)."""
        self._db.submit(store.read()).add_done_callback(self._take)

    def _reload(self) -> None:
        self._take_values(self._db.call(store.read()))

    def _take(self, future) -> None:
        if future.exception() is None:
            self._take_values(future.result())

    def _take_values(self, values: dict[str, str]) -> None:
        with self._lock:
            self._stored = values

    def _now(self) -> str:
        return self._clock.now().isoformat()
