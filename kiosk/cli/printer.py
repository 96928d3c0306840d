"""`kiosk printer status|test`: talk to the configured printer (or `--port URL`) the way the kiosk does.

Why: a technician checks a printer from the console with the same driver, pacing and status rules.
"""

from __future__ import annotations

import argparse
import json

from firmware_bridge.escpos.driver import PrinterDriver, PrinterFault
from firmware_bridge.escpos.job import JobBuilder
from firmware_bridge.escpos.status import FAULT_STATES
from firmware_bridge.transport.serial_port import SerialTransport
from kiosk.config.loader import load
from kiosk.core.errors import BAD_USAGE, KioskError
from kiosk.services.printing import ERROR_CODES, PRN_ERROR, model_from_profile
from kiosk.services.slip_layout import CENTER
from kiosk.services.slip_render import qr_module_dots
from kiosk.ui.i18n import Translator

TEST_URL = "https://gf.example.cn/v/TEST"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk printer status` and `kiosk printer test`."""
    parser = subparsers.add_parser("printer", help="thermal printer: status, test print")
    commands = parser.add_subparsers(dest="printer_command", metavar="ACTION", required=True)
    for name, handler, text in (("status", run_status, "query DLE EOT 1/2/4 and show the state"),
                                ("test", run_test, "print a short test slip (Chinese text, QR, cut)")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--port", metavar="URL", help="pyserial URL (default: the configured port)")
        sub.add_argument("--profile", help="printer profile (default: the configured one)")
        sub.add_argument("--flow", choices=("rtscts", "xonxoff", "none"),
                         help="flow control (default: the configured one; a simulator's pty has no RTS/CTS)")
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.set_defaults(handler=handler)


def _driver(args: argparse.Namespace) -> PrinterDriver:
    config = load().config
    name = args.profile or config.printer.profile
    if name not in config.printer_profiles:
        raise KioskError(BAD_USAGE, f"unknown printer profile {name!r}")
    cfg = config.printer
    flow = args.flow or cfg.flow_control
    link = SerialTransport(args.port or cfg.port, baudrate=cfg.baudrate, flow_control=flow,
                           write_timeout_s=cfg.write_timeout_s)
    return PrinterDriver(link, model_from_profile(name, config.printer_profiles[name]),
                         status_timeout_s=cfg.status_timeout_s, paced=flow == "none")


def run_status(args: argparse.Namespace) -> int:
    """Exit 0 when the printer can print, 1 otherwise."""
    driver = _driver(args)
    try:
        report = driver.check_status()
    finally:
        driver.link.close()
    print(json.dumps(report.as_dict()) if args.json else f"{report.state.value} {report.code or ''}".strip())
    return 1 if report.state in FAULT_STATES else 0


def run_test(args: argparse.Namespace) -> int:
    """Print a test slip; a fault is raised as its coded error."""
    driver = _driver(args)
    builder = JobBuilder(driver.model)
    texts = Translator()
    builder.line(texts("printer_test.title"), align=CENTER, bold=True, scale=2)
    builder.line(texts("printer_test.model", model=driver.model.name))
    builder.line(texts("printer_test.sample"))
    builder.qr(TEST_URL, module_dots=qr_module_dots(driver.model))
    job = builder.finish()
    try:
        report = driver.print_job(job)
    except PrinterFault as exc:
        raise KioskError(ERROR_CODES.get(exc.code, PRN_ERROR), exc.detail) from exc
    finally:
        driver.link.close()
    result = {"state": report.state.value, "bytes": len(job.data)}
    print(json.dumps(result) if args.json else f"printed {len(job.data)} bytes; {report.state.value}")
    return 0
