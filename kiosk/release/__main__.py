"""`python3 -m kiosk.release`: the release commands without the rest of the kiosk (runs from the wheel itself)."""

from __future__ import annotations

import argparse
import sys

from kiosk.core.errors import KioskError
from kiosk.release.cli import add_commands


def main(argv: list[str] | None = None) -> int:
    """Parse, run, and turn a KioskError into one stderr line and exit code 1."""
    parser = argparse.ArgumentParser(prog="python3 -m kiosk.release", description="kiosk releases under /opt/kiosk")
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KioskError as exc:
        print(f"kiosk: {exc.code} {exc.detail}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
