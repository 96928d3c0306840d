"""The site broker's authorisation as Mosquitto dynamic-security objects: which identity may use which client id,
and subscribe and publish where.

Why: Mosquitto's `acl_file` grants every subscription and filters only on delivery, so a kiosk could join the
console's `$share/ingest` group and have uplinks dropped on it, and its `+` region level let a kiosk write under
any region. The dynamic-security plugin checks each SUBSCRIBE against literal filters (a `$share/…` filter is
compared whole) and holds one role per kiosk with its provisioned region written out. The same objects go into the
plugin's file for a stopped broker and, as control commands, to a running one, so both paths grant the same.
deploy/mosquitto/README.md explains the whole arrangement.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import os
from typing import Any

from kiosk.fleet import protocol

ADMIN_USER = "fleet-admin"
"""The plugin's administrator: may only send control commands; bound to the client id of the same name."""
CONSOLE_USER = "fleet-ingest"
"""The central server's principal: ingest workers (`fleet-ingest-N`) and operator commands (`fleet-op-…`)."""
CONSOLE_ROLE = "fleet-console"
INGEST_GROUP = "ingest"
"""The shared-subscription group of the ingest workers (`kiosk fleet serve --group`)."""
RESERVED_PREFIX = "fleet-"
"""Usernames and client ids of the bureau's own principals; never a kiosk id."""
CONTROL_TOPIC = "$CONTROL/dynamic-security/v1"
PBKDF2_ITERATIONS = 101
"""What mosquitto_ctrl and the plugin use for a stored password (PBKDF2-HMAC-SHA512)."""
SALT_BYTES = 12

DEFAULT_ACCESS = {"publishClientSend": False, "publishClientReceive": False, "subscribe": False,
                  "unsubscribe": True}
"""Everything not granted by a role is refused, deliveries included."""


def _acl(acltype: str, topic: str) -> dict[str, Any]:
    return {"acltype": acltype, "topic": topic, "allow": True}


def kiosk_role_name(kid: str) -> str:
    return f"kiosk-{kid}"


def check_kiosk_id(kid: str, region: str) -> protocol.Topics:
    """The kiosk's topics; ValueError for an id that is not a topic segment or that names a bureau principal."""
    if kid.startswith(RESERVED_PREFIX):
        raise ValueError(f"kiosk id {kid!r} starts with {RESERVED_PREFIX!r}, reserved for the bureau's principals")
    return protocol.Topics(region, kid)


def kiosk_role(kid: str, region: str) -> dict[str, Any]:
    """Publish only its own `state` and `up/…` under its provisioned region; subscribe to and receive exactly the
    three filters the agent subscribes to (its downlinks, its region's broadcast, the server state)."""
    topics = check_kiosk_id(kid, region)
    reads = topics.subscriptions
    return {"rolename": kiosk_role_name(kid), "textname": f"kiosk {kid} in region {region}",
            "acls": [_acl("publishClientSend", topics.state), _acl("publishClientSend", f"{topics.base}/up/#"),
                     *(_acl("subscribeLiteral", topic) for topic in reads),
                     *(_acl("publishClientReceive", topic) for topic in reads)]}


def console_role(group: str = INGEST_GROUP) -> dict[str, Any]:
    """Subscribe to the ingest share group, to presence and to the server state (a worker re-announces the service
    when another's Will says it is gone); write downlinks and the server state; read the tree."""
    root = protocol.ROOT
    return {"rolename": CONSOLE_ROLE, "textname": "central server: ingest workers and operator commands",
            "acls": [_acl("subscribeLiteral", f"$share/{group}/{root}/+/+/up/#"),
                     _acl("subscribeLiteral", f"{root}/+/+/state"),
                     _acl("subscribeLiteral", protocol.SERVER_STATE_TOPIC),
                     _acl("publishClientReceive", f"{root}/#"),
                     _acl("publishClientSend", f"{root}/+/+/down/#"),
                     _acl("publishClientSend", protocol.SERVER_STATE_TOPIC)]}


def admin_role() -> dict[str, Any]:
    """The dynamic-security control topic and nothing else."""
    return {"rolename": ADMIN_USER, "textname": "dynamic-security administration",
            "acls": [_acl("publishClientSend", CONTROL_TOPIC), _acl("subscribeLiteral", f"{CONTROL_TOPIC}/response"),
                     _acl("publishClientReceive", f"{CONTROL_TOPIC}/response")]}


def _client(username: str, role: str, clientid: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"username": username, "roles": [{"rolename": role}]}
    if clientid:
        entry["clientid"] = clientid
    return entry


def kiosk_client(kid: str) -> dict[str, Any]:
    """Username = client id = certificate CN = kiosk id; the binding refuses any other client id on a password
    listener (the certificate listener sets the client id from the CN itself)."""
    return _client(kid, kiosk_role_name(kid), clientid=kid)


def hashed(password: str, salt: bytes | None = None) -> dict[str, Any]:
    """A password as the plugin stores it in its file."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, PBKDF2_ITERATIONS)
    return {"password": base64.b64encode(digest).decode("ascii"), "salt": base64.b64encode(salt).decode("ascii"),
            "iterations": PBKDF2_ITERATIONS}


def new_document(admin_password: str, console_password: str, group: str = INGEST_GROUP) -> dict[str, Any]:
    """The plugin's file for a new site: the administrator and the console, no kiosks yet."""
    return {"defaultACLAccess": dict(DEFAULT_ACCESS), "groups": [],
            "roles": [admin_role(), console_role(group)],
            "clients": [{**_client(ADMIN_USER, ADMIN_USER, clientid=ADMIN_USER), **hashed(admin_password)},
                        {**_client(CONSOLE_USER, CONSOLE_ROLE), **hashed(console_password)}]}


def with_kiosks(document: dict[str, Any], kiosks: list[tuple[str, str]],
                password: str | None = None) -> dict[str, Any]:
    """A copy of the plugin's file with each (kid, region) added; ValueError if one is there already or invalid.

    `password` is for a site whose kiosks log in with passwords instead of certificates (and for tests)."""
    document = copy.deepcopy(document)
    users = {client["username"] for client in document["clients"]}
    roles = {role["rolename"] for role in document["roles"]}
    for kid, region in kiosks:
        role = kiosk_role(kid, region)
        if kid in users or role["rolename"] in roles:
            raise ValueError(f"kiosk {kid} is already provisioned on this broker")
        users.add(kid)
        roles.add(role["rolename"])
        document["roles"].append(role)
        document["clients"].append({**kiosk_client(kid), **(hashed(password) if password else {})})
    return document


def kiosk_commands(kid: str, region: str, password: str | None = None) -> list[dict[str, Any]]:
    """The control commands that add one kiosk to a running broker (role first: the client names it)."""
    client = kiosk_client(kid)
    if password:
        client["password"] = password
    return [{"command": "createRole", **kiosk_role(kid, region)}, {"command": "createClient", **client}]
