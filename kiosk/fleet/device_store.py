"""The kiosk's small persisted fleet state: the session counter, the applied desired overlay, command replies.

Why: the Will's `sess` must grow across restarts (a stale Will is told apart from a new birth by it); the last
applied desired configuration must survive a reboot without the network; a command replayed after a restart
must be answered from the stored reply, never run twice.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

SESSION_KEY = "fleet.session"
DESIRED_KEY = "fleet.desired"
REJECTED_KEY = "fleet.desired_rejected"
JOB_KEY = "fleet.job"
COMMANDS_KEPT = 500
"""Command replies kept for de-duplication (the newest ones)."""


def _get(d: sqlite_utils.Database, key: str) -> str | None:
    row = d.execute("SELECT value FROM kv_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def _put(d: sqlite_utils.Database, key: str, value: str) -> None:
    d.execute("INSERT OR REPLACE INTO kv_state (key, value) VALUES (?, ?)", (key, value))


def next_session(d: sqlite_utils.Database) -> int:
    """Increment and return the persisted session counter (called before every CONNECT)."""
    value = int(_get(d, SESSION_KEY) or 0) + 1
    _put(d, SESSION_KEY, str(value))
    return value


def applied_desired(d: sqlite_utils.Database) -> tuple[int, dict[str, Any]]:
    """The version and overlay of the last applied desired configuration (0, {} when none)."""
    raw = _get(d, DESIRED_KEY)
    if raw is None:
        return 0, {}
    doc = json.loads(raw)
    return doc["version"], doc["config"]


def save_applied_desired(d: sqlite_utils.Database, version: int, config: dict[str, Any]) -> None:
    _put(d, DESIRED_KEY, json.dumps({"version": version, "config": config}, ensure_ascii=False))


def rejected_desired(d: sqlite_utils.Database) -> tuple[int, list[str]]:
    """The last rejected desired version and its errors, so a retained copy is re-reported, not re-tried."""
    raw = _get(d, REJECTED_KEY)
    if raw is None:
        return 0, []
    doc = json.loads(raw)
    return doc["version"], doc["errors"]


def save_rejected_desired(d: sqlite_utils.Database, version: int, errors: list[str]) -> None:
    _put(d, REJECTED_KEY, json.dumps({"version": version, "errors": errors}, ensure_ascii=False))


def finished_job(d: sqlite_utils.Database) -> tuple[str, int, str, str | None] | None:
    """The last job execution that ended: (job id, exec_ver, final status, error), so a retained copy is not rerun."""
    raw = _get(d, JOB_KEY)
    if raw is None:
        return None
    doc = json.loads(raw)
    return doc["job"], doc["exec_ver"], doc["status"], doc["error"]


def save_finished_job(d: sqlite_utils.Database, job: str, exec_ver: int, status: str, error: str | None) -> None:
    _put(d, JOB_KEY, json.dumps({"job": job, "exec_ver": exec_ver, "status": status, "error": error}))


def command_reply(d: sqlite_utils.Database, command_id: str) -> tuple[str, bytes] | None:
    """The phase and last reply sent for a command id, if it was seen before."""
    row = d.execute("SELECT phase, reply FROM fleet_commands WHERE id = ?", (command_id,)).fetchone()
    return None if row is None else (row[0], row[1].encode())


def save_command_reply(d: sqlite_utils.Database, command_id: str, name: str, received_ms: int, phase: str,
                       code: int, reply: bytes) -> None:
    """Store the latest reply of a command and keep only the newest COMMANDS_KEPT."""
    d.execute("INSERT INTO fleet_commands VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
              "phase = excluded.phase, code = excluded.code, reply = excluded.reply",
              (command_id, name, received_ms, phase, code, reply.decode()))
    d.execute("DELETE FROM fleet_commands WHERE id NOT IN "
              "(SELECT id FROM fleet_commands ORDER BY received_ms DESC LIMIT ?)", (COMMANDS_KEPT,))
