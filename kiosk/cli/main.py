"""The `kiosk` console script: one parser, subcommands discovered from the modules of this package.

Each module in `kiosk.cli` that defines `register(subparsers)` contributes one subcommand (or group), so only
subcommands whose module exists are listed. A subcommand's handler returns the exit code:
0 success, 1 a failed check, 2 bad usage. Errors are one plain line on stderr carrying the error code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from kiosk import __version__
from kiosk.core.errors import KioskError

EXIT_OK = 0
EXIT_FAILED_CHECK = 1
EXIT_BAD_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Build the parser from every command module; keeps the list of subcommands truthful."""
    parser = argparse.ArgumentParser(prog="kiosk", description="公共法律服务智能终端 — kiosk software")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module("kiosk.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "main":
            continue
        module = importlib.import_module(f"kiosk.cli.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; maps KioskError to one stderr line and exit code 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_BAD_USAGE
    try:
        return int(handler(args) or EXIT_OK)
    except KioskError as exc:
        print(f"kiosk: {exc.code} {exc.detail}", file=sys.stderr)
        return EXIT_FAILED_CHECK
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`; not an error of ours
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
