"""`kiosk maintenance hash-pin`: turn a technician PIN into the salted hash stored in configuration."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.core.errors import BAD_USAGE, KioskError
from kiosk.services.pin import hash_pin

PIN_DIGITS_MIN = 4
PIN_DIGITS_MAX = 12


def _hash_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("new PIN: ")
        if getpass.getpass("again: ") != pin:
            raise KioskError(BAD_USAGE, "the two PINs differ")
    else:
        pin = sys.stdin.readline().strip()
    if not (pin.isdigit() and PIN_DIGITS_MIN <= len(pin) <= PIN_DIGITS_MAX):
        raise KioskError(BAD_USAGE, f"a PIN is {PIN_DIGITS_MIN} to {PIN_DIGITS_MAX} digits")
    print(f'[maintenance]\npin_hash = "{hash_pin(pin)}"')
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk maintenance`."""
    parser = subparsers.add_parser("maintenance", help="technician tools (PIN hash)")
    sub = parser.add_subparsers(dest="maintenance_command", metavar="ACTION", required=True)
    hash_parser = sub.add_parser("hash-pin", help="read a PIN (prompt or stdin) and print its config lines")
    hash_parser.set_defaults(handler=_hash_pin)
