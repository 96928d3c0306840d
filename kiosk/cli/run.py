"""`kiosk run`: start the kiosk (fullscreen on a terminal; `--dev` for a window with simulated devices)."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from kiosk.runtime.runner import prepare, run_ui

    kiosk = prepare(dev=args.dev, force_safe_mode=args.safe_mode)
    return run_ui(kiosk, dev=args.dev)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk run`."""
    parser = subparsers.add_parser("run", help="start the kiosk")
    parser.add_argument("--dev", action="store_true",
                        help="development: scaled window (Xvfb if no display), simulated devices, per-user data")
    parser.add_argument("--safe-mode", action="store_true", help="start with only the maintenance menu")
    parser.set_defaults(handler=_run)
