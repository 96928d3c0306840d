"""App updates from the fleet on a scratch-root terminal: the bureau's console sends a signed release as a job over a
real Mosquitto, the installed kiosk (started and restarted as systemd would, kiosk-update.path played beside it)
downloads it, the root installer installs it, the kiosk restarts into it; a good release is committed and the job
says SUCCEEDED from the new process, a broken one is rolled back by the guard and the job says FAILED with why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from kiosk.fleet.console import control
from tests.integration.deploy.scratch_root import ScratchRoot
from tests.integration.deploy.test_install import install, kiosk_wheel, links
from tests.integration.deploy.wheels import derive, read_member
from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION, ServerUnderTest, wait_until
from tests.integration.fleet.test_content_job import PackServer

pytestmark = [pytest.mark.slow, pytest.mark.broker, pytest.mark.timeout(1500)]

KID = "k-0001"
JOB_TIMEOUT_S = 600
STOP_TIMEOUT_S = 120


def configure(root: ScratchRoot, port: int, bureau: Ed25519PrivateKey) -> None:
    """What provisioning leaves on the terminal: its identity, the broker (the test listener, by password) and the
    bureau's signing key."""
    root.changed("/etc/kiosk/kiosk.toml").write_text(
        f'schema_version = 1\n[kiosk]\nid = "{KID}"\nregion = "{REGION}"\n'
        f'[fleet]\nenabled = true\nhost = "127.0.0.1"\nport = {port}\ntls = false\n'
        'password_file = "/etc/kiosk/credentials/mqtt_password"\nstart_jitter_s = 0.0\nreconnect_base_s = 0.5\n'
        'reconnect_cap_s = 2.0\n')
    root.changed("/etc/kiosk/credentials/mqtt_password").write_text(KIOSK_PASSWORD)
    root.changed("/etc/kiosk/content-signing.pub").write_text(
        bureau.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex())


class Terminal:
    """The installed unit kept running in the scratch root (tests/integration/deploy/unit_start.py --supervise)."""

    def __init__(self, root: ScratchRoot, base: Path, display: str) -> None:
        self.events = base / "events.jsonl"
        self.stop_file = base / "stop"
        logs = base / "logs"
        logs.mkdir()
        argv = [sys.executable, "-m", "tests.integration.deploy.unit_start", "--log", str(logs),
                "--supervise", str(self.events), "--stop", str(self.stop_file), "--restart-s", "1",
                "--env", f"DISPLAY={display}", "--env", "SDL_VIDEODRIVER=x11"]
        self.output = base / "supervisor.log"
        with self.output.open("w") as out:
            self.process = subprocess.Popen(root.command(argv), env=root.environment(), stdin=subprocess.DEVNULL,
                                            stdout=out, stderr=subprocess.STDOUT)

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.events.read_text().splitlines()] if self.events.exists() else []

    def starts(self) -> list[dict]:
        return [r for r in self.records() if "start" in r]

    def updates(self) -> list[dict]:
        return [r["update"] for r in self.records() if "update" in r]

    def running(self) -> bool:
        """Whether the supervisor still runs (it stops only when told to); fails with its output otherwise."""
        assert self.process.poll() is None, self.output.read_text()[-4000:]
        return True

    def stop(self) -> str:
        self.stop_file.touch()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.output.read_text()[-4000:]


def job_state(server: ServerUnderTest, terminal: Terminal, job_id: str) -> dict:
    final = ("SUCCEEDED", "FAILED", "ROLLED_BACK", "REJECTED", "TIMED_OUT")
    wait_until(lambda: terminal.running() and (server.db.call(lambda d: control.store.job_row(d, job_id, KID))
                                               or {}).get("status") in final,
               timeout_s=JOB_TIMEOUT_S, what=f"final state of {job_id}", poll_s=0.5)
    return server.db.call(lambda d: control.store.job_row(d, job_id, KID))


def test_fleet_update_commits_a_good_release_and_rolls_a_broken_one_back(bundle, broker, display, tmp_path) -> None:
    root = ScratchRoot(tmp_path / "root")
    install(root, str(bundle / "install.sh"), network=False)
    bureau = Ed25519PrivateKey.generate()
    configure(root, broker.port, bureau)
    wheel = kiosk_wheel(bundle)
    first = wheel.name.split("-")[1]
    healthy = derive(wheel, tmp_path, f"{first}.post1")
    runner = read_member(wheel, "kiosk/runtime/runner.py")
    broken = derive(wheel, tmp_path, f"{first}.post2",
                    replace={"kiosk/runtime/runner.py": runner + b"\nimport kiosk.module_this_release_forgot\n"})
    artifacts = PackServer()
    threading.Thread(target=artifacts.serve_forever, daemon=True).start()
    for release in (healthy, broken):
        artifacts.files[release.name] = release.read_bytes()
    server = ServerUnderTest(tmp_path / "console.db", broker).start()
    terminal = Terminal(root, tmp_path, display)
    try:
        wait_until(lambda: terminal.running() and server.scalar("SELECT COUNT(*) FROM kiosks WHERE birth IS NOT NULL")
                   == 1, timeout_s=180,
                   what="the installed kiosk's birth", poll_s=0.5)

        def send(job_id: str, release: Path, version: str):
            return control.send_job(server.db, server.server._broker, server.clock, KID, job_id=job_id,
                                    version=version, pack=release, url=artifacts.url(release.name),
                                    signing_key=bureau, kind="app_update")

        send("app-1", healthy, f"{first}.post1")
        row = job_state(server, terminal, "app-1")
        assert row["status"] == "SUCCEEDED", (row, terminal.records())
        assert row["progress_of"] == healthy.stat().st_size and any(r.startswith("bytes=") for r in artifacts.ranges)
        assert links(root) == (f"{first}.post1", f"{first}.post1")
        assert terminal.updates()[0]["output"] == f"app-1#1: {first}.post1 installed, switched to at the next start"
        history = [json.loads(line) for line in root.changed("/opt/kiosk/history.jsonl").read_text().splitlines()]
        assert [(e["event"], e["version"]) for e in history[-5:]] == [
            ("installed", f"{first}.post1"), ("pending", f"{first}.post1"), ("switched", f"{first}.post1"),
            ("started", f"{first}.post1"), ("committed", f"{first}.post1")]
        # Only the kiosk's own wheel travelled: its dependencies came from the wheelhouse the bundle left.
        assert sorted(os.listdir(root.changed("/opt/kiosk/wheelhouse"))) == sorted(
            p.name for p in (bundle / "wheelhouse").glob("*.whl") if not p.name.startswith("legal_kiosk-"))

        send("app-2", broken, f"{first}.post2")
        row = job_state(server, terminal, "app-2")
        assert row["status"] == "FAILED" and "not healthy after 3 starts" in row["error"], (row, terminal.records())
        assert links(root) == (f"{first}.post1", f"{first}.post1")
    finally:
        output = terminal.stop()
        server.stop()
        artifacts.shutdown()
        artifacts.server_close()
    assert terminal.process.returncode == 0, output
    # The restart into the broken release, its 3 failed starts, and the good one put back (it reported FAILED).
    starts = terminal.starts()
    assert [s["outcome"] for s in starts[-4:]] == ["exited", "exited", "exited", "ready"], starts
    assert "module_this_release_forgot" in starts[-2]["log"]
    assert starts[-1]["pre"][-1]["output"].startswith(f"rolled back {first}.post2 -> {first}.post1")
