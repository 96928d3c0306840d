"""The diagnostic bundle (issue 17 item 7) from a composed kiosk after a citizen's session: an ID card read from the
simulator over a pty, a typed question, a legal-aid pre-application with a phone number, a slip printed on the
printer simulator. The kiosk's logging is set up as `kiosk run` sets it up (at DEBUG) and what it wrote is the
stand-in journal the bundle reads, as `upload_logs` reads it. Nothing personal is in the bundle, the PIN's hash
is not, and a stick that is missing, full or read-only is said so in one line with nothing left on it (the full
and read-only sticks are tmpfs mounts in a private user and mount namespace)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.runtime.bootstrap import build
from kiosk.runtime.diag_bundle import REMOVED, export_from_app
from kiosk.config.loader import load
from kiosk.core.clock import SystemClock
from kiosk.services.pin import hash_pin
from kiosk.storage.diagnostics import counts
from tests.integration.app.fleet_commands_support import standins, wait_until  # noqa: F401  (fixtures)
from tests.integration.app.test_fleet_commands_logs import (a_session_with_a_card_and_typed_text,  # noqa: F401
                                                            journal, kiosk_logging)
from tests.integration.fleet.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
CLI_TIMEOUT_S = 60


@pytest.fixture
def kiosk(clean_env, standins, monkeypatch):  # noqa: F811  (standins is the imported fixture)
    """A composed kiosk with the reader and printer simulators, its fleet link pointed at a closed port (telemetry
    waits in the outbox) and a maintenance PIN; stopped at teardown."""
    settings = {"KIOSK_KIOSK__ID": "k-0042", "KIOSK_IDCARD__KIND": "sim", "KIOSK_PRINTER__KIND": "sim",
                "KIOSK_FLEET__ENABLED": "true", "KIOSK_FLEET__TLS": "false", "KIOSK_FLEET__PORT": str(free_port()),
                "KIOSK_FLEET__START_JITTER_S": "0", "KIOSK_MAINTENANCE__PIN_HASH": hash_pin("2468")}
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    composed = build(load(), clock=SystemClock())
    composed.start()
    assert composed.wait_started(30)
    yield composed
    composed.stop()


def an_opinion(kiosk):
    """The opinion of the labour flow's first example, answered through the engine."""
    interview = kiosk.citizen.begin("labor")
    answers = interview.flow.examples[0].answers
    while interview.state.value == "asking":
        interview.answer(answers[interview.page.id])
    return kiosk.citizen.issue_opinion()


def unpacked(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name).decode("utf-8") for name in bundle.namelist()}


def run_cli(*args: str, wrap: list[str] | None = None) -> subprocess.CompletedProcess:
    """`kiosk diag bundle ARGS` in a child with this test's environment (optionally under `wrap`)."""
    command = [sys.executable, "-m", "kiosk", "diag", "bundle", *args]
    return subprocess.run([*(wrap or []), *command], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S)


def test_a_bundle_after_a_session_holds_the_kiosks_state_and_nothing_personal(kiosk_logging, kiosk, journal,  # noqa: F811
                                                                               tmp_path):
    personal = a_session_with_a_card_and_typed_text(kiosk)
    wait_until(lambda: kiosk.printing.state.value == "online", what="printer online")
    kiosk.printing.submit(an_opinion(kiosk))
    printer = kiosk.devices.printer.simulator
    assert printer.wait_until(lambda sim: sim.printout.count("cut") == 1, 60)
    wait_until(lambda: kiosk.db.call(lambda db: db["print_jobs"].count_where("state = 'printed'")) == 1,
               what="the printed job recorded")
    assert kiosk.outbox.flush(10)
    journal.write(kiosk_logging.readouterr().err)
    stick = tmp_path / "stick"
    stick.mkdir()

    written = export_from_app(kiosk, stick)

    assert written.path.parent == stick and written.path.name.startswith("kiosk-diag-k-0042-")
    assert [p.name for p in stick.iterdir()] == [written.path.name], "only the bundle, no temporary left"
    files = unpacked(written.path)
    assert sorted(files) == ["config.json", "journal.jsonl", "summary.json"]
    text = "\n".join(files.values())
    assert [p for p in personal if p in text] == []
    assert kiosk.config.maintenance.pin_hash not in text
    summary = json.loads(files["summary.json"])
    assert summary["kiosk"]["id"] == "k-0042" and summary["versions"]["content"]
    assert summary["running"]["safe_mode"] is False and summary["running"]["boot_id"] == kiosk.boot_id
    health = {h["name"]: h["ok"] for h in summary["running"]["health"]}
    assert health["printer"] is True and health["idcard"] is True and health["storage"] is True
    storage = summary["storage"]
    assert storage["print_jobs"] == {"printed": 1}
    assert float(storage["printer_counters"]["cuts"]) == 1 and float(storage["printer_counters"]["printed_mm"]) > 0
    assert storage["legal_aid_applications"] == {"waiting": 1, "handed_over": 0}
    assert storage["outbox"]["usage"]["backlog"] > 0, "the session's events wait for the bureau"
    assert summary["journal"]["entries"] == len(files["journal.jsonl"].splitlines()) > 0
    messages = [json.loads(line)["MESSAGE"] for line in files["journal.jsonl"].splitlines()]
    assert any("legal-aid pre-application" in m for m in messages), "the session's own log lines are there"
    config = {entry["key"]: entry["value"] for entry in json.loads(files["config.json"])}
    assert config["maintenance.pin_hash"] == REMOVED and config["kiosk.id"] == "k-0042"
    assert config["printer.kind"] == "sim"


def test_the_command_line_writes_the_same_counts_beside_the_running_kiosk(kiosk, tmp_path):
    kiosk.outbox.record("ui", "ui.tap", {"screen": "maintenance", "control": "test"})
    assert kiosk.outbox.flush(10)
    stick = tmp_path / "stick"
    stick.mkdir()
    done = run_cli("--to", str(stick))
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    summary = json.loads(unpacked(Path(reply["path"]))["summary.json"])
    assert summary["running"] is None, "written beside the app, not by it"
    assert summary["storage"]["outbox"]["ui"]["backlog"] >= 1
    assert summary["storage"]["outbox"] == kiosk.db.call(counts)["outbox"]


def test_no_stick_is_said_plainly(clean_env, standins):  # noqa: F811
    done = run_cli()
    assert done.returncode == 1 and done.stderr.startswith("kiosk: DIA-001 ") and done.stdout == ""


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare not installed")
@pytest.mark.parametrize("prepare, code", [
    ("dd if=/dev/zero of=$STICK/photos bs=1k count=64 2>/dev/null", "DIA-002"),  # a full stick
    ("mount -o remount,ro $STICK", "DIA-003"),  # the write-protect switch
])
def test_a_full_or_read_only_stick_is_refused_with_nothing_left_on_it(clean_env, standins, tmp_path, prepare,  # noqa: F811
                                                                       code):
    stick = tmp_path / "stick"
    stick.mkdir()
    script = (f"mount -t tmpfs -o size=64k tmpfs $STICK && {prepare}; "
              f"{sys.executable} -m kiosk diag bundle --to $STICK; echo \"exit=$?\"; ls -A $STICK")
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], cwd=ROOT,
                          env={**os.environ, "STICK": str(stick)}, capture_output=True, text=True,
                          timeout=CLI_TIMEOUT_S)
    if "Operation not permitted" in done.stderr and "unshare" in done.stderr:
        pytest.skip("user namespaces are not allowed here")
    assert done.stderr.startswith(f"kiosk: {code} "), done.stderr
    lines = done.stdout.split()
    assert lines[0] == "exit=1" and [name for name in lines[1:] if "kiosk-diag" in name] == []
