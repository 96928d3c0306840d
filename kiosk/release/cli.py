"""`kiosk release …` (and `python3 -m kiosk.release …` straight from a wheel): install, switch, roll back, and the
unit's start hooks.

Why: the installer, a technician and the unit's ExecStartPre/ExecStartPost use the same few commands, so an update
done by hand and one done by the fleet leave the same tree and the same history.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.release import guard, update
from kiosk.release.tree import CURRENT, DEFAULT_ROOT, GOOD, ReleaseTree
from kiosk.release.unpack import SYSTEM_PYTHON, install_release


def _tree(args: argparse.Namespace) -> ReleaseTree:
    return ReleaseTree(Path(args.root))


def _install(args: argparse.Namespace) -> int:
    tree = _tree(args)
    version, fresh = install_release(tree, Path(args.wheel), wheelhouse=Path(args.wheelhouse) if args.wheelhouse
                                     else None, python=args.python)
    print(f"{version}: {'installed' if fresh else 'already installed'} in {tree.release_dir(version)}")
    if args.switch:
        print(f"{version}: {'now current' if guard.switch(tree, version) else 'already current'}")
    return 0


def _switch(args: argparse.Namespace) -> int:
    tree = _tree(args)
    print(f"{args.version}: {'now current' if guard.switch(tree, args.version) else 'already current'}")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    print(guard.roll_back(_tree(args), args.version, args.reason))
    return 0


def _boot_check(args: argparse.Namespace) -> int:
    print(guard.boot_check(_tree(args), Path(args.data_dir), args.max_starts))
    return 0


def _commit(args: argparse.Namespace) -> int:
    print(guard.commit(_tree(args), Path(args.data_dir), args.pid, args.wait_s))
    return 0


def _apply_update(args: argparse.Namespace) -> int:
    print(update.apply(_tree(args), Path(args.request), Path(args.key), python=args.python))
    return 0


def status(tree: ReleaseTree) -> dict:
    """What runs, what is good, the trial, the installed releases and the last events."""
    return {"root": str(tree.root), "current": tree.linked(CURRENT), "good": tree.linked(GOOD),
            "trial": tree.trial() or None, "pending": update.pending(tree), "update": update.read_outcome(tree) or None,
            "releases": tree.versions(),
            "history": [e.__dict__ for e in tree.history()[-10:]]}


def _status(args: argparse.Namespace) -> int:
    report = status(_tree(args))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"current  {report['current']}\ngood     {report['good']}")
    if report["trial"]:
        print(f"trial    {report['trial']}")
    if report["pending"]:
        print(f"pending  {report['pending']} (switched to at the next start)")
    print(f"releases {' '.join(report['releases']) or '-'}")
    for event in report["history"]:
        print(f"  {event['at']}  {event['event']:<11} {event['version']}  {event['detail']}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """The release commands, on `kiosk release` or on `python -m kiosk.release`."""
    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.add_argument("--root", default=str(DEFAULT_ROOT), help=f"release tree (default {DEFAULT_ROOT})")
        parser.set_defaults(handler=handler)
        return parser

    install = command("install", _install, "unpack a kiosk wheel as a new release beside the current one")
    install.add_argument("wheel")
    install.add_argument("--wheelhouse", help="take the dependencies from this directory only (no registry)")
    install.add_argument("--python", default=SYSTEM_PYTHON, help="interpreter the release's venv is made from")
    install.add_argument("--switch", action="store_true", help="make it current (on trial unless it is the first)")
    switch = command("switch", _switch, "make an installed release current (on trial until it comes up healthy)")
    switch.add_argument("version")
    rollback = command("rollback", _rollback, "put back the good release (or the one committed before it)")
    rollback.add_argument("version", nargs="?")
    rollback.add_argument("--reason", default="technician", help="recorded in the history")
    check = command("boot-check", _boot_check, "before a start (ExecStartPre): count a trial's start or roll back")
    check.add_argument("--data-dir", required=True, help="the kiosk's data directory (its crash-loop counter)")
    check.add_argument("--max-starts", type=int, default=guard.MAX_STARTS)
    commit = command("commit", _commit, "after READY=1 (ExecStartPost): commit the trial if the app is healthy")
    commit.add_argument("--data-dir", required=True, help="the kiosk's data directory (the app's start report)")
    commit.add_argument("--pid", type=int, help="the main process whose report counts ($MAINPID)")
    commit.add_argument("--wait-s", type=float, default=guard.REPORT_WAIT_S)
    apply = command("apply-update", _apply_update, "install the release the kiosk's fleet job downloaded "
                    "(as root, from kiosk-update.service); the next start switches to it")
    apply.add_argument("--request", required=True, help="the kiosk's request file (updates/request.json)")
    apply.add_argument("--key", required=True, help="the bureau's Ed25519 public key (hex), as fleet.content_key_file")
    apply.add_argument("--python", default=SYSTEM_PYTHON, help="interpreter the release's venv is made from")
    show = command("status", _status, "what runs, what is good, the trial and the history")
    show.add_argument("--json", action="store_true", help="machine-readable output")
