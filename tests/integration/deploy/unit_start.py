"""One start of the installed kiosk.service as systemd would make it, run inside the scratch root.

ExecStartPre (as root for "+"), ExecStart as the unit's User/Group/SupplementaryGroups with its Environment=, the
credentials of LoadCredential= in a private directory, WATCHDOG_USEC and a NOTIFY_SOCKET of ours; READY=1 awaited
for TimeoutStartSec; ExecStartPost with $MAINPID; then SIGTERM, as `systemctl stop`, and ExecStopPost. The unit's
TTYPath is played by a pty (this machine's own console is never touched). Prints one JSON object:
{"outcome": "ready" | "exited" | "timeout" | "pre_failed" | "post_failed", "pre": [...], "post": [...],
 "stop_post": [...], "status": exit status, "tty": what the hooks wrote to the terminal (latin-1),
 "log": the kiosk's stderr tail}.

With `--supervise EVENTS --stop FILE` it goes on as systemd would with Restart=always until FILE exists: every
start is one JSON line appended to EVENTS ({"start": n, ...the object above}), the kiosk runs until it exits by
itself, and kiosk-update.path is played beside it: each change of its PathChanged= file runs kiosk-update.service's
ExecStart as root ({"update": the hook's result}).

Why: the scratch root has no systemd of its own; this plays its part for exactly the settings the release guard
and the display rely on, read from the unit files install.sh put in place, so the test checks those files too.
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
import threading
import time
from collections.abc import Callable
from pathlib import Path

UNIT = Path("/etc/systemd/system/kiosk.service")
UPDATE_PATH = Path("/etc/systemd/system/kiosk-update.path")
UPDATE_SERVICE = Path("/etc/systemd/system/kiosk-update.service")
HOOK_TIMEOUT_S = 120
UPDATE_TIMEOUT_S = 900
CREDENTIALS = Path("/run/credentials/kiosk.service")
STOP_TIMEOUT_S = 30.0
POLL_S = 0.5
LOG_TAIL_CHARS = 3000


def service_section(path: Path, wanted: str = "[Service]") -> dict[str, list[str]]:
    """The settings of section `wanted`, each key with all its values in order (repeated keys such as ExecStartPre
    add up)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == wanted:
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def seconds(value: str) -> float:
    """A systemd time span of the forms this unit uses: `90`, `90s`, `2min`."""
    if value.endswith("min"):
        return float(value[:-3]) * 60
    return float(value.removesuffix("s"))


def run_hook(line: str, main_pid: int | None, tty: tuple[str, str], timeout_s: float = HOOK_TIMEOUT_S) -> dict:
    """One ExecStartPre/ExecStartPost/ExecStopPost line; "+" runs it with full privileges (we are root), "-"
    ignores its failure; `tty` = (the unit's TTYPath, the pty standing in for it)."""
    prefixes = ""
    while line and line[0] in "+-!@:":
        prefixes, line = prefixes + line[0], line[1:]
    argv = [a.replace("${MAINPID}", str(main_pid)).replace("$MAINPID", str(main_pid)).replace(*tty)
            for a in shlex.split(line)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, env={"PATH": os.environ["PATH"]})
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


def start(settings: dict[str, list[str]], overrides: list[str], log: Path,
          hold: Callable[[subprocess.Popen], None] = lambda _process: None) -> dict:
    """One start, as far as systemd takes it; once started, `hold` returns when the process is to be stopped."""
    master, slave = os.openpty()
    try:
        tty = (settings.get("TTYPath", ["/dev/tty1"])[0], os.ttyname(slave))
        result = start_on(settings, overrides, log, tty, hold)
        os.set_blocking(master, False)
        try:
            result["tty"] = os.read(master, 4096).decode("latin-1")
        except BlockingIOError:
            result["tty"] = ""
        return result
    finally:
        os.close(master)
        os.close(slave)


def start_on(settings: dict[str, list[str]], overrides: list[str], log: Path, tty: tuple[str, str],
             hold: Callable[[subprocess.Popen], None]) -> dict:
    """`start` with the terminal chosen."""
    pre = [run_hook(line, None, tty) for line in settings.get("ExecStartPre", [])]
    if any(h["status"] != 0 and not h["ignored"] for h in pre):
        return {"outcome": "pre_failed", "pre": pre, "post": [], "stop_post": [], "status": None, "log": ""}
    env = environment(settings, overrides)
    notify_path = Path("/run") / f"kiosk-notify-{os.getpid()}"
    timeout_s = seconds(settings.get("TimeoutStartSec", ["90"])[0])
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify, log.open("w") as stderr:
        notify_path.unlink(missing_ok=True)  # the previous start's, under --supervise
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
            else:
                hold(process)
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


def supervise(settings: dict[str, list[str]], overrides: list[str], logs: Path, events: Path, stop_file: Path,
              restart_s: float) -> None:
    """Start, wait for the kiosk to exit, start again after `restart_s` (Restart=always), until `stop_file` exists;
    kiosk-update.path is played on a thread beside it."""
    def emit(record: dict) -> None:
        with events.open("a") as out:
            out.write(json.dumps(record) + "\n")

    def hold(process: subprocess.Popen) -> None:
        while process.poll() is None and not stop_file.exists():
            time.sleep(POLL_S)

    watcher = threading.Thread(target=play_update_path, args=(emit, stop_file), daemon=True)
    watcher.start()
    count = 0
    while not stop_file.exists():
        count += 1
        emit({"start": count, **start(settings, overrides, logs / f"start-{count}.log", hold)})
        deadline = time.monotonic() + restart_s
        while time.monotonic() < deadline and not stop_file.exists():
            time.sleep(POLL_S)
    watcher.join(UPDATE_TIMEOUT_S)


def play_update_path(emit: Callable[[dict], None], stop_file: Path) -> None:
    """kiosk-update.path: run kiosk-update.service's ExecStart whenever its PathChanged= file is replaced."""
    watched = Path(service_section(UPDATE_PATH, "[Path]")["PathChanged"][0])
    command = service_section(UPDATE_SERVICE)["ExecStart"][0]
    seen = None
    while not stop_file.exists():
        try:
            info = watched.stat()
            now = (info.st_ino, info.st_mtime_ns)
        except FileNotFoundError:
            now = None
        if now is not None and now != seen:
            emit({"update": run_hook(command, None, ("", ""), UPDATE_TIMEOUT_S)})
        seen = now
        time.sleep(POLL_S / 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE over the unit's environment")
    parser.add_argument("--log", required=True, help="file for the kiosk's output (a directory with --supervise)")
    parser.add_argument("--supervise", metavar="EVENTS", help="restart as systemd would, one JSON line per event")
    parser.add_argument("--stop", help="with --supervise: stop once this file exists")
    parser.add_argument("--restart-s", type=float, help="with --supervise: instead of the unit's RestartSec")
    args = parser.parse_args()
    settings = service_section(UNIT)
    if args.supervise:
        restart_s = args.restart_s if args.restart_s is not None else seconds(settings["RestartSec"][0])
        supervise(settings, args.env, Path(args.log), Path(args.supervise), Path(args.stop), restart_s)
        return 0
    print(json.dumps(start(settings, args.env, Path(args.log))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
