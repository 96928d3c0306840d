"""What `kiosk fleet status` prints: one line per kiosk, then the latest alerts.

Why: an operator must see at a glance which terminal is down or behind, and which one sent what the server would
not trust (batches quarantined, rewinds, epochs it forced), with the reason, without opening the database.
"""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.core.clock import CHINA_TZ
from kiosk.fleet.console.alerts import LABELS

ALERTS_SHOWN = 20
"""Latest alerts listed under the table (and per kiosk in --json)."""



def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


def to_text(rows: list[dict], alerts: list[dict], open_alerts: list[dict] = ()) -> str:
    """The table (kiosk rows from `store.kiosk_rows` with `presence` added), the alerts still open, and the latest
    alerts, newest first."""
    lines = [f"{'区域':<10}{'终端':<14}{'状态':<6}{'会话':>6}{'配置':>8}{'事件':>10}{'缺口':>6}{'丢弃':>6}"
             f"{'隔离':>6}{'回退':>6}{'新纪元':>6}"]
    for row in rows:
        config = f"{row['applied_version']}/{row['desired_version'] or 0}"
        lines.append(f"{row['region']:<10}{row['kid']:<14}{row['presence']:<6}{row['sess']:>6}{config:>8}"
                     f"{row['events']:>10}{row['gap']:>6}{row['dropped']:>6}{row['quarantined']:>6}"
                     f"{row['rewinds']:>6}{row['forced_epochs']:>6}")
    if open_alerts:
        lines.append("")
        lines.append(f"未恢复告警（{len(open_alerts)} 条）")
        for alert in open_alerts:
            lines.append(f"{_when(alert['at_ms'])} 起  {alert['kid']}  {LABELS.get(alert['kind'], alert['kind'])}  "
                         f"{alert['detail']}")
    if alerts:
        lines.append("")
        lines.append(f"告警（最近 {len(alerts)} 条）")
        for alert in alerts:
            where = f"{alert['stream']}/{alert['epoch']}" if alert["stream"] else "-"
            lines.append(f"{_when(alert['at_ms'])}  {alert['kid']}  {LABELS.get(alert['kind'], alert['kind'])}"
                         f"  {where}  {alert['detail']}")
    return "\n".join(lines)


def to_json(rows: list[dict], alerts: list[dict], open_alerts: list[dict] = ()) -> str:
    """The kiosk rows, each with its own latest alerts (`recent_alerts`, newest first) and those still open."""
    for row in rows:
        row["recent_alerts"] = [alert for alert in alerts if alert["kid"] == row["kid"]]
        row["open_alerts"] = [alert for alert in open_alerts if alert["kid"] == row["kid"]]
    return json.dumps(rows, ensure_ascii=False, indent=2)
