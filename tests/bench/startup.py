"""Start-up benchmark: `kiosk run`, as systemd starts it, to an interactive home screen, against a bare Kivy window.

The kiosk is started production-like: the console script `kiosk run` (not `--dev`) with the unit's environment
(KIVY_WINDOW, WATCHDOG_USEC, the TLS key as a credential), its system file (moved by KIOSK_CONFIG_FILE) turning
the fleet on against a local Mosquitto that runs the deploy configuration (TLS with a client certificate, on free
ports) and putting the printer and the ID reader on serial ports that are the ptys of their simulators
(firmware_bridge.sim). "Interactive" is what systemd is told: the READY=1 the kiosk sends once the first frame of
its start screen is on the display (kiosk.runtime.systemd); the bench listens on its own NOTIFY_SOCKET. A bare Kivy
window (tests.bench.bare_window: one label, the kiosk's window and Kivy settings) sends READY=1 after its first
flip the same way (with Kivy's default image providers: the kiosk's choice of SDL2's alone, kiosk.ui.environment, is
one of its own savings). Time runs from spawning the process to the datagram; RSS is read from /proc when it
arrives. The two start in turns, so a load that comes and goes on a shared machine falls on both; the JSON gives
each run's figures and each turn's ratio beside the medians, and the load average before and after.
After READY the bench waits for the kiosk's birth on the broker and for both simulators to be spoken to (so the
fleet and the devices really were on), then stops it with SIGTERM as systemd does. Budget: both ratios ≤ 1.5.

It also times the library alternatives of two readers written by hand to save start-up time (the locale reader,
kiosk.ui.i18n; the configuration validator, kiosk.config.sections) in fresh interpreters, and sets what they would
add before the first frame against the budget's headroom in this run. Both sides use compiled bytecode, as an
installed kiosk does. Run: `python -m tests.bench.startup` (starts Xvfb when there is no display). Prints one JSON
object.

The fresh interpreters that time the alternatives import this module: its top level imports only the standard
library (no YAML, no pydantic).
"""
from __future__ import annotations

import compileall
import json
import os
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from firmware_bridge.sim.idcard_sim import IdCardSimulator
    from firmware_bridge.sim.printer_sim import PrinterSimulator

ROOT = Path(__file__).resolve().parents[2]
RUNS = 5
BUDGET_RATIO = 1.5
READY_TIMEOUT_S = 120.0
"""Longest wait for READY=1 from a child."""
SUBSYSTEMS_TIMEOUT_S = 60.0
"""Longest wait, after READY, for the kiosk's birth on the broker and its first words to each device."""
STOP_TIMEOUT_S = 30.0
POLL_S = 0.5
"""How often a wait for a datagram also checks that the child is still alive."""
KID = "bench-0001"


def locale_readers() -> dict:
    """Seconds to read the locale catalogue by hand and with PyYAML (its import included: nothing imports YAML
    before the first frame)."""
    from importlib import resources

    from kiosk.ui.i18n import DEFAULT_LANGUAGE, parse_catalogue

    text = resources.files("kiosk.ui.locales").joinpath(f"{DEFAULT_LANGUAGE}.yaml").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    own = parse_catalogue(text)
    t1 = time.perf_counter()
    import yaml

    library = yaml.load(text, Loader=yaml.CSafeLoader)
    t2 = time.perf_counter()
    assert library == own
    return {"own_s": t1 - t0, "library_s": t2 - t1}


def config_validators() -> dict:
    """Seconds to check every setting of the example configuration by hand and with pydantic over the same
    dataclasses (its import not counted: the fleet protocol imports it before the first frame anyway; it would not
    check the bounds, so its figure is a lower bound)."""
    import tomllib

    import pydantic

    from kiosk.config.schema import KioskConfig
    from kiosk.config.sections import parse

    raw = tomllib.loads((ROOT / "config" / "kiosk.example.toml").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    own = parse(KioskConfig, raw)
    t1 = time.perf_counter()
    library = pydantic.TypeAdapter(KioskConfig).validate_python(raw)
    t2 = time.perf_counter()
    assert library == own
    return {"own_s": t1 - t0, "library_s": t2 - t1}


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclass
class Rig:
    """What the kiosk talks to, shared by every run, and the two children's environments."""

    printer: PrinterSimulator
    idcard: IdCardSimulator
    births: queue.Queue[float]
    """Monotonic arrival times of the kiosk's births on the broker."""
    bare: tuple[list[str], dict[str, str]]
    """Command line and environment of the bare window."""
    kiosk: tuple[list[str], dict[str, str]]
    """Command line and environment of `kiosk run`."""


@dataclass(frozen=True)
class Started:
    """A child that sent READY=1: when it was spawned (monotonic s), how long READY took, its RSS then."""

    process: subprocess.Popen
    spawned_s: float
    ready_s: float
    rss_kb: int


@contextmanager
def started_rig(root: Path, display: str, entry: str) -> Iterator[Rig]:
    """Mosquitto, the two simulators, a listener for births, a production-like system file and credentials, and the
    kiosk's data directory (kept between runs, as on a kiosk); all stopped on exit."""
    import paho.mqtt.client as mqtt
    import tomli_w

    from firmware_bridge.sim.idcard_sim import IdCardSimulator
    from firmware_bridge.sim.printer_sim import PrinterSimulator
    from kiosk.core.credentials import FLEET_TLS_KEY
    from kiosk.fleet import protocol
    from kiosk.fleet.console.broker_auth import INGEST_GROUP
    from kiosk.ui.environment import DESIGN_HEIGHT_PX, DESIGN_WIDTH_PX
    from tests.integration.fleet.conftest import REGION, SERVER_PASSWORD, SERVER_USER, Broker

    with ExitStack() as stack:
        broker = Broker(root / "broker", [KID])
        broker.start()
        stack.callback(broker.stop)
        printer = PrinterSimulator(xonxoff=True)
        printer.start()
        stack.callback(printer.stop)
        idcard = IdCardSimulator()
        idcard.start()
        stack.callback(idcard.stop)
        births: queue.Queue[float] = queue.Queue()
        birth_topic = protocol.Topics(REGION, KID).up("birth")
        listener = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-startup", protocol=mqtt.MQTTv5)
        listener.username_pw_set(SERVER_USER, SERVER_PASSWORD)
        listener.on_message = lambda _c, _u, message: births.put(time.monotonic()) if message.topic == birth_topic \
            else None
        listener.connect("127.0.0.1", broker.port)
        # The central server's own subscription (its role may subscribe to nothing narrower).
        listener.subscribe(f"$share/{INGEST_GROUP}/{protocol.ROOT}/+/+/up/#", qos=1)
        listener.loop_start()
        stack.callback(listener.disconnect)
        stack.callback(listener.loop_stop)
        tls = broker.kiosk_tls(KID)
        credentials = root / "credentials"  # the unit's LoadCredential=fleet_tls_key:/etc/kiosk/tls/kiosk.key
        credentials.mkdir()
        (credentials / FLEET_TLS_KEY).write_bytes(Path(tls.pop("key_file")).read_bytes())
        data = root / "kiosk"
        system_file = root / "kiosk.toml"
        system_file.write_text(tomli_w.dumps({
            "schema_version": 1,
            "kiosk": {"id": KID, "region": REGION},
            "paths": {"data_dir": str(data)},
            # The simulator paces with XON/XOFF: a pty has no RTS/CTS lines.
            "printer": {"kind": "serial", "port": printer.port_path, "flow_control": "xonxoff"},
            "idcard": {"kind": "serial", "port": idcard.port_path},
            # One kiosk, not a site powering on together: no random delay before the first connect.
            "fleet": {"enabled": True, "host": "127.0.0.1", "start_jitter_s": 0.0,
                      "content_dir": str(data / "content"), **tls},
            "legal_aid": {"verification_key_file": str(data / "opinion.key"),
                          "application_key_file": str(data / "legal_aid_application.key")},
        }))
        base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") and k != "NOTIFY_SOCKET"}
        # What the systemd unit sets: its Environment=, WatchdogSec=30 and LoadCredential= lines.
        bare_env = {**base, "DISPLAY": display, "KIVY_WINDOW": "sdl2", "KIVY_HOME": str(root / "bare-kivy")}
        kiosk_env = {**bare_env, "WATCHDOG_USEC": "30000000", "CREDENTIALS_DIRECTORY": str(credentials),
                     "KIOSK_CONFIG_FILE": str(system_file), "KIOSK_OVERRIDES_FILE": str(data / "overrides.toml")}
        bare_argv = [sys.executable, "-m", "tests.bench.bare_window", str(DESIGN_WIDTH_PX), str(DESIGN_HEIGHT_PX)]
        yield Rig(printer, idcard, births, bare=(bare_argv, bare_env), kiosk=([entry, "run"], kiosk_env))


def start_until_ready(child: tuple[list[str], dict[str, str]], log: Path) -> Started:
    """Spawn a child (command line, environment) with a NOTIFY_SOCKET of ours and wait for its READY=1."""
    argv, env = child
    path = log.with_suffix(".notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify, log.open("w") as stderr:
        notify.bind(str(path))
        notify.settimeout(POLL_S)
        t0 = time.monotonic()
        process = subprocess.Popen(argv, cwd=ROOT, env={**env, "NOTIFY_SOCKET": str(path)},
                                   stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        while True:
            try:
                if b"READY=1" in notify.recv(4096).split(b"\n"):
                    return Started(process, t0, time.monotonic() - t0, _rss_kb(process.pid))
            except TimeoutError:
                pass
            if process.poll() is not None or time.monotonic() - t0 > READY_TIMEOUT_S:
                _stop(process)
                raise RuntimeError(f"{argv} never sent READY=1: {log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen) -> int:
    """SIGTERM, as systemd stops the unit; the exit status (killed after STOP_TIMEOUT_S)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait(STOP_TIMEOUT_S)


def measure_bare(rig: Rig, log: Path) -> dict:
    """One start of the bare window at the kiosk's panel size: READY, then SIGTERM."""
    started = start_until_ready(rig.bare, log)
    _stop(started.process)
    return {"ready_s": started.ready_s, "rss_kb": started.rss_kb}


def measure_kiosk(rig: Rig, log: Path) -> dict:
    """One start of `kiosk run`: READY, then the birth and the devices' first exchanges, then SIGTERM."""
    while not rig.births.empty():
        rig.births.get_nowait()
    queries, sam_checks = rig.printer.status_queries, rig.idcard.count("sam_status")
    started = start_until_ready(rig.kiosk, log)
    try:
        birth_s = rig.births.get(timeout=SUBSYSTEMS_TIMEOUT_S) - started.spawned_s
    except queue.Empty:
        birth_s = None
    printer = rig.printer.wait_until(lambda sim: sim.status_queries > queries, SUBSYSTEMS_TIMEOUT_S)
    idcard = rig.idcard.wait_for_command("sam_status", sam_checks + 1, SUBSYSTEMS_TIMEOUT_S)
    exit_status = _stop(started.process)
    if exit_status != 0:
        raise RuntimeError(f"kiosk run exited with {exit_status} on SIGTERM: {log.read_text()[-3000:]}")
    return {"ready_s": started.ready_s, "rss_kb": started.rss_kb, "birth_s": birth_s,
            "devices_answered": printer and idcard}


def _fresh_medians(function: str) -> dict:
    """Medians over RUNS fresh interpreters of a function of this module that returns seconds by name."""
    code = f"import json; from tests.bench.startup import {function}; print(json.dumps({function}()))"
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                      check=True, timeout=READY_TIMEOUT_S).stdout) for _ in range(RUNS)]
    return {name: round(statistics.median(run[name] for run in runs), 4) for name in runs[0]}


def alternatives(headroom_s: float) -> dict:
    """The library alternatives' extra seconds before the first frame, and whether they fit the headroom."""
    found = {"locale_pyyaml": _fresh_medians("locale_readers"), "config_pydantic": _fresh_medians("config_validators")}
    for figures in found.values():
        figures["extra_s"] = round(figures["library_s"] - figures["own_s"], 4)
        figures["fits_budget"] = figures["extra_s"] <= headroom_s
    return found


def compile_kiosk() -> None:
    """Give the kiosk's modules the bytecode an installed kiosk has (pip compiles them on install) and Kivy's
    already have; where PYTHONDONTWRITEBYTECODE is set, a source checkout would otherwise compile every module
    at every start."""
    for package in ("kiosk", "firmware_bridge", "tests"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise SystemExit(f"could not compile {package}")


def console_script() -> str:
    """The `kiosk` console script beside this interpreter: what the systemd unit's ExecStart runs."""
    script = Path(sys.executable).with_name("kiosk")
    if not script.exists():
        raise SystemExit(f"{script} not found: install the kiosk into this environment (pip install -e .)")
    return str(script)


def _median(runs: list[dict], name: str) -> float | None:
    """The median of one figure, or None when any run did not get that far."""
    values = [run[name] for run in runs]
    return None if None in values else statistics.median(values)


def _figures(runs: list[dict]) -> dict:
    """Median start time and RSS of one child's runs, with each run's start time (the spread)."""
    return {"ready_s": round(_median(runs, "ready_s"), 3), "rss_mb": round(_median(runs, "rss_kb") / 1024, 1),
            "ready_s_each_run": [round(run["ready_s"], 3) for run in runs]}


def main() -> None:
    from kiosk.runtime.display import have_display, start_xvfb

    entry = console_script()
    compile_kiosk()
    load_before = os.getloadavg()
    runs: dict[str, list[dict]] = {"bare": [], "kiosk": []}
    with ExitStack() as stack:
        if have_display():
            display = os.environ["DISPLAY"]
        else:
            xvfb, display = start_xvfb()
            stack.callback(xvfb.wait, timeout=10)
            stack.callback(xvfb.terminate)
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-startup-")))
        rig = stack.enter_context(started_rig(root, display, entry))
        for number in range(RUNS + 1):  # run 0 warms the page cache and makes the data directory a kiosk restarts with
            for kind, measure in (("bare", measure_bare), ("kiosk", measure_kiosk)):
                result = measure(rig, root / f"{kind}{number}.log")
                if number:
                    runs[kind].append(result)
    load_after = os.getloadavg()
    bare, kiosk = _figures(runs["bare"]), _figures(runs["kiosk"])
    birth_s = _median(runs["kiosk"], "birth_s")
    headroom_s = round(BUDGET_RATIO * bare["ready_s"] - kiosk["ready_s"], 3)
    print(json.dumps({
        "entry": "kiosk run",
        "runs": RUNS,
        "bare_kivy": bare,
        "kiosk_home": kiosk,
        "start_ratio": round(kiosk["ready_s"] / bare["ready_s"], 2),
        "rss_ratio": round(kiosk["rss_mb"] / bare["rss_mb"], 2),
        "start_ratio_each_turn": [round(k["ready_s"] / b["ready_s"], 2) for b, k in zip(runs["bare"], runs["kiosk"])],
        "load_average_1m": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "budget_ratio": BUDGET_RATIO,
        "kiosk_fleet_birth_s": None if birth_s is None else round(birth_s, 3),
        "kiosk_devices_answered": all(run["devices_answered"] for run in runs["kiosk"]),
        "start_headroom_s": headroom_s,
        "library_alternatives": alternatives(headroom_s),
    }))


if __name__ == "__main__":
    main()
