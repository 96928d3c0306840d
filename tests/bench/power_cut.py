"""Power-cut bench (issue 17): the kiosk is SIGKILLed at random moments of a citizen's visit, again and again, and
what survives is counted.

The kiosk is `kiosk run`'s start (tests.bench.power_cut_kiosk: the crash-loop guard, the composed services, the Kivy
app on an Xvfb display) with its ID reader on its own simulator, its printer on the bench's simulator (a pty that
outlives every kill, as a printer outlives a power cut) and its fleet link on a real Mosquitto running the deploy
configuration, drained by the reference console's ingest (its SQLite store). A visit is a consultation (a card read,
a typed question, the legal-aid flow, the opinion), a print of the opinion from its screen, a pre-application
stored, and a burst of taps recorded as telemetry.

First the baseline: BASELINE_VISITS visits without a kill, then a clean drain, counted the same way (and the phases'
durations it measured choose the kill moments). Then `--kills N` times: start the kiosk, wait for the phase whose
turn it is (consult, print, apply, burst in rotation), kill it with SIGKILL at a uniformly random moment within
that phase's baseline duration, and look at the disk as the next start finds it: the database's
`PRAGMA integrity_check` (and no file moved aside as corrupt at the next start), which telemetry seqs it holds as
written, and every file of the data directory and the kiosk's log (the journal) searched for the citizen's name,
ID number, address, phone and typed words, in UTF-8 and in the card's UTF-16. Last, a kiosk that runs to a clean
drain of its outbox.

Then: every telemetry event the database held as written (every seq below a stream's next seq, in its epoch;
minus what the disk cap evicted, none here) must be at the server once (`events_lost`, `events_duplicated`,
`events_unknown` = stored but never written). Every slip: a cut on the printer is attributed to the last QR code
before it (the opinion's verification link names its number). `print_jobs_printed_twice`: a number cut more than
once; `print_jobs_lost`: a job the kiosk recorded as printed that never came out, or one that came out that the
kiosk has no record of; `print_jobs_interrupted`: jobs a kill cut off mid-print, recorded as interrupted (may have
printed) at the next start, of which `interrupted_but_cut` came out whole; `print_jobs_recorded_lost`: jobs a kill
left queued or failed, recorded as lost (their slip was in memory only, by design), of which `lost_but_cut` came out
all the same (a record that says lost of a slip that printed: should be 0).

What a SIGKILL cannot show of a power cut: the kernel still writes what the process handed it, so a torn sector or
a disk cache that lies is not exercised (SQLite's WAL with synchronous=NORMAL loses at most the last transactions
then, never integrity); the printer keeps its power.

Run: `python -m tests.bench.power_cut [--kills N] [--seed S]` (starts Xvfb when there is no display). Prints one JSON
object. About 6 s a kill on a loaded 2-core machine (50 kills: 5 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KID = "k-0001"
DEFAULT_KILLS = 50
BASELINE_VISITS = 2
PHASES = ("consult", "print", "apply", "burst")
LINE_TIMEOUT_S = 180.0
"""Longest wait for the kiosk's next line (a start on a loaded machine, a slip at the mechanism's speed)."""
EXIT_TIMEOUT_S = 60.0
VERIFY_URL = "https://verify.example/v"
NUMBER = re.compile(rf"{KID}-\d{{8}}-\d{{4}}")


class Child:
    """tests.bench.power_cut_kiosk in its own process; its JSON lines read by a thread, so every wait has a
    timeout. stderr (the journal of a kiosk) is appended to `log`."""

    def __init__(self, mode: str, env: dict[str, str], log: Path) -> None:
        self.spawned = time.monotonic()
        with log.open("a") as stderr:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.bench.power_cut_kiosk"], cwd=ROOT,
                                            env={**env, "BENCH_MODE": mode}, stdout=subprocess.PIPE, stderr=stderr,
                                            stdin=subprocess.DEVNULL, text=True)
        self._lines: queue.SimpleQueue[dict | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                self._lines.put(json.loads(line))
            except ValueError:
                continue
        self._lines.put(None)

    def expect(self, key: str, value=None) -> dict:
        """The next line carrying `key` (equal to `value` when given); lines before it are passed over."""
        while True:
            try:
                line = self._lines.get(timeout=LINE_TIMEOUT_S)
            except queue.Empty:
                raise RuntimeError(f"the kiosk said nothing for {LINE_TIMEOUT_S} s (waiting for {key})") from None
            if line is None:
                raise RuntimeError(f"the kiosk ended while the bench waited for {key}")
            if "error" in line:
                raise RuntimeError(f"the kiosk failed: {line['error']}")
            if key in line and (value is None or line[key] == value):
                return line

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.end()

    def end(self) -> int:
        code = self.process.wait(EXIT_TIMEOUT_S)
        self._reader.join(EXIT_TIMEOUT_S)
        self.process.stdout.close()
        return code


class Site:
    """Mosquitto, the console's ingest, the printer simulator, the kiosk's system file and data directory."""

    def __init__(self, root: Path, stack: ExitStack, display: str) -> None:
        import tomli_w

        from firmware_bridge.sim.printer_sim import PrinterSimulator
        from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION, Broker, ServerUnderTest

        self.broker = Broker(root / "broker", [KID])
        self.broker.start()
        stack.callback(self.broker.stop)
        self.console = ServerUnderTest(root / "console.db", self.broker).start()
        stack.callback(self.console.stop)
        self.printer = PrinterSimulator(xonxoff=True, link_path=str(root / "printer"))
        self.printer.start()
        stack.callback(self.printer.stop)
        self.data = root / "kiosk"
        self.log = root / "kiosk.log"
        password = root / "mqtt-password"
        password.write_text(KIOSK_PASSWORD)
        system_file = root / "kiosk.toml"
        system_file.write_text(tomli_w.dumps({
            "schema_version": 1,
            "kiosk": {"id": KID, "region": REGION},
            "paths": {"data_dir": str(self.data)},
            "printer": {"kind": "serial", "port": self.printer.port_path, "flow_control": "xonxoff"},
            "idcard": {"kind": "sim"},
            "speech": {"enabled": False},
            "fleet": {"enabled": True, "host": "127.0.0.1", "port": self.broker.port, "tls": False,
                      "password_file": str(password), "start_jitter_s": 0.0, "batches_per_s": 100.0,
                      "content_dir": str(self.data / "content")},
            "legal_aid": {"verify_url": VERIFY_URL, "verification_key_file": str(self.data / "opinion.key"),
                          "application_key_file": str(self.data / "legal_aid_application.key")},
        }))
        base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") and k != "NOTIFY_SOCKET"}
        self.env = {**base, "DISPLAY": display, "KIVY_WINDOW": "sdl2", "SDL_AUDIODRIVER": "dummy",
                    "KIOSK_CONFIG_FILE": str(system_file), "KIOSK_OVERRIDES_FILE": str(self.data / "overrides.toml")}

    @property
    def db(self) -> Path:
        return self.data / "kiosk.db"

    def start(self, mode: str) -> tuple[Child, float]:
        """A kiosk in `mode`, once it is ready; and the seconds from spawn to ready."""
        child = Child(mode, self.env, self.log)
        child.expect("ready")
        return child, time.monotonic() - child.spawned


def personal_values() -> list[str]:
    """What the citizen of a visit gives the kiosk: the card's name, ID number and address, the phone, the words."""
    from firmware_bridge.sim.idcard_cards import TEST_CARDS
    from tests.bench.power_cut_kiosk import TYPED_PHONE, TYPED_QUESTION

    card = TEST_CARDS["resident"]
    return [card.name, card.id_number, card.address, TYPED_PHONE, TYPED_QUESTION, TYPED_QUESTION[:6]]


def personal_found(site: Site, values: list[str]) -> list[str]:
    """Files of the data directory, and the kiosk's log, holding a personal value (UTF-8 or UTF-16LE)."""
    patterns = [v.encode(encoding) for v in values for encoding in ("utf-8", "utf-16-le")]
    found = []
    for path in [*sorted(p for p in site.data.rglob("*") if p.is_file()), site.log]:
        data = path.read_bytes()
        if any(pattern in data for pattern in patterns):
            found.append(str(path.relative_to(site.data.parent)))
    return found


def integrity(site: Site) -> str:
    """`PRAGMA integrity_check` of the database as the next start will find it ("ok" when sound)."""
    if not site.db.exists():
        return "ok"
    connection = sqlite3.connect(site.db)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"unreadable: {exc}"
    finally:
        connection.close()


def written(site: Site) -> dict[tuple[str, int], int]:
    """(stream, epoch) → the highest seq the database holds as written."""
    connection = sqlite3.connect(site.db)
    try:
        rows = connection.execute("SELECT stream, epoch, next_seq - 1, dropped FROM outbox_streams").fetchall()
    finally:
        connection.close()
    return {(stream, epoch): last for stream, epoch, last, _dropped in rows}


def print_jobs(site: Site) -> list[tuple[str, str]]:
    connection = sqlite3.connect(site.db)
    try:
        return connection.execute("SELECT number, state FROM print_jobs ORDER BY created_at").fetchall()
    finally:
        connection.close()


def cut_numbers(items: list[tuple[str, object]]) -> list[str]:
    """The number of each slip the printer cut: the last QR code's before the cut (opinion and pre-application
    slips carry their number in it; a slip without one, like a test slip, is ''). Pieces of a slip cut off by a
    kill before its QR are attributed to the next slip cut."""
    numbers, last_qr = [], ""
    for kind, value in items:
        if kind == "qr":
            found = NUMBER.search(bytes(value).decode("utf-8", "replace"))
            last_qr = found[0] if found else ""
        elif kind == "cut":
            numbers.append(last_qr)
            last_qr = ""
    return numbers


def drain(site: Site) -> float:
    """A kiosk that runs until the server acknowledged its whole outbox, then stops; its ready seconds."""
    child, ready_s = site.start("drain")
    child.expect("drained")
    child.end()
    return ready_s


def tally(site: Site, high: dict[tuple[str, int], int]) -> dict:
    """Telemetry written against stored, slips recorded against cut."""
    stored = site.console.rows("SELECT stream, epoch, seq FROM events WHERE kid = ?", KID)
    keys = Counter((stream, epoch, seq) for stream, epoch, seq in stored)
    recorded = sum(high.values())
    lost = sum(1 for (stream, epoch), last in high.items() for seq in range(1, last + 1)
               if (stream, epoch, seq) not in keys)
    unknown = sum(1 for (stream, epoch, seq) in keys if seq > high.get((stream, epoch), 0))
    jobs = print_jobs(site)
    cut = Counter(cut_numbers(site.printer.printout.items))
    recorded_numbers = {number for number, _state in jobs}
    printed = {number for number, state in jobs if state == "printed"}
    interrupted = {number for number, state in jobs if state == "interrupted"}
    recorded_lost = {number for number, state in jobs if state == "lost"}
    return {
        "events_recorded": recorded, "events_stored": len(keys), "events_lost": lost,
        "events_duplicated": sum(n - 1 for n in keys.values()), "events_unknown": unknown,
        "print_jobs": len(jobs), "print_jobs_states": dict(Counter(state for _number, state in jobs)),
        "slips_cut": sum(cut.values()),
        "print_jobs_printed_twice": sum(n - 1 for number, n in cut.items() if number and n > 1),
        "print_jobs_lost": len(printed - set(cut)) + len({n for n in cut if n} - recorded_numbers),
        "print_jobs_interrupted": len(interrupted),
        "interrupted_but_cut": len(interrupted & set(cut)),
        "print_jobs_recorded_lost": len(recorded_lost),
        "lost_but_cut": len(recorded_lost & set(cut)),
        "cuts_without_number": cut[""],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS)
    parser.add_argument("--seed", type=int, default=None, help="random seed of the kill moments (default: random)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    values = personal_values()
    from kiosk.runtime.display import have_display, start_xvfb

    with tempfile.TemporaryDirectory(prefix="power-cut-") as tmp, ExitStack() as stack:
        display = os.environ.get("DISPLAY", "")
        if not have_display():
            xvfb, display = start_xvfb()
            stack.callback(xvfb.wait, 10)
            stack.callback(xvfb.terminate)
        site = Site(Path(tmp), stack, display)
        load_before = os.getloadavg()[0]

        child, baseline_ready_s = site.start(f"cycles={BASELINE_VISITS}")
        durations = [child.expect("cycle_done")["phase_ms"] for _ in range(BASELINE_VISITS)]
        child.end()
        drain(site)
        baseline = {"visits": BASELINE_VISITS, "ready_s": round(baseline_ready_s, 2),
                    "phase_ms": {p: round(statistics.median(d[p] for d in durations), 1) for p in PHASES},
                    "integrity": integrity(site), "personal_data_found": personal_found(site, values),
                    **tally(site, written(site))}
        phase_s = {p: baseline["phase_ms"][p] / 1000 for p in PHASES}

        high = written(site)
        kills, at_phase, ready_s, failures, personal = [], Counter(), [], [], set()
        for kill in range(args.kills):
            phase = PHASES[kill % len(PHASES)]
            child, ready = site.start("endless")
            ready_s.append(ready)
            child.expect("phase", phase)
            delay_s = rng.uniform(0, phase_s[phase])
            threading.Event().wait(delay_s)
            child.kill()
            at_phase[phase] += 1
            kills.append({"phase": phase, "delay_ms": round(delay_s * 1000, 1)})
            verdict = integrity(site)
            if verdict != "ok":
                failures.append({"kill": kill, "integrity_check": verdict})
            for key, last in written(site).items():
                high[key] = max(high.get(key, 0), last)
            personal.update(personal_found(site, values))
        final_ready_s = drain(site)
        moved = len(list(site.data.glob("kiosk.db.corrupt-*")))  # a start found the database corrupt
        for key, last in written(site).items():
            high[key] = max(high.get(key, 0), last)
        personal.update(personal_found(site, values))
        figures = tally(site, high)
        print(json.dumps({
            "kills": len(kills), "seed": seed, "kills_by_phase": dict(at_phase),
            "integrity_failures": len(failures) + moved, "integrity_details": failures,
            "databases_moved_aside": moved, **figures,
            "personal_data_found": sorted(personal),
            "restart_ready_s_median": round(statistics.median(ready_s), 2) if ready_s else None,
            "final_ready_s": round(final_ready_s, 2),
            "baseline": baseline,
            "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
