"""`kiosk opinion render`: write a flow's example opinion as printer bytes and a PNG preview.

Why: anyone can check a slip (bytes, layout, QR) without a printer or a citizen.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.config.schema import KioskConfig
from kiosk.consult.examples import build_example_opinion
from kiosk.core.clock import SystemClock
from kiosk.core.errors import BAD_USAGE, KioskError
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import to_png, to_print_job


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk opinion render`."""
    parser = subparsers.add_parser("opinion", help="legal opinion documents (render)")
    commands = parser.add_subparsers(dest="opinion_command", metavar="ACTION", required=True)
    render = commands.add_parser("render", help="render a flow's example opinion to ESC/POS bytes and a PNG")
    render.add_argument("--example", required=True, metavar="FLOW_ID", help="flow whose example answers to use")
    render.add_argument("--escpos", type=Path, metavar="OUT.bin", help="write the printer bytes here")
    render.add_argument("--png", type=Path, metavar="OUT.png", help="write the preview picture here")
    render.add_argument("--printer", metavar="PROFILE", help="printer profile (default: the configured one)")
    render.add_argument("--json", action="store_true", help="print a JSON summary")
    render.set_defaults(handler=run_render)


def run_render(args: argparse.Namespace) -> int:
    """Render and write the files; prints a one-line summary (or JSON)."""
    config = KioskConfig()
    name = args.printer or config.printer.profile
    if name not in config.printer_profiles:
        raise KioskError(BAD_USAGE, f"unknown printer profile {name!r}; known: {', '.join(config.printer_profiles)}")
    model = model_from_profile(name, config.printer_profiles[name])
    try:
        document = build_example_opinion(args.example, kiosk_id=config.kiosk.id, issued_at=SystemClock().now())
    except KeyError as exc:
        raise KioskError(BAD_USAGE, str(exc.args[0])) from None
    blocks = layout(document, model.chars_per_line_cjk * 2)
    job = to_print_job(blocks, model)
    if args.escpos:
        args.escpos.write_bytes(job.data)
    if args.png:
        to_png(blocks, model).save(args.png)
    summary = {"profile": name, "number": document.number, "bytes": len(job.data),
               "paper_mm": round(job.paper_mm, 1), "verify_url": document.verify_url}
    print(json.dumps(summary, ensure_ascii=False) if args.json else
          f"{name}: {summary['bytes']} bytes, {summary['paper_mm']} mm, {document.verify_url}")
    return 0
