"""Ingest workers as production runs them: `kiosk fleet serve` processes on one store, killable with SIGKILL."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.integration.fleet.conftest import SERVER_PASSWORD, SERVER_USER, Broker

STARTUP_TIMEOUT_S = 60.0
ROOT = Path(__file__).resolve().parents[3]


class Worker:
    """One `kiosk fleet serve` process with a fixed client id (its broker session survives a kill)."""

    def __init__(self, db: str, broker: Broker, client_id: str, workdir: Path, *options: str) -> None:
        self.client_id = client_id
        password = workdir / "console-password"
        password.write_text(SERVER_PASSWORD)
        self.argv = [sys.executable, "-m", "kiosk", "fleet", "serve", "--db", db, "--host", "127.0.0.1",
                     "--port", str(broker.port), "--username", SERVER_USER, "--password-file", str(password),
                     "--client-id", client_id, *options]
        self.process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> Worker:
        """Start and wait until it is connected and ingesting."""
        self.process = subprocess.Popen(self.argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._reader = threading.Thread(target=lambda out=self.process.stderr: [lines.put(x) for x in out] and None,
                                        daemon=True)
        self._reader.start()
        while True:
            try:
                line = lines.get(timeout=STARTUP_TIMEOUT_S)
            except queue.Empty:
                raise AssertionError(f"{self.client_id} did not start within {STARTUP_TIMEOUT_S} s") from None
            if "ingesting as" in line:
                return self

    def kill(self) -> None:
        """SIGKILL: no clean stop, no `online:false` of its own (the broker sends its Will)."""
        self.process.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self._reap()

    def _reap(self) -> None:
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        self.process.stderr.close()
        self.process = None
