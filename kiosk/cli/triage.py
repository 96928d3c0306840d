"""`kiosk triage`: route a question to topic ids; `--jsonl` for a stream.

`kiosk triage "问题"` prints a readable ranking; `kiosk triage --jsonl` reads one question per line on standard
input and writes one JSON object per line: {"question", "topics": [{"id", "score"}…], "referral"}. The model is
built from a checkout by `python -m kiosk_build.triage.build` (build time only: numpy and the labelled questions).
"""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.core.errors import BAD_USAGE

EXIT_BAD_USAGE = 2


def _bad_usage(detail: str) -> int:
    """One plain stderr line with the code, exit code 2."""
    print(f"kiosk: {BAD_USAGE.code} {detail}", file=sys.stderr)
    return EXIT_BAD_USAGE


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk triage [QUESTION] [--jsonl]`."""
    parser = subparsers.add_parser("triage", help="route a citizen's question to consultation topics (offline)")
    parser.add_argument("question", nargs="*", help="the question")
    parser.add_argument("--jsonl", action="store_true", help="read questions from stdin, one JSON answer per line")
    parser.add_argument("--limit", type=int, default=3, help="topics per answer (at least 3 unless referral)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch to stream or single-question mode."""
    from kiosk.legal.triage import TriageModel

    model = TriageModel.load()
    if args.jsonl:
        if args.question:
            return _bad_usage("--jsonl reads questions from stdin; give no question argument")
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            if question.strip():
                result = model.rank(question, args.limit)
                print(json.dumps(result.to_json(question), ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question).strip()
    if not question:
        return _bad_usage("give a question, or use --jsonl")
    result = model.rank(question, args.limit)
    print("Referral first (staff at the site, or the 12348 hotline), then:" if result.referral else "Likely topics:")
    for rank, topic in enumerate(result.topics, 1):
        print(f"  {rank}. {model.name(topic.id)} [{topic.id}]  {topic.score:.0%}")
    return 0
