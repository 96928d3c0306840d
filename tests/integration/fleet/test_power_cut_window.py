"""The power-cut drill (issue 14 item 7): a kiosk process recording taps in bursts is SIGKILLed again and again;
what it handed to record() and SQLite does not hold afterwards is counted against the outbox's stated window.

Run as `python -m tests.integration.fleet.test_power_cut_window ROOT PORT`, this module is the kiosk: database,
outbox and agent (draining to the broker) wired as KioskUnderTest wires them, a frame-loop thread beside the main
thread, and the main thread standing for the UI thread: for each `burst N` it reads on stdin it records N taps,
then answers `recorded` with the monotonic ns before the first, and the outbox's `unwritten`, `unwritten_dropped`
and `window_ms_max` after the last. It records nothing more until the next line, so what a kill after an answer
loses can be no more than the `unwritten` of that answer.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

from kiosk.fleet.outbox import UNWRITTEN_MAX_EVENTS
from tests.integration.fleet.conftest import KioskUnderTest, wait_until
from tests.integration.fleet.kiosk_process import PortOnly

ROOT = Path(__file__).resolve().parents[3]
KILLS = 24
BURST = 10
PACING_S = (0.0, 0.001, 0.005, 0.02)
"""Pauses between bursts and before a kill: a kill lands mid-write, just after one, or between writes."""


class Answer(NamedTuple):
    """The kiosk's answer to a burst."""

    started_ns: int
    unwritten: int
    dropped: int
    window_ms_max: int


class KioskProcess:
    """The kiosk of this module in a child process, its answers read by a thread so every wait has a timeout."""

    def __init__(self, root: Path, port: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.integration.fleet.test_power_cut_window",
                                      str(root), str(port)], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._reader = threading.Thread(target=lambda: [self._lines.put(line) for line in self.proc.stdout],
                                        daemon=True)
        self._reader.start()
        assert self._answer() == ["ready"]

    def _answer(self, timeout_s: float = 60.0) -> list[str]:
        try:
            return self._lines.get(timeout=timeout_s).split()
        except queue.Empty:
            raise AssertionError(f"the kiosk process said nothing for {timeout_s} s") from None

    def burst(self, n: int) -> Answer:
        """Have it record `n` taps."""
        self.proc.stdin.write(f"burst {n}\n")
        self.proc.stdin.flush()
        word, *figures = self._answer()
        assert word == "recorded"
        return Answer(*map(int, figures))

    def kill(self) -> int:
        """SIGKILL it; returns the monotonic ns of the kill."""
        at = time.monotonic_ns()
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        self.proc.stdin.close()
        self.proc.stdout.close()
        return at


def persisted(db_path: Path) -> tuple[int, int]:
    """The ui stream's epoch and last seq in SQLite: how many events were ever committed, acked or not."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT epoch, next_seq - 1 FROM outbox_streams WHERE stream = 'ui'").fetchone()
    finally:
        conn.close()


def test_sigkill_after_bursts_loses_no_more_than_was_unwritten(fleet_parts, broker, tmp_path, record_property):
    make_kiosk, make_server = fleet_parts
    server = make_server().start()
    rng = random.Random(14)
    root = tmp_path / "k-0001"
    db_path = root / "kiosk.db"
    committed, handed = 0, 0
    kills, epochs = [], set()
    for _ in range(KILLS):
        kiosk = KioskProcess(root, broker.port)
        answers = []
        for _ in range(rng.randint(1, 4)):
            threading.Event().wait(rng.choice(PACING_S))
            answers.append(kiosk.burst(BURST))
        threading.Event().wait(rng.choice(PACING_S))
        killed_ns = kiosk.kill()
        handed += BURST * len(answers)
        epoch, last_seq = persisted(db_path)
        epochs.add(epoch)
        lost = committed + BURST * len(answers) - last_seq
        assert 0 <= lost <= answers[-1].unwritten <= UNWRITTEN_MAX_EVENTS
        oldest_lost = answers[-1 - (lost - 1) // BURST].started_ns if lost else killed_ns
        kills.append({"lost": lost, "oldest_lost_age_ms": round((killed_ns - oldest_lost) / 1e6, 1),
                      "window_ms_max": answers[-1].window_ms_max})
        committed = last_seq
    lost_total = handed - committed
    record_property("power_cut_kills", kills)
    print(f"\n{KILLS} kills after bursts of {BURST}: {handed} events handed to record(), {lost_total} lost; "
          f"most in one kill {max(k['lost'] for k in kills)}, oldest lost "
          f"{max(k['oldest_lost_age_ms'] for k in kills)} ms before its kill, window_ms_max up to "
          f"{max(k['window_ms_max'] for k in kills)} ms")
    assert len(epochs) == 1, "no kill may change the stream's epoch"
    restarted = make_kiosk().start()
    wait_until(lambda: server.event_count() >= committed, timeout_s=60, what="every committed event stored")
    assert server.event_count() == committed
    assert restarted.outbox.positions()["ui"].last_seq == committed


def test_a_stalled_disk_holds_no_more_than_the_cap_and_counts_the_rest(broker, tmp_path):
    """With the database's write lock held elsewhere, the writer cannot commit: what a kill then loses is at most
    UNWRITTEN_MAX_EVENTS, and what was refused beyond it is counted, not silent."""
    root = tmp_path / "k-0001"
    kiosk = KioskProcess(root, broker.port)
    before = persisted(root / "kiosk.db")[1]
    blocker = sqlite3.connect(root / "kiosk.db", isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        answer = kiosk.burst(UNWRITTEN_MAX_EVENTS + 500)
        kiosk.kill()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert answer.unwritten == UNWRITTEN_MAX_EVENTS and answer.dropped == 500
    assert persisted(root / "kiosk.db")[1] == before


def main() -> None:
    from tests.bench.telemetry import _ui_like

    root, port = Path(sys.argv[1]), int(sys.argv[2])
    kiosk = KioskUnderTest(root, PortOnly(port), batch_max_events=50)
    kiosk.start()
    threading.Thread(target=_ui_like, args=(threading.Event(),), daemon=True).start()
    print("ready", flush=True)
    for line in sys.stdin:
        _word, n = line.split()
        started = time.monotonic_ns()
        for i in range(int(n)):
            kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i % 9}"})
        box = kiosk.outbox
        print("recorded", started, box.unwritten, box.unwritten_dropped, box.window_ms_max, flush=True)


if __name__ == "__main__":
    main()
