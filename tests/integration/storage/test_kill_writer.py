"""SIGKILL in the middle of writes, many times: every committed row survives and the file stays sound."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

KILLS = 25
"""Writer processes killed; each is killed after a different number of committed rows."""
ROOT = Path(__file__).resolve().parents[3]


def _run_and_kill(db_path: Path, start: int, commits_before_kill: int) -> int:
    """Start a writer, let it report `commits_before_kill` commits, SIGKILL it; returns the last reported row."""
    writer = subprocess.Popen([sys.executable, "-m", "tests.integration.storage.writer", str(db_path), str(start)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    last = start - 1
    try:
        for _ in range(commits_before_kill):
            line = writer.stdout.readline()
            if not line:
                break
            last = int(line)
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        writer.stdout.close()
    return last


def test_every_committed_row_survives_sigkill(tmp_path):
    db_path = tmp_path / "kill.db"
    next_row = 0
    acknowledged: set[int] = set()
    for attempt in range(KILLS):
        last = _run_and_kill(db_path, next_row, commits_before_kill=5 + (attempt * 7) % 40)
        acknowledged.update(range(next_row, last + 1))
        conn = sqlite3.connect(db_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            keys = {int(k.split("-")[1]) for (k,) in conn.execute("SELECT key FROM kv_state")}
        finally:
            conn.close()
        missing = acknowledged - keys
        assert not missing, f"committed rows lost after kill {attempt}: {sorted(missing)[:5]}"
        next_row = max(keys) + 1
    assert len(acknowledged) > KILLS * 5
