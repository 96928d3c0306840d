"""Operator actions of the console: publish a kiosk's desired configuration or a command, recorded first.

Why: the store is the source of truth (the next desired version, the pending command resent after a birth),
so every action is written before it is published; publishing waits for the broker's PUBACK with a timeout.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.core.clock import Clock
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.core.ids import new_id
from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.server import BrokerSettings, publish_command
from kiosk.fleet.console.database import ConsoleDB

FLEET_UNKNOWN_KIOSK = ErrorCode("FLT-001", "kiosk unknown to the console")
FLEET_PUBLISH_FAILED = ErrorCode("FLT-002", "broker did not accept the message")
FLEET_BAD_COMMAND = ErrorCode("FLT-003", "command not allowed or arguments invalid")
PUBLISH_TIMEOUT_S = 10.0


def region_of(db: ConsoleDB, kid: str) -> str:
    """The region a kiosk announced itself in; FLT-001 if it never did."""
    region = db.call(lambda c: store.region_of(c, kid))
    if region is None:
        raise KioskError(FLEET_UNKNOWN_KIOSK, kid)
    return region


def _publish(broker: BrokerSettings, send) -> None:
    """Connect as a short-lived operator client, run `send(client)`, wait for its PUBACK, disconnect."""
    client = broker.client(f"fleet-op-{new_id()[:12]}")
    connected = threading.Event()
    client.on_connect = lambda *_: connected.set()
    try:
        client.connect(broker.host, broker.port, keepalive=30)
    except OSError as exc:
        raise KioskError(FLEET_PUBLISH_FAILED, f"connect: {exc}") from exc
    client.loop_start()
    try:
        if not connected.wait(PUBLISH_TIMEOUT_S):
            raise KioskError(FLEET_PUBLISH_FAILED, "no CONNACK")
        info = send(client)
        info.wait_for_publish(timeout=PUBLISH_TIMEOUT_S)
        if not info.is_published():
            raise KioskError(FLEET_PUBLISH_FAILED, "no PUBACK")
    finally:
        client.disconnect()
        client.loop_stop()


def send_desired(db: ConsoleDB, broker: BrokerSettings, clock: Clock, kid: str, config: dict) -> protocol.Desired:
    """Store the next version of `kid`'s desired overlay and publish it retained."""
    region = region_of(db, kid)
    now_ms = int(clock.now().timestamp() * 1000)
    desired = db.call(lambda d: store.next_desired(d, region, kid, config, now_ms))
    payload = protocol.encode(desired)
    if len(payload) > protocol.MAX_PAYLOAD_BYTES:
        raise KioskError(FLEET_BAD_COMMAND, f"desired document of {len(payload)} bytes is too large")
    _publish(broker, lambda c: c.publish(protocol.Topics(region, kid).down("desired"), payload,
                                         qos=protocol.QOS, retain=True))
    return desired


def send_command(db: ConsoleDB, broker: BrokerSettings, clock: Clock, kid: str, name: str, args: dict,
                 ttl_s: int = 600, command_id: str | None = None) -> protocol.Command:
    """Record and publish an allow-listed command; FLT-003 for a name or args the kiosk would refuse."""
    region = region_of(db, kid)
    now_ms = int(clock.now().timestamp() * 1000)
    command = protocol.Command(id=command_id or new_id(), name=name, args=args, issued=now_ms,
                               expires=now_ms + ttl_s * 1000)
    try:
        protocol.command_args(command, now_ms)
    except protocol.Rejected as exc:
        raise KioskError(FLEET_BAD_COMMAND, exc.reason) from None
    db.call(lambda d: store.add_command(d, region, kid, command))
    _publish(broker, lambda c: publish_command(c, region, kid, protocol.encode(command), ttl_s))
    return command


def sign_artifact(path: Path, signing_key: Ed25519PrivateKey) -> tuple[int, str, str]:
    """(size, sha256 hex, Ed25519 signature hex of the digest) of a content pack file, as kiosks check them."""
    digest = hashlib.sha256(path.read_bytes()).digest()
    return path.stat().st_size, digest.hex(), signing_key.sign(digest).hex()


def send_job(db: ConsoleDB, broker: BrokerSettings, clock: Clock, kid: str, *, job_id: str, version: str,
             pack: Path, url: str, signing_key: Ed25519PrivateKey, ttl_s: int = 7 * 24 * 3600,
             kind: str = "content") -> protocol.Job:
    """Sign a content pack (or, `kind` "app_update", a kiosk release: wheel or bundle), store the next execution of
    `job_id` for `kid` and publish it retained."""
    region = region_of(db, kid)
    size, sha256, signature = sign_artifact(pack, signing_key)
    now_ms = int(clock.now().timestamp() * 1000)
    document = {"type": kind, "version": version, "expires": now_ms + ttl_s * 1000,
                "artifact": {"url": url, "size": size, "sha256": sha256, "signature": signature}}
    try:
        job = db.call(lambda d: store.next_job(d, region, kid, job_id, document, now_ms))
    except ValueError as exc:
        raise KioskError(FLEET_BAD_COMMAND, f"job: {exc}") from None
    _publish(broker, lambda c: c.publish(protocol.Topics(region, kid).down("job"), protocol.encode(job),
                                         qos=protocol.QOS, retain=True))
    return job
