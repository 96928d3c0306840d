"""`kiosk idcard read`: read one card from the reader and print the decoded record (masked by default).

For technicians checking a reader: the same driver as the kiosk, the configured port or `--port URL`, the
record as key/value lines or JSON. Without `--unmasked` the name, number and addresses are masked as on a slip.
"""

from __future__ import annotations

import argparse
import json
import queue
from typing import Any

from firmware_bridge.idcard import idnumber
from firmware_bridge.idcard.card import CardRecord, validate
from firmware_bridge.idcard.driver import IdCardDriver, ReaderCallbacks
from firmware_bridge.transport.serial_port import SerialTransport
from kiosk.config.loader import load
from kiosk.core.clock import SystemClock
from kiosk.core.errors import BAD_USAGE, ErrorCode, KioskError
from kiosk.services.identity import IDR_CODES, NO_CARD_IN_TIME, derive, driver_timings

DEFAULT_WAIT_S = 30.0
"""Seconds `read` waits for a card to be presented."""


def _mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1)


def record_fields(record: CardRecord, *, masked: bool, elderly_age_years: int) -> dict[str, Any]:
    """The record and its derived facts as JSON-ready fields; personal fields masked unless told otherwise."""
    clock = SystemClock()
    identity = derive(record, clock.today(), elderly_age_years=elderly_age_years)
    hide = (lambda text: "***" if text else "") if masked else (lambda text: text)
    return {
        "kind": record.kind.name.lower(),
        "name": _mask_name(record.name) if masked else record.name,
        "name_en": _mask_name(record.name_en) if masked else record.name_en,
        "gender": record.gender.label,
        "nation": record.nation,
        "nationality": record.nationality,
        "birth_date": record.birth_date.isoformat(),
        "address": hide(record.address),
        "new_address": hide(record.new_address),
        "id_number": idnumber.mask(record.id_number) if masked else record.id_number,
        "issuer": record.issuer,
        "valid_from": record.valid_from.isoformat(),
        "valid_to": "长期" if record.valid_to is None else record.valid_to.isoformat(),
        "pass_number": hide(record.pass_number),
        "photo_bytes": len(record.photo),
        "age_years": identity.age_years,
        "minor": identity.minor,
        "elderly": identity.elderly,
        "region_code": identity.region_code,
        "issues": sorted(issue.value for issue in validate(record, clock.today())),
    }


def _read(args: argparse.Namespace) -> int:
    config = load().config.idcard
    port = args.port or (config.port if config.kind == "serial" else "")
    if not port:
        raise KioskError(BAD_USAGE, f"idcard.kind is {config.kind!r}: give the reader's port with --port URL")
    outcomes: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    callbacks = ReaderCallbacks(
        card_presented=lambda: None,
        card_read=lambda record: outcomes.put(("read", record)),
        card_read_failed=lambda code: outcomes.put(("failed", code)),
        reader_online=lambda: None,
        reader_offline=lambda code: outcomes.put(("offline", code)))
    driver = IdCardDriver(SerialTransport(port, baudrate=config.baudrate, flow_control="none"), callbacks,
                          driver_timings(config))
    driver.start()
    driver.set_reading(True)
    offline_code = ""
    try:
        while True:
            try:
                what, value = outcomes.get(timeout=args.timeout)
            except queue.Empty:
                error = IDR_CODES[offline_code] if offline_code else NO_CARD_IN_TIME
                raise KioskError(error, f"no card read from {port} within {args.timeout} s") from None
            if what == "offline":
                offline_code = value
            elif what == "failed":
                raise KioskError(IDR_CODES.get(value, ErrorCode(value, "card read failed")), f"reading from {port}")
            else:
                break
    finally:
        driver.stop()
    fields = record_fields(value, masked=not args.unmasked, elderly_age_years=config.elderly_age_years)
    if args.json:
        print(json.dumps(fields, ensure_ascii=False, indent=1))
    else:
        width = max(map(len, fields))
        for key, item in fields.items():
            print(f"{key:<{width}}  {item}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk idcard`."""
    parser = subparsers.add_parser("idcard", help="ID card reader: read one card")
    sub = parser.add_subparsers(dest="idcard_command", metavar="ACTION", required=True)
    read = sub.add_parser("read", help="wait for a card, read it and print the record (masked by default)")
    read.add_argument("--port", help="pyserial URL of the reader (default: the configured port)")
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.add_argument("--unmasked", action="store_true", help="print name, number and addresses in full")
    read.add_argument("--timeout", type=float, default=DEFAULT_WAIT_S, help="seconds to wait for a card")
    read.set_defaults(handler=_read)
