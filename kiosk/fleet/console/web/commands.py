"""The fleet commands a terminal's page offers, and how their replies read to an operator.

Why one list: a button, the form value it posts, the console's allow-list, the audit line and the command table's
label must agree. A command with arguments is offered as one button per fixed choice (safe mode on, safe mode off),
so an operator never types a payload; the kiosk checks every command again when it arrives.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Offered:
    """One button: the command and its fixed arguments, its label, what the confirmation says (the generic
    question when empty) and whether it interrupts the terminal's service (drawn as a danger)."""

    name: str
    label: str
    args: Mapping[str, Any] = field(default_factory=dict)
    confirm: str = ""
    danger: bool = False


OFFERED: dict[str, Offered] = {
    "ping": Offered("ping", "连通测试"),
    "printer_test": Offered("printer_test", "打印测试"),
    "reader_test": Offered("reader_test", "读卡测试"),
    "time_sync": Offered("time_sync", "校时"),
    "rebirth": Offered("rebirth", "重新上报"),
    "restart_app": Offered("restart_app", "重启程序", danger=True),
    "reboot": Offered("reboot", "重启终端", danger=True),
    "safe_mode_on": Offered("safe_mode", "进入安全模式", {"on": True}, danger=True, confirm=(
        "进入安全模式后，终端会重启程序，打印机、读卡器和语音都会关闭，群众只能看到“暂停服务”页面，"
        "直到退出安全模式。有群众正在使用时终端会拒绝执行。确定？")),
    "safe_mode_off": Offered("safe_mode", "退出安全模式", {"on": False}, confirm=(
        "退出安全模式后，终端会重启程序，恢复正常服务。确定？")),
}
"""Form value → the button; the keys of commands without arguments are their names."""

CONFLICT = 409
REFUSED_MID_SESSION = "终端正有群众在使用，没有执行，请稍后再发"
SAFE_MODE_RESULTS = {(True, True): "终端正在重启，进入安全模式", (True, False): "终端已经在安全模式，无需重启",
                     (False, True): "终端正在重启，退出安全模式", (False, False): "终端不在安全模式，无需重启"}
"""A final safe_mode reply by (safe_mode, restarting)."""


def offered_to(hw: Mapping[str, Any]) -> dict[str, Offered]:
    """The buttons for a terminal whose birth reported `hw`: of safe mode only the switch that changes it (both when
    the terminal did not say)."""
    hidden = {True: "safe_mode_on", False: "safe_mode_off"}.get(hw.get("safe_mode"))
    return {key: offered for key, offered in OFFERED.items() if key != hidden}


def audit_detail(offered: Offered, command_id: str) -> str:
    """The audit line's detail: the command, its arguments when it has any, and its id."""
    args = f" {json.dumps(dict(offered.args), sort_keys=True)}" if offered.args else ""
    return f"{offered.name}{args} {command_id}"


def label(name: str, args_text: str) -> str:
    """The command table's name of a sent command (`args_text` as stored): its button's label, else its name."""
    args = json.loads(args_text) if args_text else {}
    return next((o.label for o in OFFERED.values() if o.name == name and dict(o.args) == args), name)


def reply(name: str, code: int | None, result_text: str | None, error: str | None) -> str:
    """The command table's reply: a refusal mid-session and a safe-mode switch in words, anything else as the
    kiosk sent it."""
    if code == CONFLICT:
        return f"{REFUSED_MID_SESSION}（{error}）" if error else REFUSED_MID_SESSION
    if error:
        return error
    if name == "safe_mode" and result_text:
        result = json.loads(result_text)
        return SAFE_MODE_RESULTS.get((result.get("safe_mode"), result.get("restarting")), result_text)
    return result_text or ""
