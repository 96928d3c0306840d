"""A scratch root for the installer: this machine's /etc, /opt, /usr and /var seen through overlays whose changes
land in a test directory, inside a private mount namespace, with an empty /run so no systemd or udev is reached.

Why: install.sh must be run as on a terminal (real paths, real useradd, real venvs under /opt/kiosk) without
touching this machine. Each `run` is a fresh namespace over the same upper directories, so the scratch root
persists from one command to the next like a disk, and the test reads what changed straight from them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

OVERLAID = ("etc", "opt", "usr", "var")
STANDINS = Path(__file__).with_name("standins")
"""apt-get and dpkg-query stand-ins: the packages asked for are recorded, nothing is downloaded."""
MOUNT_SCRIPT = """set -eu
for d in {dirs}; do
    mount -t overlay overlay -o "lowerdir=/$d,upperdir=$SCRATCH/upper/$d,workdir=$SCRATCH/work/$d" "/$d"
done
mount -t tmpfs -o mode=0755 tmpfs /run
# Refuse to go on unless every overlay is in place: nothing may reach this machine's own directories.
for d in {dirs}; do [ "$(findmnt -n -o FSTYPE "/$d")" = overlay ]; done
exec "$@"
""".format(dirs=" ".join(OVERLAID))


def available() -> str:
    """Why a scratch root cannot be made here ("" when it can): it needs root and unshare."""
    if os.geteuid() != 0:
        return "the scratch root needs root (mount namespaces and overlays)"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    return ""


class ScratchRoot:
    """A persistent overlay root under `base`; commands run in it with the apt stand-ins first on PATH."""

    def __init__(self, base: Path) -> None:
        self.base = base
        for d in OVERLAID:
            (base / "upper" / d).mkdir(parents=True, exist_ok=True)
            (base / "work" / d).mkdir(parents=True, exist_ok=True)
        self.apt_log = base / "apt.log"
        self.brltty_flag = base / "brltty-installed"
        """While this file exists, the dpkg-query stand-in reports brltty installed; apt-get purge removes it."""

    def changed(self, path: str) -> Path:
        """Where a file the scratch root wrote at absolute `path` lands (absent when it did not write it)."""
        return self.base / "upper" / path.lstrip("/")

    def command(self, argv: list[str], *, network: bool = True) -> list[str]:
        """`argv` wrapped to run inside a fresh namespace over this scratch root (without `network`, also in a
        network namespace of its own: no registry can be reached)."""
        isolate = [] if network else ["--net"]
        return ["unshare", "--mount", "--propagation", "private", *isolate, "--", "sh", "-c", MOUNT_SCRIPT, "scratch",
                *argv]

    def environment(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """This process's environment with the stand-ins first on PATH and the scratch directory named."""
        return {**os.environ, "PATH": f"{STANDINS}:{os.environ['PATH']}", "SCRATCH": str(self.base),
                "KIOSK_TEST_APT_LOG": str(self.apt_log), "KIOSK_TEST_BRLTTY_FLAG": str(self.brltty_flag),
                **(extra or {})}

    def run(self, argv: list[str], *, timeout_s: float, env: dict[str, str] | None = None, check: bool = True,
            network: bool = True) -> subprocess.CompletedProcess:
        """Run `argv` in the scratch root, output captured; raises with the output when it fails and `check`."""
        result = subprocess.run(self.command(argv, network=network), env=self.environment(env), capture_output=True,
                                text=True, timeout=timeout_s, stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise AssertionError(f"{argv} exited {result.returncode}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result
