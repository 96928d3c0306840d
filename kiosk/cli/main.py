"""The `kiosk` console script: one parser, subcommands discovered from the modules of this package.

Each module in `kiosk.cli` that defines `register(subparsers)` contributes one subcommand (or group) named after
the module (`legal_aid.py` → `legal-aid`), so only subcommands whose module exists are listed. A command line that
starts with a command imports only that command's module: `kiosk run`, what systemd starts, then loads nothing of
the other commands (PIL, qrcode, YAML, pyserial). `kiosk`, `kiosk --help` and unknown commands get the full parser.
A subcommand's handler returns the exit code: 0 success, 1 a failed check, 2 bad usage. Errors are one plain line
on stderr carrying the error code.
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


def command_modules() -> list[str]:
    """Names of the modules of this package that may register a command, sorted."""
    package = importlib.import_module("kiosk.cli")
    return sorted(info.name for info in pkgutil.iter_modules(package.__path__)
                  if not info.name.startswith("_") and info.name != "main")


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command module's commands; keeps the list of subcommands truthful."""
    return _parser(command_modules())[0]


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """The parser of one command when `argv` starts with a command's name, else the full parser."""
    command = argv[0] if argv else ""
    module = command.replace("-", "_")
    if module in command_modules():
        parser, commands = _parser([module])
        if command in commands.choices:
            return parser
    return build_parser()


def _parser(modules: list[str]) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    """The top-level parser with the commands that `modules` register, and its subparsers action."""
    parser = argparse.ArgumentParser(prog="kiosk", description="Public legal service kiosk software")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        register = getattr(importlib.import_module(f"kiosk.cli.{name}"), "register", None)
        if register is not None:
            register(commands)
    return parser, commands


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; maps KioskError to one stderr line and exit code 1."""
    argv = sys.argv[1:] if argv is None else argv
    parser = parser_for(argv)
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
