"""What the console's pages read from the store: one row per terminal for the overview, one terminal's whole
story for its page, the rollout of configurations and content jobs. Functions take a connection."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import Connection, select

from kiosk.fleet.console import health, history
from kiosk.fleet.console.alerts import LABELS, PAPER_STATES, open_rows
from kiosk.fleet.console.schema import alerts, commands, desired, device_states, jobs, kiosks

PRESENCE_DEBOUNCE_MS = 120_000
"""An offline kiosk shows as 重连中 (reconnecting) for this long before 离线, so broker restarts do not flap."""
ONLINE, RECONNECTING, OFFLINE = "在线", "重连中", "离线"
PAPER_NAMES = {"ok": "正常", **PAPER_STATES}


def presence(online: int, changed_ms: int, now_ms: int) -> str:
    """在线, 重连中 or 离线, as an operator should read it."""
    if online:
        return ONLINE
    return RECONNECTING if now_ms - changed_ms < PRESENCE_DEBOUNCE_MS else OFFLINE


def overview(c: Connection, now_ms: int) -> tuple[list[dict], list[dict]]:
    """Every terminal (region, presence and since when, paper and reader state, backlog, versions, how many alerts
    are open) and the open alerts, counted from the one list so the page never disagrees with itself."""
    rows = health.current(c)
    open_alerts = open_rows(c)
    opened = Counter(alert["kid"] for alert in open_alerts)
    for row in rows:
        row["presence"] = presence(row["online"], row["changed_ms"], now_ms)
        row["since_ms"] = row["changed_ms"] or row["last_seen_ms"]
        paper = row["devices"].get(health.PAPER)
        row["paper"] = PAPER_NAMES.get(paper[0], paper[0]) if paper else "—"
        row["paper_ok"] = paper is None or paper[0] == "ok"
        reader = row["devices"].get("idcard")
        row["reader"] = f"故障 {reader[1]}" if reader and reader[0] == health.FAULT_STATE else "正常"
        row["reader_ok"] = not (reader and reader[0] == health.FAULT_STATE)
        row["content_version"] = row["content_version"] or "—"
        row["open_alerts"] = opened[row["kid"]]
    return rows, open_alerts


def counts(rows: list[dict]) -> dict[str, int]:
    """The figures above the overview table."""
    return {"total": len(rows), "online": sum(r["presence"] == ONLINE for r in rows),
            "reconnecting": sum(r["presence"] == RECONNECTING for r in rows),
            "offline": sum(r["presence"] == OFFLINE for r in rows),
            "paper": sum(not r["paper_ok"] for r in rows), "reader": sum(not r["reader_ok"] for r in rows),
            "alerts": sum(r["open_alerts"] for r in rows)}


def terminal(c: Connection, kid: str, now_ms: int, history_days: int = 1) -> dict | None:
    """One terminal's page: its overview row, devices, alerts (open and past), commands, jobs, configurations, and
    its health history of the last `history_days` days."""
    row = next((r for r in overview(c, now_ms)[0] if r["kid"] == kid), None)
    if row is None:
        return None
    kiosk = c.execute(select(kiosks.c.birth, kiosks.c.reported, kiosks.c.sess)
                      .where(kiosks.c.kid == kid)).mappings().one()
    birth = json.loads(kiosk["birth"]) if kiosk["birth"] else {}
    reported = json.loads(kiosk["reported"]) if kiosk["reported"] else {}
    wanted = c.execute(select(desired.c.version, desired.c.config, desired.c.updated_ms)
                       .where(desired.c.kid == kid)).mappings().first()
    a = alerts.c
    alert_history = [dict(r, label=LABELS.get(r["kind"], r["kind"])) for r in c.execute(
        select(a.at_ms, a.closed_ms, a.kind, a.detail).where(a.kid == kid).order_by(a.id.desc()).limit(50)).mappings()]
    return {
        **row, "sess": kiosk["sess"], "hw": birth.get("hw", {}),
        "streams": birth.get("streams", {}),
        "devices": [dict(r) for r in c.execute(select(device_states.c.device, device_states.c.state,
                                                      device_states.c.code, device_states.c.t_ms)
                                               .where(device_states.c.kid == kid).order_by(device_states.c.device))
                    .mappings()],
        "alerts": alert_history,
        "commands": [dict(r) for r in c.execute(select(commands).where(commands.c.kid == kid)
                                                .order_by(commands.c.issued_ms.desc()).limit(30)).mappings()],
        "jobs": [dict(r) for r in c.execute(select(jobs).where(jobs.c.kid == kid)
                                            .order_by(jobs.c.issued_ms.desc()).limit(20)).mappings()],
        "desired": {"version": wanted["version"], "config": json.loads(wanted["config"]),
                    "updated_ms": wanted["updated_ms"]} if wanted else None,
        "reported": reported,
        "history": history.rows(c, kid, now_ms - history_days * 86_400_000),
    }


def regions(c: Connection) -> list[str]:
    return list(c.execute(select(kiosks.c.region).distinct().order_by(kiosks.c.region)).scalars())


def kiosks_of(c: Connection, region: str) -> list[str]:
    return list(c.execute(select(kiosks.c.kid).where(kiosks.c.region == region).order_by(kiosks.c.kid)).scalars())


def desired_configs(c: Connection, kids: list[str]) -> dict[str, dict]:
    """The desired overlay each of `kids` has now ({} when none was published)."""
    found = {kid: json.loads(config) for kid, config in c.execute(
        select(desired.c.kid, desired.c.config).where(desired.c.kid.in_(kids)))}
    return {kid: found.get(kid, {}) for kid in kids}


def rollout(c: Connection) -> list[dict]:
    """Configurations published, per terminal: desired against applied version and the kiosk's verdict."""
    rows = []
    for kid, region, version, updated_ms, applied, reported in c.execute(
            select(desired.c.kid, desired.c.region, desired.c.version, desired.c.updated_ms,
                   kiosks.c.applied_version, kiosks.c.reported).join(kiosks, kiosks.c.kid == desired.c.kid)
            .order_by(desired.c.updated_ms.desc()).limit(200)):
        verdict = json.loads(reported) if reported else {}
        rejected = verdict.get("status") == "rejected" and verdict.get("desired_version") == version
        rows.append({"kid": kid, "region": region, "version": version, "updated_ms": updated_ms, "applied": applied,
                     "status": "已生效" if applied >= version else "被终端拒绝" if rejected else "等待终端",
                     "errors": verdict.get("errors", []) if rejected else []})
    return rows


def job_rollout(c: Connection) -> list[dict]:
    """Content jobs, newest first: per job its terminals with state and progress, and how many are in each state."""
    by_job: dict[str, dict] = {}
    for row in c.execute(select(jobs.c.id, jobs.c.kid, jobs.c.region, jobs.c.exec_ver, jobs.c.status,
                                jobs.c.progress_cnt, jobs.c.progress_of, jobs.c.error, jobs.c.issued_ms,
                                jobs.c.updated_ms).order_by(jobs.c.issued_ms.desc(), jobs.c.kid)).mappings():
        job = by_job.setdefault(row["id"], {"id": row["id"], "issued_ms": row["issued_ms"], "states": {},
                                            "kiosks": []})
        job["states"][row["status"]] = job["states"].get(row["status"], 0) + 1
        job["kiosks"].append(dict(row))
    return list(by_job.values())
