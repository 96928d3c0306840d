"""`kiosk release`: the release tree's commands (kiosk.release.cli), on the kiosk's own console script."""

from __future__ import annotations

import argparse

from kiosk.release.cli import add_commands


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk release`."""
    parser = subparsers.add_parser("release", help="install, switch and roll back releases under /opt/kiosk")
    add_commands(parser.add_subparsers(dest="release_command", metavar="ACTION", required=True))
