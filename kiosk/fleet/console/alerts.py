"""Alerts for the operators: conditions read from the store that open once, update and close, and findings that
happen once (`trust`); each change owes the webhook one notice.

Why: an operator wants to hear once that a terminal is out of paper, again if it becomes worse, and once more when
it is fixed, not every minute while it lasts. Every ingest worker evaluates the rules; the open alert of a kiosk
and kind is one row (a unique index over the open ones), and opening, updating and closing are conditional writes
that only one evaluation can make, so each notice is owed once however many workers look.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from kiosk.core.clock import CHINA_TZ
from kiosk.fleet.console import health
from kiosk.fleet.console.dialect import greatest, insert
from kiosk.fleet.console.schema import alerts, desired, device_states, jobs, kiosks, notices, streams
from kiosk.fleet.console.settings import AlertRules

logger = logging.getLogger(__name__)

OFFLINE, PAPER, BACKLOG, CLOCK, CONFIG, CONTENT, DROPPED = (
    "offline", "paper", "backlog", "clock", "config", "content", "dropped")
FAULT_PREFIX = "fault."
"""A device fault's alert kind is FAULT_PREFIX + the device (`fault.idcard` is the card reader's)."""

LABELS = {OFFLINE: "终端离线", PAPER: "打印机纸张", BACKLOG: "遥测积压", CLOCK: "时钟偏差", CONFIG: "配置未生效",
          CONTENT: "内容包未更新", DROPPED: "遥测丢弃", "seq_jump": "序号跳跃", "replay": "重放", "rewind": "序号回退",
          "epoch_forced": "强制新纪元", "fault.printer": "打印机故障", "fault.idcard": "读卡器故障",
          "fault.screen": "屏幕故障", "fault.network": "网络故障", "fault.storage": "存储故障", "fault.audio": "音频故障"}
"""Alert kinds as the operators read them (trust's findings included)."""
PAPER_STATES = {"near_end": "纸将用尽", "out": "缺纸", "cover_open": "纸仓盖未关", "offline": "打印机无响应"}
NOTICE_HEADS = {"open": "告警", "update": "告警更新", "close": "已恢复", "once": "告警"}

Condition = tuple[str, str, str, str]
"""(kid, region, kind, detail) of a condition that holds now."""


def when(ms: int) -> str:
    """A time as the bureau reads it (China Standard Time)."""
    return datetime.fromtimestamp(ms / 1000, CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def _offline(c: Connection, rules: AlertRules, now_ms: int) -> Iterable[Condition]:
    k = kiosks.c
    since = greatest(k.changed_ms, k.last_seen_ms)
    for kid, region, at in c.execute(select(k.kid, k.region, since).where(
            k.online == 0, since < now_ms - rules.offline_after_min * 60_000)):
        yield kid, region, OFFLINE, f"离线，自 {when(at)} 起无消息"


def _devices(c: Connection, _rules: AlertRules, _now_ms: int) -> Iterable[Condition]:
    d = device_states.c
    for kid, region, device, state, code in c.execute(
            select(d.kid, kiosks.c.region, d.device, d.state, d.code).join(kiosks, kiosks.c.kid == d.kid)
            .where(d.state.in_((*PAPER_STATES, health.FAULT_STATE)))):
        if device == health.PAPER:
            yield kid, region, PAPER, PAPER_STATES[state]
        elif state == health.FAULT_STATE:
            yield kid, region, FAULT_PREFIX + device, f"故障代码 {code}"


def _backlog(c: Connection, rules: AlertRules, _now_ms: int) -> Iterable[Condition]:
    s = streams.c
    waiting = func.sum(greatest(0, s.announced - s.upto))
    for kid, region, n in c.execute(select(s.kid, kiosks.c.region, waiting).join(kiosks, kiosks.c.kid == s.kid)
                                    .where(s.ceiling.is_(None)).group_by(s.kid, kiosks.c.region)
                                    .having(waiting > rules.backlog_events)):
        yield kid, region, BACKLOG, f"终端报告 {n} 条遥测尚未送达"


def _clock(c: Connection, rules: AlertRules, _now_ms: int) -> Iterable[Condition]:
    k = kiosks.c
    for kid, region, offset in c.execute(select(k.kid, k.region, k.clock_offset_ms).where(
            func.abs(k.clock_offset_ms) > rules.clock_skew_s * 1000)):
        yield kid, region, CLOCK, f"终端时钟{'慢' if offset > 0 else '快'} {abs(offset) / 1000:.0f} 秒"


def _config(c: Connection, rules: AlertRules, now_ms: int) -> Iterable[Condition]:
    for kid, region, wanted, applied in c.execute(
            select(desired.c.kid, desired.c.region, desired.c.version, kiosks.c.applied_version)
            .join(kiosks, kiosks.c.kid == desired.c.kid)
            .where(desired.c.version > kiosks.c.applied_version,
                   desired.c.updated_ms < now_ms - rules.config_behind_min * 60_000)):
        yield kid, region, CONFIG, f"已发布配置第 {wanted} 版，终端仍在第 {applied} 版"


def _content(c: Connection, rules: AlertRules, now_ms: int) -> Iterable[Condition]:
    behind: dict[tuple[str, str], list[str]] = {}
    for kid, region, job, status in c.execute(
            select(jobs.c.kid, jobs.c.region, jobs.c.id, jobs.c.status)
            .where(jobs.c.status != "SUCCEEDED", jobs.c.issued_ms < now_ms - rules.content_behind_min * 60_000)
            .order_by(jobs.c.kid, jobs.c.id)):
        behind.setdefault((kid, region), []).append(f"{job}（{status}）")
    for (kid, region), pending in behind.items():
        yield kid, region, CONTENT, "内容包任务未完成：" + "、".join(pending)


RULES: tuple[Callable[[Connection, AlertRules, int], Iterable[Condition]], ...] = (
    _offline, _devices, _backlog, _clock, _config, _content)
"""Every condition rule; each yields what holds now."""


def _notice(c: Connection, alert_id: int, event: str, kid: str, region: str, kind: str, detail: str,
            now_ms: int) -> None:
    text = f"【{NOTICE_HEADS[event]}】{LABELS.get(kind, kind)} · 终端 {kid}（{region}）\n{detail}\n{when(now_ms)}"
    c.execute(notices.insert().values(alert_id=alert_id, event=event, text=text, created_ms=now_ms, next_ms=now_ms))


def evaluate(c: Connection, rules: AlertRules, now_ms: int) -> dict[str, int]:
    """Open, update and close the condition alerts to match the store now, owing a notice for each change; returns
    how many this call opened, updated and closed."""
    holding = {(kid, kind): (region, detail) for rule in RULES for kid, region, kind, detail in rule(c, rules, now_ms)}
    a = alerts.c
    current = {(kid, kind): (alert_id, detail) for alert_id, kid, kind, detail in c.execute(
        select(a.id, a.kid, a.kind, a.detail).where(a.closed_ms.is_(None)))}
    done = {"opened": 0, "updated": 0, "closed": 0}

    def changed(event: str, alert_id: int | None, kid: str, region: str, kind: str, detail: str) -> None:
        if alert_id is None:
            return
        done[{"open": "opened", "update": "updated", "close": "closed"}[event]] += 1
        logger.warning("fleet alert %s %s: kiosk %s: %s", kind, event, kid, detail)
        _notice(c, alert_id, event, kid, region, kind, detail, now_ms)

    for (kid, kind), (region, detail) in sorted(holding.items()):
        if (kid, kind) not in current:
            opened = insert(c, alerts).values(at_ms=now_ms, updated_ms=now_ms, kid=kid, region=region, kind=kind,
                                              detail=detail)
            alert_id = c.execute(opened.on_conflict_do_nothing(index_elements=[a.kid, a.kind],
                                                               index_where=a.closed_ms.is_(None))
                                 .returning(a.id)).scalar()
            changed("open", alert_id, kid, region, kind, detail)
        elif current[(kid, kind)][1] != detail:
            alert_id = c.execute(update(alerts).where(a.id == current[(kid, kind)][0], a.closed_ms.is_(None),
                                                      a.detail != detail)
                                 .values(detail=detail, updated_ms=now_ms).returning(a.id)).scalar()
            changed("update", alert_id, kid, region, kind, detail)
    for (kid, kind), (alert_id, detail) in sorted(current.items()):
        if (kid, kind) not in holding:
            row = c.execute(update(alerts).where(a.id == alert_id, a.closed_ms.is_(None))
                            .values(closed_ms=now_ms, updated_ms=now_ms).returning(a.id, a.region, a.at_ms)).first()
            if row is not None:
                changed("close", row[0], kid, row[1], kind, f"{detail}（持续至 {when(now_ms)}，自 {when(row[2])} 起）")
    return done


def once(c: Connection, region: str, kid: str, kind: str, stream: str | None, epoch: int | None, detail: str,
         now_ms: int) -> None:
    """Record a finding that happens once (opened and closed at `now_ms`) and owe its notice."""
    alert_id = c.execute(alerts.insert().values(at_ms=now_ms, updated_ms=now_ms, closed_ms=now_ms, kid=kid,
                                                region=region, kind=kind, stream=stream, epoch=epoch, detail=detail)
                         .returning(alerts.c.id)).scalar_one()
    _notice(c, alert_id, "once", kid, region, kind, detail, now_ms)


def open_rows(c: Connection) -> list[dict]:
    """The open condition alerts, oldest first."""
    a = alerts.c
    return [dict(row) for row in c.execute(
        select(a.id, a.at_ms, a.updated_ms, a.kid, a.region, a.kind, a.detail).where(a.closed_ms.is_(None))
        .order_by(a.at_ms, a.id)).mappings()]

