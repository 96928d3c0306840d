"""`kiosk idcard read|set-baud`: read one card and print the record (masked by default); change the SAM's speed.

For technicians checking a reader: the same driver as the kiosk, the configured port or `--port URL`, the
record as key/value lines or JSON. Without `--unmasked` the name, number and addresses are masked as on a slip.
`set-baud` moves the SAM to another line speed, proves it answers there, and writes `idcard.baudrate` to the
overrides layer so the kiosk talks to it at that speed from its next start.
"""

from __future__ import annotations

import argparse
import json
import queue
from typing import Any

from firmware_bridge.errors import TransportError
from firmware_bridge.idcard import commands, idnumber
from firmware_bridge.idcard import errors as idr
from firmware_bridge.idcard.card import CardRecord, validate
from firmware_bridge.idcard.client import switch_baud
from firmware_bridge.idcard.driver import IdCardDriver, ReaderCallbacks
from firmware_bridge.idcard.errors import SamResultError
from firmware_bridge.transport.serial_port import SerialTransport
from kiosk.config.loader import load
from kiosk.config.overrides import write_overrides
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


def _reader_port(args: argparse.Namespace, config) -> str:
    """`--port`, else the configured port of a serial reader; bad usage when there is neither."""
    port = args.port or (config.port if config.kind == "serial" else "")
    if not port:
        raise KioskError(BAD_USAGE, f"idcard.kind is {config.kind!r}: give the reader's port with --port URL")
    return port


def _set_baud(args: argparse.Namespace) -> int:
    loaded = load()
    config = loaded.config.idcard
    port = _reader_port(args, config)
    current = args.current or config.baudrate
    try:
        switch_baud(lambda bps: SerialTransport(port, baudrate=bps, flow_control="none"), current, args.rate)
    except SamResultError as exc:
        error = IDR_CODES.get(exc.code, ErrorCode(exc.code, "SAM refused the command"))
        raise KioskError(error, f"{port}: the SAM refused {args.rate} bit/s: {exc}") from None
    except TransportError as exc:
        raise KioskError(IDR_CODES[idr.NO_REPLY], f"{port}: no answer at {current} or then at {args.rate} bit/s "
                         f"({exc}); give the speed it answers at with --from") from None
    if args.port:
        print(f"SAM on {port} now answers at {args.rate} bit/s (configuration unchanged: --port was given)")
        return 0
    write_overrides(loaded.overrides_file, {"idcard": {"baudrate": args.rate}})
    print(f"SAM on {port} now answers at {args.rate} bit/s; idcard.baudrate = {args.rate} written to "
          f"{loaded.overrides_file} (the kiosk uses it from its next start)")
    return 0


def _read(args: argparse.Namespace) -> int:
    config = load().config.idcard
    port = _reader_port(args, config)
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
    parser = subparsers.add_parser("idcard", help="ID card reader: read one card, change the SAM's line speed")
    sub = parser.add_subparsers(dest="idcard_command", metavar="ACTION", required=True)
    read = sub.add_parser("read", help="wait for a card, read it and print the record (masked by default)")
    read.add_argument("--port", help="pyserial URL of the reader (default: the configured port)")
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.add_argument("--unmasked", action="store_true", help="print name, number and addresses in full")
    read.add_argument("--timeout", type=float, default=DEFAULT_WAIT_S, help="seconds to wait for a card")
    read.set_defaults(handler=_read)
    baud = sub.add_parser("set-baud", help="move the SAM to another line speed and verify it answers there")
    baud.add_argument("rate", type=int, choices=sorted(commands.BAUD_PARAS), help="new line speed in bit/s")
    baud.add_argument("--from", dest="current", type=int, choices=sorted(commands.BAUD_PARAS),
                      help="speed the SAM answers at now (default: idcard.baudrate)")
    baud.add_argument("--port", help="pyserial URL of the reader (default: the configured port)")
    baud.set_defaults(handler=_set_baud)
