"""`kiosk library search|show`: the kiosk's law library from a terminal, for content authors checking relevance."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.legal.law_library import Article, LawLibrary
from kiosk.legal.numerals import chinese_number
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.core.errors import KioskError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("library", help="law library (法律法规查询): search it, show an article")
    commands = parser.add_subparsers(dest="library_command", metavar="ACTION", required=True)
    search = commands.add_parser("search", help="the articles a query finds, best first")
    search.add_argument("query", help="words, a law's name, an article (劳动合同法第三十条, 民法典1165)")
    search.add_argument("--limit", type=int, default=10, help="hits to print (default 10)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit")
    search.add_argument("--root", type=Path, default=DEFAULT_CONTENT_ROOT, help="content pack directory")
    search.set_defaults(handler=_search)
    show = commands.add_parser("show", help="one article in full, with its law's status and version")
    show.add_argument("law", help="the law's full or short name (劳动合同法)")
    show.add_argument("article", help="the article's number (30, or 133之一)")
    show.add_argument("--json", action="store_true", help="print it as one JSON object")
    show.add_argument("--root", type=Path, default=DEFAULT_CONTENT_ROOT, help="content pack directory")
    show.set_defaults(handler=_show)


def _search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        print("kiosk: --limit must be at least 1")
        return 2
    library = LawLibrary(lambda: args.root)
    try:
        found = library.search(args.query, limit=args.limit)
    except KioskError as exc:
        print(f"kiosk: {exc}")
        return 1
    for rank, hit in enumerate(found.hits, start=1):
        if args.json:
            print(json.dumps({**_fields(hit.article), "rank": rank, "score": round(hit.score, 3),
                              "marks": [list(span) for span in hit.marks]}, ensure_ascii=False))
        else:
            snippet, _marks = hit.snippet()
            print(f"{rank:>2}. {hit.article.law.short} {hit.article.label}  ({hit.score:.1f})  {snippet}")
    return 0 if found.hits else 1


def _show(args: argparse.Namespace) -> int:
    library = LawLibrary(lambda: args.root)
    number, _, suffix = args.article.partition("之")
    if not number.isdigit():
        print(f"kiosk: article {args.article!r} is not a number (30, or 133之一)")
        return 2
    label = f"第{chinese_number(int(number))}条之{suffix}" if suffix else ""
    try:
        law = library.find_law(args.law)
        article = library.article(law, int(number), label) if law is not None else None
    except KioskError as exc:
        print(f"kiosk: {exc}")
        return 1
    if article is None:
        print(f"kiosk: no article {args.article} of {args.law!r} in the library")
        return 1
    if args.json:
        print(json.dumps(_fields(article), ensure_ascii=False))
    else:
        law = article.law
        print(f"《{law.name}》{article.label}  [{law.status}，{law.version_date}版]")
        for heading in (article.chapter, article.section):
            if heading:
                print(heading)
        print(article.text)
        for note in (article.note, law.note, law.source):
            if note:
                print(f"注：{note}")
    return 0


def _fields(article: Article) -> dict:
    """An article as JSON: the law's full name, the article number as an integer, label, status, text."""
    return {"law": article.law.name, "short": article.law.short, "article": article.number, "label": article.label,
            "chapter": article.chapter, "section": article.section, "status": article.law.status,
            "version_date": article.law.version_date, "text": article.text, "note": article.note}
