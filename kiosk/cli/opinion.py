"""`kiosk opinion render`: write a flow's example opinion as printer bytes and a PNG preview.

Why: anyone can check a slip (bytes, layout, QR) without a printer or a citizen.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.config.loader import load
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.service import rule_params
from kiosk.legal.verification import from_plain, to_plain
from kiosk.legal.verification import verify as verify_code
from kiosk.core.clock import SystemClock
from kiosk.core.errors import BAD_USAGE, KioskError
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import layout
from kiosk.services.slip_render import to_png, to_print_job
from kiosk.ui.i18n import Translator


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk opinion render` and `kiosk opinion verify`."""
    parser = subparsers.add_parser("opinion", help="legal opinion documents (render, verify)")
    commands = parser.add_subparsers(dest="opinion_command", metavar="ACTION", required=True)
    render = commands.add_parser("render", help="render a flow's example opinion to ESC/POS bytes and a PNG")
    render.add_argument("--example", required=True, metavar="FLOW_ID",
                        help="flow whose stored example answers to use, or `specimen` (a printer stress document)")
    render.add_argument("--escpos", type=Path, metavar="OUT.bin", help="write the printer bytes here")
    render.add_argument("--png", type=Path, metavar="OUT.png", help="write the preview picture here")
    render.add_argument("--printer", metavar="PROFILE", help="printer profile (default: the configured one)")
    render.add_argument("--document", type=Path, metavar="OUT.json", help="write the signed document as JSON")
    render.add_argument("--json", action="store_true", help="print a JSON summary")
    render.set_defaults(handler=run_render)
    verify = commands.add_parser("verify", help="check a slip's verification code against its document and key")
    verify.add_argument("code", help="the code printed on the slip, e.g. WXPDG-A9DBD")
    verify.add_argument("--document", type=Path, required=True, metavar="FILE.json",
                        help="the opinion as JSON (from the kiosk's archive or `opinion render --document`)")
    verify.add_argument("--key", type=Path, required=True, metavar="KEYFILE", help="the issuing kiosk's key file")
    verify.set_defaults(handler=run_verify)


def run_render(args: argparse.Namespace) -> int:
    """Render and write the files; prints a one-line summary (or JSON)."""
    config = load().config
    name = args.printer or config.printer.profile
    if name not in config.printer_profiles:
        raise KioskError(BAD_USAGE, f"unknown printer profile {name!r}; known: {', '.join(config.printer_profiles)}")
    model = model_from_profile(name, config.printer_profiles[name])
    document = build_example_opinion(args.example, kiosk_id=config.kiosk.id, issued_at=SystemClock().now(),
                                     verify_url_base=config.legal_aid.verify_url,
                                     params=rule_params(config.legal_aid))
    blocks = layout(document, model.chars_per_line_cjk * 2, Translator(config.ui.language),
                    full_texts=config.printer.slip_full_texts)
    job = to_print_job(blocks, model)
    if args.escpos:
        args.escpos.write_bytes(job.data)
    if args.png:
        to_png(blocks, model).save(args.png)
    if args.document:
        args.document.write_text(json.dumps(to_plain(document), ensure_ascii=False, indent=1), encoding="utf-8")
    summary = {"profile": name, "number": document.number, "bytes": len(job.data),
               "paper_mm": round(job.paper_mm, 1), "verify_url": document.verify_url}
    print(json.dumps(summary, ensure_ascii=False) if args.json else
          f"{name}: {summary['bytes']} bytes, {summary['paper_mm']} mm, {document.verify_url}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Exit 0 when the code matches the document under the key ("genuine"), 1 when it does not."""
    try:
        document = from_plain(json.loads(args.document.read_text(encoding="utf-8")))
        key = args.key.read_bytes()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KioskError(BAD_USAGE, f"cannot read the document or key: {exc}") from None
    genuine = verify_code(document, args.code, key)
    print(f"{document.number}: {'genuine' if genuine else 'does NOT match: altered, forged or another kiosk'}")
    return 0 if genuine else 1
