"""What the maintenance pages show, gathered off the UI thread: the unit's journal and the terminal's network.

Why: a technician on site asks the same few questions (what went wrong lately, is the network up, can the kiosk
reach the bureau, will its certificate expire, is the clock right); each function here does the I/O (a
subprocess, a socket, a file) and returns plain values, so the pages only word and lay them out. No Kivy here.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kiosk.runtime.journal import read_journal
from kiosk.config.schema import FleetConfig
from kiosk.fleet.protocol import Rejected

LEVELS = {"error": 3, "warning": 4, "all": 6}
"""A level filter → the highest syslog priority shown (3 err, 4 warning, 6 info)."""
SPANS_S = {"hour": 3600, "day": 24 * 3600, "week": 7 * 24 * 3600}
"""A time filter → how far back, in seconds."""
LOG_ENTRIES_SHOWN = 200
LOG_BYTES_READ = 2 << 20
"""Journal JSON read at most per look (the newest entries are kept)."""
COMMAND_TIMEOUT_S = 5.0
BROKER_TIMEOUT_S = 3.0
RESOLV_CONF = Path("/etc/resolv.conf")


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One journal line: local time, syslog priority (0 emergency … 7 debug), message."""

    at: str
    priority: int
    message: str


def journal_entries(level: str, span: str, now_s: float) -> tuple[list[LogEntry], str]:
    """The unit's entries at `level` or worse within `span`, newest first, and why there are none when the journal
    cannot be read ("" otherwise). The kiosk logs codes and ids, never citizen data (kiosk.runtime.logging_setup)."""
    try:
        found = read_journal(int((now_s - SPANS_S[span]) * 1000), None, LOG_BYTES_READ)
    except Rejected as exc:
        return [], exc.reason
    worst = LEVELS[level]
    entries = []
    for line in reversed(found.lines):  # LogSpan holds them oldest first
        try:
            record = json.loads(line)
            priority = int(record.get("PRIORITY", 6))
            message = record["MESSAGE"]
            at = time.strftime("%m-%d %H:%M:%S", time.localtime(int(record["__REALTIME_TIMESTAMP"]) / 1e6))
        except (ValueError, KeyError, TypeError):
            continue
        if priority <= worst and isinstance(message, str):
            entries.append(LogEntry(at, priority, message))
            if len(entries) == LOG_ENTRIES_SHOWN:
                break
    return entries, found.warning if not entries else ""


@dataclass(frozen=True, slots=True)
class NetworkFacts:
    """The terminal's network as the kiosk sees it; None where it could not be found out."""

    addresses: list[str]
    """"<interface> <address>/<prefix>" of every IPv4 address but loopback."""
    gateway: str | None
    dns: list[str]
    broker_ms: float | None
    """Milliseconds a TCP connection to the fleet broker took (None: not reached, see broker_error)."""
    broker_error: str
    certificate_days: int | None
    """Whole days until this kiosk's TLS certificate expires (negative: expired; None: none or unreadable)."""
    certificate_error: str
    clock_synchronised: bool | None


def network_facts(fleet: FleetConfig, now_s: float) -> NetworkFacts:
    """Addresses, default gateway, DNS servers, whether the broker answers, the certificate's expiry, the clock."""
    addresses, gateway = _addresses(), _gateway()
    broker_ms, broker_error = _reach(fleet.host, fleet.port) if fleet.enabled else (None, "")
    days, cert_error = _certificate_days(fleet.cert_file, now_s) if fleet.enabled and fleet.tls else (None, "")
    return NetworkFacts(addresses, gateway, _dns(), broker_ms, broker_error, days, cert_error, _clock_synchronised())


def _run_json(argv: list[str]):
    """A command's JSON output, or None when it is missing, fails or prints something else."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)
        return json.loads(done.stdout) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None


def _addresses() -> list[str]:
    links = _run_json(["ip", "-json", "-4", "address", "show"]) or []
    return [f"{link['ifname']} {info['local']}/{info['prefixlen']}" for link in links if link.get("ifname") != "lo"
            for info in link.get("addr_info", []) if "local" in info]


def _gateway() -> str | None:
    routes = _run_json(["ip", "-json", "-4", "route", "show", "default"]) or []
    return next((f"{r['gateway']} ({r.get('dev', '?')})" for r in routes if "gateway" in r), None)


def _dns() -> list[str]:
    try:
        lines = RESOLV_CONF.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [line.split()[1] for line in lines if line.startswith("nameserver") and len(line.split()) > 1]


def _reach(host: str, port: int) -> tuple[float | None, str]:
    """How long a TCP connection to the broker takes, or why it fails."""
    started = time.monotonic()
    try:
        socket.create_connection((host, port), timeout=BROKER_TIMEOUT_S).close()
    except OSError as exc:
        return None, exc.strerror or type(exc).__name__
    return (time.monotonic() - started) * 1000, ""


def _certificate_days(cert_file: str, now_s: float) -> tuple[int | None, str]:
    from cryptography import x509

    try:
        certificate = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
    except (OSError, ValueError) as exc:
        return None, str(exc)[:120]
    return int((certificate.not_valid_after_utc.timestamp() - now_s) // 86400), ""


def _clock_synchronised() -> bool | None:
    """timedatectl's NTPSynchronized (None when there is no timedatectl or systemd-timedated to ask)."""
    try:
        done = subprocess.run(["timedatectl", "show", "--property=NTPSynchronized", "--value"], capture_output=True,
                              text=True, timeout=COMMAND_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    answer = done.stdout.strip()
    return {"yes": True, "no": False}.get(answer) if done.returncode == 0 else None
