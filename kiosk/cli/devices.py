"""`kiosk devices`: what serial devices this terminal has, and whether the configured ports exist.

Why: the first question on a service call is "is the printer plugged in, and under which name"; a technician
answers it without knowing udev or pyserial, and `--udev-rule printer=/dev/ttyUSB0` writes the rule that keeps that
name whatever USB port the adapter moves to (kiosk.runtime.udev_rule).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from serial.tools import list_ports

from kiosk.runtime.udev_rule import ROLES, udev_rule
from kiosk.config.loader import load

STABLE_NAMES = Path("/dev/kiosk")
"""Where the udev rules in deploy/udev put the printer and reader links."""
BY_ID = Path("/dev/serial/by-id")


def _links(folder: Path) -> list[dict[str, str]]:
    if not folder.is_dir():
        return []
    return [{"name": str(link), "target": str(link.resolve())} for link in sorted(folder.iterdir())]


def _configured(kind: str, port: str) -> dict[str, object]:
    """`present`: True/False for a local serial port; None when not checkable here (a URL, a simulator, none)."""
    local = kind == "serial" and not port.startswith(("socket://", "loop://", "rfc2217://", "spy://"))
    return {"kind": kind, "port": port, "present": Path(port).exists() if local else None}


def inventory() -> dict[str, object]:
    """Configured devices, stable names, by-id names and every serial port the system lists."""
    config = load().config
    return {
        "configured": {"printer": _configured(config.printer.kind, config.printer.port),
                       "idcard": _configured(config.idcard.kind, config.idcard.port)},
        "stable_names": _links(STABLE_NAMES),
        "by_id": _links(BY_ID),
        "ports": [{"device": p.device, "description": p.description, "hwid": p.hwid}
                  for p in sorted(list_ports.comports(), key=lambda p: p.device)],
    }


def _print_rules(assignments: list[str]) -> int:
    """`--udev-rule ROLE=PORT`: the rules for /etc/udev/rules.d/99-kiosk.rules, or exit 2 naming what is wrong."""
    attached = list_ports.comports()
    by_device = {p.device: p for p in attached}
    rules = []
    for assignment in assignments:
        role, _, device = assignment.partition("=")
        port = by_device.get(device) or by_device.get(str(Path(device).resolve()))
        if port is None:
            known = ", ".join(sorted(by_device)) or "none"
            print(f"kiosk: no serial port {device!r} attached (attached: {known})", file=sys.stderr)
            return 2
        try:
            rules.append(udev_rule(role, port, attached))
        except ValueError as exc:
            print(f"kiosk: {exc}", file=sys.stderr)
            return 2
    print("\n".join(rules))
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.udev_rule:
        return _print_rules(args.udev_rule)
    found = inventory()
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        for role, state in found["configured"].items():
            mark = {True: "present", False: "MISSING", None: "not checked"}[state["present"]]
            print(f"{role:8} {state['kind']:6} {state['port']}  [{mark}]")
        for group in ("stable_names", "by_id"):
            for link in found[group]:
                print(f"{link['name']} -> {link['target']}")
        for port in found["ports"]:
            print(f"{port['device']}  {port['description']}  {port['hwid']}")
    configured = found["configured"].values()
    return 1 if any(state["present"] is False for state in configured) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk devices`."""
    parser = subparsers.add_parser("devices", help="list serial devices and check the configured ports (exit 1 if missing)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--udev-rule", action="append", metavar="ROLE=PORT",
                        help=f"print a udev rule naming the adapter on PORT /dev/kiosk/ROLE ({' or '.join(ROLES)}) "
                             "in any USB port; repeat for each device")
    parser.set_defaults(handler=_run)
