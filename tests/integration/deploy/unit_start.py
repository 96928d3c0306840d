"""One start of the installed kiosk.service as systemd would make it, run inside the scratch root.

ExecStartPre (as root for "+"), ExecStart as the unit's User/Group/SupplementaryGroups with its Environment=, the
credentials of LoadCredential= in a private directory, WATCHDOG_USEC and a NOTIFY_SOCKET of ours; READY=1 awaited
for TimeoutStartSec; ExecStartPost with $MAINPID; then SIGTERM, as `systemctl stop`, and ExecStopPost. The unit's
TTYPath is played by a pty (this machine's own console is never touched). Prints one JSON object:
{"outcome": "ready" | "exited" | "timeout" | "pre_failed" | "post_failed", "pre": [...], "post": [...],
 "stop_post": [...], "status": exit status, "tty": what the hooks wrote to the terminal (latin-1),
 "log": the kiosk's stderr tail}.

Why: the scratch root has no systemd of its own; this plays its part for exactly the settings the release guard
and the display rely on, read from the unit file install.sh put in place, so the test checks that file too.
`--env KEY=VALUE` overrides the unit's environment (the test's one difference: X11 on Xvfb instead of KMS/DRM).
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

UNIT = Path("/etc/systemd/system/kiosk.service")
CREDENTIALS = Path("/run/credentials/kiosk.service")
STOP_TIMEOUT_S = 30.0
POLL_S = 0.5
LOG_TAIL_CHARS = 3000


def service_section(path: Path) -> dict[str, list[str]]:
    """The [Service] settings, each key with all its values in order (repeated keys such as ExecStartPre add up)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def seconds(value: str) -> float:
    """A systemd time span of the forms this unit uses: `90`, `90s`, `2min`."""
    if value.endswith("min"):
        return float(value[:-3]) * 60
    return float(value.removesuffix("s"))


def run_hook(line: str, main_pid: int | None, tty: tuple[str, str]) -> dict:
    """One ExecStartPre/ExecStartPost/ExecStopPost line; "+" runs it with full privileges (we are root), "-"
    ignores its failure; `tty` = (the unit's TTYPath, the pty standing in for it)."""
    prefixes = ""
    while line and line[0] in "+-!@:":
        prefixes, line = prefixes + line[0], line[1:]
    argv = [a.replace("${MAINPID}", str(main_pid)).replace("$MAINPID", str(main_pid)).replace(*tty)
            for a in shlex.split(line)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={"PATH": os.environ["PATH"]})
    return {"argv": argv, "status": result.returncode, "ignored": "-" in prefixes,
            "output": (result.stdout + result.stderr).strip()}


def environment(settings: dict[str, list[str]], overrides: list[str]) -> dict[str, str]:
    """What systemd gives the main process: PATH, the user's HOME/USER, Environment=, credentials, watchdog."""
    user = pwd.getpwnam(settings["User"][0])
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": user.pw_dir, "USER": user.pw_name,
           "LOGNAME": user.pw_name, "SHELL": user.pw_shell, "LANG": "C.UTF-8"}
    for line in settings.get("Environment", []):
        env.update(item.split("=", 1) for item in shlex.split(line))
    if "WatchdogSec" in settings:
        env["WATCHDOG_USEC"] = str(int(seconds(settings["WatchdogSec"][0]) * 1e6))
    if "LoadCredential" in settings:
        CREDENTIALS.mkdir(parents=True, exist_ok=True)
        for line in settings["LoadCredential"]:
            name, source = line.split(":", 1)
            shutil.copyfile(source, CREDENTIALS / name)
            os.chown(CREDENTIALS / name, user.pw_uid, user.pw_gid)
            os.chmod(CREDENTIALS / name, 0o400)
        env["CREDENTIALS_DIRECTORY"] = str(CREDENTIALS)
    env.update(item.split("=", 1) for item in overrides)
    return env


def start(settings: dict[str, list[str]], overrides: list[str], log: Path) -> dict:
    """One start, as far as systemd takes it; the process is stopped again before returning."""
    master, slave = os.openpty()
    try:
        tty = (settings.get("TTYPath", ["/dev/tty1"])[0], os.ttyname(slave))
        result = start_on(settings, overrides, log, tty)
        os.set_blocking(master, False)
        try:
            result["tty"] = os.read(master, 4096).decode("latin-1")
        except BlockingIOError:
            result["tty"] = ""
        return result
    finally:
        os.close(master)
        os.close(slave)


def start_on(settings: dict[str, list[str]], overrides: list[str], log: Path, tty: tuple[str, str]) -> dict:
    """`start` with the terminal chosen."""
    pre = [run_hook(line, None, tty) for line in settings.get("ExecStartPre", [])]
    if any(h["status"] != 0 and not h["ignored"] for h in pre):
        return {"outcome": "pre_failed", "pre": pre, "post": [], "stop_post": [], "status": None, "log": ""}
    env = environment(settings, overrides)
    notify_path = Path("/run") / f"kiosk-notify-{os.getpid()}"
    timeout_s = seconds(settings.get("TimeoutStartSec", ["90"])[0])
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify, log.open("w") as stderr:
        notify.bind(str(notify_path))
        os.chmod(notify_path, 0o666)  # the main process runs as the unit's user
        notify.settimeout(POLL_S)
        process = subprocess.Popen(shlex.split(settings["ExecStart"][0]), env={**env, "NOTIFY_SOCKET": str(notify_path)},
                                   user=settings["User"][0], group=settings["Group"][0],
                                   extra_groups=shlex.split(settings.get("SupplementaryGroups", [""])[0]),
                                   cwd="/", stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        outcome = wait_ready(notify, process, timeout_s)
        post: list[dict] = []
        if outcome == "ready":
            post = [run_hook(line, process.pid, tty) for line in settings.get("ExecStartPost", [])]
            if any(h["status"] != 0 and not h["ignored"] for h in post):
                outcome = "post_failed"
        status = stop(process)
    stop_post = [run_hook(line, process.pid, tty) for line in settings.get("ExecStopPost", [])]
    return {"outcome": outcome, "pre": pre, "post": post, "stop_post": stop_post, "status": status,
            "log": log.read_text(errors="replace")[-LOG_TAIL_CHARS:]}


def wait_ready(notify: socket.socket, process: subprocess.Popen, timeout_s: float) -> str:
    """"ready" on READY=1, "exited" when the process ends first, "timeout" after TimeoutStartSec."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if b"READY=1" in notify.recv(4096).split(b"\n"):
                return "ready"
        except TimeoutError:
            pass
        if process.poll() is not None:
            return "exited"
    return "timeout"


def stop(process: subprocess.Popen) -> int:
    """SIGTERM, then SIGKILL after the stop timeout; the exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE over the unit's environment")
    parser.add_argument("--log", required=True, help="file for the kiosk's output")
    args = parser.parse_args()
    print(json.dumps(start(service_section(UNIT), args.env, Path(args.log))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
