"""Provisioning a kiosk: its certificate (CN = kiosk id) and its broker identity (a role bound to its region).

Why: the dynamic-security plugin reads its file only when the broker starts and rewrites it on every change, so a
running broker learns a new kiosk only through its control topic, and the file is edited directly only for a
stopped broker (a site's first roll-out). A command the broker refuses fails the provisioning loudly, and no
certificate is written for an identity the broker does not hold.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from kiosk.core.errors import ErrorCode, KioskError
from kiosk.fleet.console import broker_auth, pki
from kiosk.fleet.console.server import BrokerSettings

PROVISION_INVALID = ErrorCode("PRV-001", "kiosk id or region invalid, or already provisioned")
PROVISION_REFUSED = ErrorCode("PRV-002", "broker refused a provisioning command")
PROVISION_UNREACHABLE = ErrorCode("PRV-003", "broker did not answer the administrator")
COMMAND_TIMEOUT_S = 10.0


def run_commands(admin: BrokerSettings, commands: list[dict[str, Any]], timeout_s: float = COMMAND_TIMEOUT_S) -> None:
    """Send dynamic-security commands as the administrator and wait for the answers; PRV-002 names each refusal."""
    answer: list[bytes] = []
    failure: list[str] = []
    done = threading.Event()
    response_topic = f"{broker_auth.CONTROL_TOPIC}/response"

    def on_connect(client, _u, _f, reason_code, _p) -> None:
        if reason_code.is_failure:
            failure.append(f"CONNACK {reason_code}")
            done.set()
        else:
            client.subscribe(response_topic, qos=1)

    def on_subscribe(client, _u, _mid, reason_codes, _p) -> None:
        if reason_codes[0].is_failure:
            failure.append(f"SUBACK {reason_codes[0]}")
            done.set()
        else:
            client.publish(broker_auth.CONTROL_TOPIC, json.dumps({"commands": commands}), qos=1)

    def on_message(_c, _u, msg: mqtt.MQTTMessage) -> None:
        answer.append(msg.payload)
        done.set()

    client = admin.client(broker_auth.ADMIN_USER)
    client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message
    try:
        client.connect(admin.host, admin.port, keepalive=30)
    except OSError as exc:
        raise KioskError(PROVISION_UNREACHABLE, f"{admin.host}:{admin.port}: {exc}") from exc
    client.loop_start()
    try:
        if not done.wait(timeout_s):
            raise KioskError(PROVISION_UNREACHABLE, f"no answer on {response_topic} within {timeout_s:.0f} s")
    finally:
        client.disconnect()
        client.loop_stop()
    if failure:
        raise KioskError(PROVISION_UNREACHABLE, "; ".join(failure))
    refusals = [f"{r.get('command')}: {r['error']}" for r in json.loads(answer[0])["responses"] if "error" in r]
    if refusals:
        raise KioskError(PROVISION_REFUSED, "; ".join(refusals))


def add_to_file(path: Path, kiosks: list[tuple[str, str]], password: str | None = None) -> None:
    """Add kiosks to the plugin's file of a stopped broker, replacing the file atomically."""
    try:
        document = broker_auth.with_kiosks(json.loads(path.read_text(encoding="utf-8")), kiosks, password)
    except ValueError as exc:
        raise KioskError(PROVISION_INVALID, str(exc)) from None
    write_document(path, document)


def write_document(path: Path, document: dict[str, Any]) -> None:
    """Write the plugin's file atomically, readable by its owner only (it holds password hashes)."""
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
    os.replace(temporary, path)


def provision_kiosk(kid: str, region: str, ca: pki.Pair, out_dir: Path, *, admin: BrokerSettings | None = None,
                    auth_file: Path | None = None, password: str | None = None) -> tuple[Path, Path]:
    """Issue `kid`'s certificate and add its broker identity (through `admin` to a running broker, or into
    `auth_file` of a stopped one); returns the certificate and key files written under `out_dir`."""
    try:
        broker_auth.check_kiosk_id(kid, region)
    except ValueError as exc:
        raise KioskError(PROVISION_INVALID, str(exc)) from None
    stem = out_dir / kid
    out_dir.mkdir(parents=True, exist_ok=True)
    existing = [p for p in (out_dir / f"{kid}.pem", out_dir / f"{kid}.key") if p.exists()]
    if existing:
        raise KioskError(PROVISION_INVALID, f"{existing[0]} exists; {kid} has credentials already")
    pair = pki.issue(ca, kid)
    if auth_file is not None:
        add_to_file(auth_file, [(kid, region)], password)
    elif admin is not None:
        run_commands(admin, broker_auth.kiosk_commands(kid, region, password))
    else:
        raise ValueError("provision_kiosk needs a broker administrator or the plugin's file")
    return pki.write(pair, stem)
