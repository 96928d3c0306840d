"""Each kiosk's devices as its hw stream last reported them (the printer's paper state and each device's fault),
and each kiosk's health now as the store holds it.

Why: the operators' overview shows paper and reader state per terminal, and the alerts open and close on them;
both read one row per (kiosk, device) kept current at ingest rather than search telemetry. Kept by event time
(corrected by the kiosk's clock offset), so batches stored out of order never put an older state back. The
overview and the health history (`history`) read a kiosk's whole health (presence, devices, backlog, clock,
versions) from one query here, so they never describe it differently.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, bindparam, func, select

from kiosk.fleet import protocol
from kiosk.fleet.console.dialect import greatest, once
from kiosk.fleet.console.schema import desired, device_states, jobs, kiosks, streams

PAPER = "paper"
"""The device key of `printer.paper` states (ok, near_end, out, cover_open, offline)."""
FAULT_STATE, OK_STATE = "fault", "ok"

Devices = dict[tuple[str, str], tuple[str, str | None, int]]
"""(kid, device) → (state, fault code, corrected ms): the newest states a run of batches reported."""


def latest(batch: protocol.Batch, verdicts: list[tuple[str, str]], ranges: list[tuple[int, int]],
           offset_ms: int) -> dict[str, tuple[str, str | None, int]]:
    """device → (state, fault code, corrected ms) of the newest device event among the seq ranges stored."""
    newest: dict[str, tuple[str, str | None, int]] = {}
    for first, last in ranges:
        for i in range(first - batch.q, last - batch.q + 1):
            kind, data = verdicts[batch.x[i]]
            if kind == "printer.paper":
                device, state, code = PAPER, json.loads(data)["state"], None
            elif kind == "device.fault":
                fault = json.loads(data)
                device, state, code = fault["device"], FAULT_STATE if fault["active"] else OK_STATE, fault["code"]
            else:
                continue
            t_ms = batch.t[i] + offset_ms
            if device not in newest or newest[device][2] <= t_ms:
                newest[device] = (state, code, t_ms)
    return newest


def merge(devices: Devices, kid: str, states: dict[str, tuple[str, str | None, int]]) -> None:
    """Add a batch's newest states (`latest`) of `kid` to a run's; at equal times the later batch wins, as in `note`."""
    for device, state in states.items():
        held = devices.get((kid, device))
        if held is None or held[2] <= state[2]:
            devices[(kid, device)] = state


def _note_statement(insert_for):
    upsert = insert_for(device_states).values(kid=bindparam("kid"), device=bindparam("device"),
                                              state=bindparam("state"), code=bindparam("code"), t_ms=bindparam("t_ms"))
    return upsert.on_conflict_do_update(
        index_elements=[device_states.c.kid, device_states.c.device],
        set_={"state": upsert.excluded.state, "code": upsert.excluded.code, "t_ms": upsert.excluded.t_ms},
        where=device_states.c.t_ms <= upsert.excluded.t_ms)


_NOTE = once(_note_statement)


def note(c: Connection, devices: Devices) -> None:
    """Keep each device's state unless the store already holds a newer one: one executemany, in key order."""
    if devices:
        c.execute(_NOTE(c), [{"kid": kid, "device": device, "state": state, "code": code, "t_ms": t_ms}
                             for (kid, device), (state, code, t_ms) in sorted(devices.items())])


def content_versions(c: Connection) -> dict[str, str]:
    """Each kiosk's content pack version of its latest succeeded job."""
    versions: dict[str, tuple[int, str]] = {}
    for kid, document, updated_ms in c.execute(select(jobs.c.kid, jobs.c.document, jobs.c.updated_ms)
                                               .where(jobs.c.status == "SUCCEEDED")):
        if kid not in versions or versions[kid][0] < updated_ms:
            versions[kid] = (updated_ms, json.loads(document).get("version", "?"))
    return {kid: version for kid, (_at, version) in versions.items()}


def current(c: Connection) -> list[dict]:
    """Every kiosk's health now, by region and id: presence (online, changed_ms, last_seen_ms), program and
    configuration versions (sw, applied_version, desired_version), events its births said are waiting (backlog),
    clock offset (ms), its devices (device → (state, fault code)) and content pack version (None: none installed
    by a job)."""
    k, s = kiosks.c, streams.c
    backlog = select(func.coalesce(func.sum(greatest(0, s.announced - s.upto)), 0)).where(
        s.kid == k.kid, s.ceiling.is_(None)).scalar_subquery()
    rows = [dict(row) for row in c.execute(select(
        k.kid, k.region, k.online, k.changed_ms, k.last_seen_ms, k.sw, k.applied_version, k.clock_offset_ms,
        select(desired.c.version).where(desired.c.kid == k.kid).scalar_subquery().label("desired_version"),
        backlog.label("backlog")).order_by(k.region, k.kid)).mappings()]
    devices: dict[str, dict[str, tuple[str, str | None]]] = {}
    for kid, device, state, code in c.execute(select(device_states.c.kid, device_states.c.device,
                                                     device_states.c.state, device_states.c.code)):
        devices.setdefault(kid, {})[device] = (state, code)
    content = content_versions(c)
    for row in rows:
        row["devices"] = devices.get(row["kid"], {})
        row["content_version"] = content.get(row["kid"])
    return rows
