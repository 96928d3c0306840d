"""A slip cut off by a power cut: a kiosk process (tests/integration/printer/print_child.py, composed as `kiosk run`
composes it) prints on the printer simulator, a pty that outlives the process as a printer outlives a power cut, and
is SIGKILLed while the slip's bytes are going out. The job was recorded as printing before its first byte left; the
next start records it as interrupted (it may have printed), the job queued behind it as lost (never started, its
slip was in memory only), and prints neither by itself."""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from firmware_bridge.sim.printer_sim import PrinterSimulator

ROOT = Path(__file__).resolve().parents[3]
LINE_TIMEOUT_S = 90.0
SLIP_STARTED_TIMEOUT_S = 30.0
SLOW_MM_S = 40.0
"""The simulator's paper speed: a slip takes about ten seconds, so the kill lands while its bytes go out."""
SMALL_BUFFER_BYTES = 512
"""The simulator's receive buffer: XON/XOFF holds the kiosk's writes within half a kilobyte of the paper."""


class Child:
    """print_child in a process of its own; its JSON lines read by a thread, so every wait has a timeout."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "tests.integration.printer.print_child"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._reader = threading.Thread(target=lambda: [self._lines.put(line) for line in self.process.stdout],
                                        daemon=True)
        self._reader.start()

    def line(self) -> dict:
        try:
            return json.loads(self._lines.get(timeout=LINE_TIMEOUT_S))
        except queue.Empty:
            raise AssertionError(f"the kiosk process said nothing for {LINE_TIMEOUT_S} s") from None

    def tell(self, word: str) -> None:
        self.process.stdin.write(word + "\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self._end()

    def stop(self) -> None:
        self.tell("stop")
        assert self._end() == 0

    def _end(self) -> int:
        code = self.process.wait(LINE_TIMEOUT_S)
        self._reader.join(LINE_TIMEOUT_S)
        self.process.stdin.close()
        self.process.stdout.close()
        return code


@pytest.fixture
def printer(tmp_path):
    sim = PrinterSimulator(speed_mm_s=SLOW_MM_S, buffer_bytes=SMALL_BUFFER_BYTES, xonxoff=True,
                           link_path=str(tmp_path / "printer"))
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def database(clean_env, printer, monkeypatch) -> Path:
    """A kiosk without fleet, reader or speech, its printer the simulator on XON/XOFF; where its database is."""
    for key, value in {"KIOSK_KIOSK__ID": "k-0001", "KIOSK_PRINTER__KIND": "serial",
                       "KIOSK_PRINTER__PORT": printer.port_path, "KIOSK_PRINTER__FLOW_CONTROL": "xonxoff",
                       "KIOSK_IDCARD__KIND": "none", "KIOSK_SPEECH__ENABLED": "false"}.items():
        monkeypatch.setenv(key, value)
    return clean_env / "data" / "kiosk.db"


def states(database: Path) -> dict[str, str]:
    """Job id → state, read beside the kiosk as `kiosk diag bundle` reads it."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return dict(connection.execute("SELECT id, state FROM print_jobs"))
    finally:
        connection.close()


def test_a_slip_cut_off_by_a_kill_is_interrupted_at_the_next_start_and_not_printed_again(database, printer):
    first = Child()
    assert first.line() == {"printer": True, "orphans": {"lost": 0, "interrupted": 0}}
    first.tell("print")
    cut_off = first.line()
    first.tell("print")
    behind = first.line()
    assert printer.wait_until(lambda s: s.printout.count("text") >= 3, SLIP_STARTED_TIMEOUT_S), "no slip began"
    assert states(database) == {cut_off["queued"]: "printing", behind["queued"]: "queued"}
    first.kill()

    second = Child()
    assert second.line() == {"printer": True, "orphans": {"lost": 1, "interrupted": 1}}
    assert states(database) == {cut_off["queued"]: "interrupted", behind["queued"]: "lost"}
    second.stop()
    assert printer.printout.count("cut") == 0 and printer.printout.count("qr") == 0, "the slip came out whole"
    assert sum(cut_off["number"] in line for line in printer.printout.lines) == 1, "a slip was printed again"
