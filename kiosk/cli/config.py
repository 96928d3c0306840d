"""`kiosk config show|check|example`: the effective configuration with origins, file validation, the example."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.config.example import render_example
from kiosk.config.loader import check_file, effective_items, load


def _show(args: argparse.Namespace) -> int:
    loaded = load()
    items = effective_items(loaded)
    if args.json:
        print(json.dumps([{"key": k, "value": v, "origin": o} for k, v, o in items], ensure_ascii=False, indent=1))
        return 0
    width = max(len(k) for k, _, _ in items)
    for key, value, origin in items:
        print(f"{key:<{width}}  {json.dumps(value, ensure_ascii=False):<40}  # {origin}")
    return 0


def _check(args: argparse.Namespace) -> int:
    check_file(Path(args.file))
    print(f"{args.file}: ok")
    return 0


def _example(args: argparse.Namespace) -> int:
    text = render_example()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk config`."""
    parser = subparsers.add_parser("config", help="show or check the configuration")
    sub = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="print the effective configuration and where each value came from")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.set_defaults(handler=_show)
    check = sub.add_parser("check", help="validate a configuration file (exit 1 with the key on error)")
    check.add_argument("file")
    check.set_defaults(handler=_check)
    example = sub.add_parser("example", help="print the example configuration generated from the schema")
    example.add_argument("-o", "--output", help="write to this file instead of stdout")
    example.set_defaults(handler=_example)
