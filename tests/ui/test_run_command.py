"""`kiosk run --dev` as a user runs it, on a given display or on an Xvfb it starts itself: comes up to an
interactive screen, and SIGTERM to its process group (systemd's stop, a terminal's Ctrl-C) closes it cleanly with
exit code 0."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.ui

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
POLL_S = 0.1


@pytest.mark.parametrize("own_display", [False, True], ids=["given_display", "starts_its_own_xvfb"])
def test_run_dev_starts_and_stops_on_sigterm(display, tmp_path, own_display):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_") and k != "DISPLAY"}
    env.update(XDG_DATA_HOME=str(tmp_path), **({} if own_display else {"DISPLAY": display}))
    data = tmp_path / "kiosk-dev"
    process = subprocess.Popen([sys.executable, "-m", "kiosk", "run", "--dev"], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        # The crash-loop counter file exists from the start until the first frame is up (then it is removed).
        while not (data / "kiosk.db").exists() or (data / "startup_attempts").exists():
            assert process.poll() is None, process.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "the kiosk did not reach an interactive screen"
            time.sleep(POLL_S)  # polling a file written by another process, bounded by the deadline above
        os.killpg(process.pid, signal.SIGTERM)  # the whole group, as Ctrl-C or systemd's stop would
        assert process.wait(STOP_TIMEOUT_S) == 0, process.stderr.read()[-3000:]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stderr.close()
    assert not (data / "startup_attempts").exists()
