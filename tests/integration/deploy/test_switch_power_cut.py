"""Power-cut drill of the release switch on a scratch-root terminal: the guard switching, counting trial starts and
rolling back in a loop is SIGKILLed at random moments; after every kill `current` and `good` each name one whole
installed release, the trial record is whole, and the next boot-check runs.

What it cannot show: a SIGKILL keeps what the kernel has not yet written, a power cut does not; that each step is
synced before the next (kiosk.release.durable) is read in the code, not measured here.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.deploy.scratch_root import ScratchRoot
from tests.integration.deploy.test_install import install, kiosk_wheel
from tests.integration.deploy.wheels import derive

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

KILLS = 60
KILL_AFTER_S = (0.0, 0.5)
"""A kill lands this long after the loop said it began switching (one round of it takes some tens of ms)."""
GOOD_PYTHON = "/opt/kiosk/good/venv/bin/python"

SWITCHING = """
import itertools, sys
from pathlib import Path
from kiosk.release import guard
from kiosk.release.tree import ReleaseTree
tree, data = ReleaseTree(Path("/opt/kiosk")), Path("/var/lib/kiosk")
releases = sys.argv[1:]
print("switching", flush=True)
for i in itertools.count():
    target = releases[i % 2]
    guard.switch(tree, target)
    for _ in range(guard.MAX_STARTS + 1):
        guard.boot_check(tree, data)
    guard.roll_back(tree, target, "drill")
"""
"""The loop the drill kills: a trial switched to, its starts counted until it is rolled back, a manual rollback."""

CHECK = """
import json, os
from pathlib import Path
from kiosk.release import guard
from kiosk.release.tree import HISTORY, TRIAL, ReleaseTree
root = Path("/opt/kiosk")
tree = ReleaseTree(root)
state = {name: {"target": os.readlink(root / name), "release": tree.linked(name)} for name in ("current", "good")}
state["whole"] = all((root / s["target"] / "venv" / "bin" / "python").exists() for s in state.values())
try:
    json.loads((root / TRIAL).read_text())
    state["trial"] = "whole"
except FileNotFoundError:
    state["trial"] = "none"
except ValueError:
    state["trial"] = "torn"
lines = (root / HISTORY).read_text().splitlines()
state["torn_history_lines"] = sum(1 for line in lines if not line.endswith("}"))
state["leftovers"] = sorted(p.name for p in root.iterdir() if p.name.endswith(".tmp"))
state["boot_check"] = guard.boot_check(tree, Path("/var/lib/kiosk"))
print(json.dumps(state))
"""
"""What the next boot finds, then the boot-check it runs."""


def test_killing_the_switch_at_random_never_leaves_half_a_release(bundle: Path, tmp_path: Path) -> None:
    root = ScratchRoot(tmp_path / "root")
    install(root, str(bundle / "install.sh"), network=False)
    wheel = kiosk_wheel(bundle)
    first = wheel.name.split("-")[1]
    second = f"{first}.post1"
    install(root, str(bundle / "install.sh"), "--wheel", str(derive(wheel, tmp_path, second)), "--wheelhouse",
            str(bundle / "wheelhouse"), network=False)
    releases = {first, second}
    chance = random.Random(17)
    states = []
    for _kill in range(KILLS):
        with subprocess.Popen(root.command([GOOD_PYTHON, "-I", "-c", SWITCHING, first, second], network=False),
                              env=root.environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as loop:
            assert loop.stdout.readline() == "switching\n", loop.stderr.read()
            time.sleep(chance.uniform(*KILL_AFTER_S))  # the power cut's moment, not a synchronisation
            loop.send_signal(signal.SIGKILL)
            loop.wait(30)
            assert loop.returncode == -signal.SIGKILL, loop.stderr.read()  # it was still switching when cut
        checked = root.run([GOOD_PYTHON, "-I", "-c", CHECK], timeout_s=60, network=False)
        state = json.loads(checked.stdout)
        assert state["current"]["release"] in releases and state["good"]["release"] in releases, state
        assert state["whole"] and state["trial"] != "torn", state
        assert not list(root.changed("/opt/kiosk").glob(".*.tmp"))  # the boot-check cleared what the cut left
        states.append(state)
    # The kills landed at different points of the switch: on trial and not, and between a link's or a file's
    # creation and its rename (a temporary left beside it, which nothing reads and the next boot-check removes).
    assert {s["current"]["release"] == s["good"]["release"] for s in states} == {True, False}
    print(json.dumps({"kills": len(states),
                      "on_trial_when_cut": sum(s["current"]["release"] != s["good"]["release"] for s in states),
                      "cut_before_a_rename": sum(bool(s["leftovers"]) for s in states),
                      "torn_history_lines": states[-1]["torn_history_lines"],
                      "boot_check_outcomes": sorted({s["boot_check"].split(":")[0].split(" (")[0] for s in states})}))
