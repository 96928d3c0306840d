"""`kiosk consult FLOW_ID`: walk a flow in the terminal (for content authors and testers).

Numbered choices are read one per line from stdin, so a session can be piped:
`printf '2\\n2026-06-30\\n...' | kiosk consult labor`. `b` goes back; `?` answers 不清楚 where a page asks for a
number or a date and offers it; at the review, Enter confirms and a number reopens that answer. The opinion is
printed as text, or as JSON with `--json`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Iterator

from kiosk.config.schema import KioskConfig
from kiosk.legal.answers import AnswerError
from kiosk.legal.document import OpinionDocument
from kiosk.legal.engine import Interview, InterviewState
from kiosk.legal.errors import CONTENT_FLOW_UNKNOWN
from kiosk.legal.flow import UNSURE, Page, PageKind
from kiosk.legal.loader import load_pack
from kiosk.legal.opinion import build_opinion
from kiosk.legal.opinion_layout import Part, opinion_sections
from kiosk.legal.service import issuer_for
from kiosk.legal.verification import to_plain
from kiosk.core.clock import CHINA_TZ
from kiosk.cli.content import DEFAULT_ROOT
from kiosk.ui.i18n import Translator

BACK = {"b", "back", "返回"}
TERMINAL_KIOSK_ID = "terminal"
"""Kiosk id in the numbers of opinions issued at the terminal, so they are never taken for a kiosk's."""
UNSURE_ENTRY = "?"
"""Typed on a number or date page to answer 不清楚 (a digit there is part of the answer, not a choice)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("consult", help="run a consultation flow in the terminal")
    parser.add_argument("flow_id", metavar="FLOW_ID", help="flow id, e.g. labor, legal_aid")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="content pack directory")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="pretend today is YYYY-MM-DD")
    parser.add_argument("--hardship-income", type=float, default=1200.0,
                        help="provincial hardship threshold, yuan per person per month")
    parser.add_argument("--key-file", type=Path, default=None, help="MAC key file (default: a throw-away key)")
    parser.add_argument("--json", action="store_true", help="print the opinion as JSON")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    pack = load_pack(args.root)
    if args.flow_id not in pack.flows:
        print(f"kiosk: {CONTENT_FLOW_UNKNOWN.code} no flow {args.flow_id!r}; flows: {', '.join(sorted(pack.flows))}",
              file=sys.stderr)
        return 2
    today = args.today or datetime.now(CHINA_TZ).date()
    texts = Translator()
    interview = Interview(pack, args.flow_id, today=today, params={"hardship_income": args.hardship_income},
                          texts=texts)
    lines = (line.strip() for line in sys.stdin)
    out = sys.stderr if args.json else sys.stdout
    print(f"【{interview.flow.title}】{interview.flow.intro}", file=out)
    if not _converse(interview, lines, out, texts):
        print("kiosk: input ended before the consultation finished", file=sys.stderr)
        return 1
    key = args.key_file.read_bytes() if args.key_file else b"kiosk-consult-terminal-test-key!"
    issuer = replace(issuer_for(KioskConfig(), key), kiosk_id=TERMINAL_KIOSK_ID)
    document = build_opinion(interview.finish(), issuer, issued_at=datetime.combine(today, time(9), CHINA_TZ),
                             sequence=1)
    if args.json:
        print(json.dumps(to_plain(document), ensure_ascii=False, indent=1))
    else:
        print(render_text(document, texts))
    return 0


def _converse(interview: Interview, lines: Iterator[str], out, translate: Translator) -> bool:
    while interview.state is not InterviewState.FINISHED:
        if interview.state is InterviewState.REVIEW:
            items = interview.review()
            print(f"\n{translate('terminal.review')}", file=out)
            for number, item in enumerate(items, 1):
                print(f"  {number}. {item.question}：{item.answer}", file=out)
            line = next(lines, None)
            if line is None:
                return False
            if not line:
                return True
            if line in BACK:
                interview.back()
            elif line.isdigit() and 1 <= int(line) <= len(items):
                interview.change(items[int(line) - 1].page_id)
            continue
        page = interview.page
        _show(page, interview, out, translate)
        line = next(lines, None)
        if line is None:
            return False
        if line in BACK:
            interview.back()
            continue
        try:
            interview.answer(_value(page, line, interview.value, translate))
        except AnswerError as exc:
            print(f"  ！{translate(exc.key, **exc.params)}", file=out)
    return True


def _choices(page: Page, translate: Translator) -> list[tuple[str, str]]:
    """The numbered answers of a page of buttons, worded as on the screen; none on a number or date page."""
    if page.kind not in (PageKind.CHOICE, PageKind.YESNO):
        return []
    return [(o.id, o.label) for o in page.options] + [(answer, translate(key)) for answer, key in page.answer_keys()]


def _show(page: Page, interview: Interview, out, translate: Translator) -> None:
    step = translate("consult.step", step=interview.step, total=interview.total)
    print(f"\n{step}  {page.text}\n  （{page.help}）", file=out)
    choices = _choices(page, translate)
    for number, (_id, label) in enumerate(choices, 1):
        print(f"  {number}. {label}", file=out)
    if not choices and page.offers_unsure:
        print(f"  （{translate('terminal.unsure')}）", file=out)
    if interview.value is not None:
        print(f"  [{translate('terminal.keep', value=interview.value)}]", file=out)


def _value(page: Page, line: str, previous, translate: Translator):
    if not line and previous is not None:
        return previous
    choices = _choices(page, translate)
    if not choices and line == UNSURE_ENTRY:
        return UNSURE
    if choices:
        if line.isdigit() and 1 <= int(line) <= len(choices):
            return choices[int(line) - 1][0]
        raise AnswerError("answer.option_number")
    return line


def render_text(document: OpinionDocument, texts: Translator) -> str:
    """The opinion as plain text for content authors: the slip's sections in the slip's order, with where each
    hand-checked regulation was compared."""
    parts = [document.service_name, document.title]
    for section in opinion_sections(document, texts, sources=True):
        indent = "" if section.part is Part.CLOSING else "  "
        parts.extend(["", *([f"【{section.heading}】"] if section.heading else []),
                      *(indent + line for paragraph in section.paragraphs for line in paragraph.text.split("\n"))])
    return "\n".join(parts)
