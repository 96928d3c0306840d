"""Each kiosk's devices as its hw stream last reported them: the printer's paper state and each device's fault.

Why: the operators' overview shows paper and reader state per terminal, and the alerts open and close on them;
both read one row per (kiosk, device) kept current at ingest rather than search telemetry. Kept by event time
(corrected by the kiosk's clock offset), so batches stored out of order never put an older state back.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, bindparam

from kiosk.fleet import protocol
from kiosk.fleet.console.dialect import once
from kiosk.fleet.console.schema import device_states

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
