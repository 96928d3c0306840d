"""The labelling desk for triage questions: shows the next unlabelled real questions, records a reader's labels.

Why: labels are made by reading each question (with a model's guess beside it only to save typing); the texts are
printed to the reader's terminal and never written into the repository, which keeps `file line check → ids`.
`python -m kiosk_build.triage.labelling next 50` shows the next questions of the file's fixed random order;
`… find REGEX` shows unlabelled questions matching a pattern (targeted sampling of confusable cases);
`… add --sample random|targeted` reads `q123 l,cr` / `j45 r:ip` lines (short codes below) from stdin.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from kiosk_build.triage.devset import (
    DEFAULT_DATA_DIR,
    DEFAULT_LABELS,
    OUT_OF_SCOPE_REASONS,
    QA_FILE,
    QUESTIONS_FILE,
    read_label_rows,
    read_sources,
    split_of,
    text_check,
)

CODES = {
    "l": "labor", "w": "work_injury", "m": "marriage_family", "i": "inheritance", "v": "domestic_violence",
    "d": "debt", "c": "contract", "u": "consumer", "t": "traffic_accident", "md": "medical",
    "p": "personal_injury", "h": "property", "ld": "land_demolition", "cr": "criminal", "a": "administrative",
    "s": "social_security", "la": "legal_aid", "me": "mediation", "n": "notarization", "r": "referral",
}
"""Short codes a reader types for each id of DESIGN §5."""

FILES = {"q": QUESTIONS_FILE, "j": QA_FILE}
ORDER_SEED = 19
"""Seed of each source file's fixed random reading order (issue 19)."""


def reading_order(count: int) -> list[int]:
    """Line numbers 2..count (line 1 of the TSV is its header; harmless for the JSONL) in the fixed random order."""
    lines = list(range(1, count + 1))
    random.Random(ORDER_SEED).shuffle(lines)
    return lines


def parse_entry(entry: str) -> tuple[str, int, list[str], str]:
    """`q123 l,cr` → (file, line, ids, reason); `j45 r:ip` → referral with reason `ip`."""
    where, codes = entry.split()
    file = FILES[where[0]]
    reason = ""
    ids = []
    for code in codes.split(","):
        if ":" in code:
            code, reason = code.split(":", 1)
            if reason not in OUT_OF_SCOPE_REASONS:
                raise ValueError(f"unknown reason {reason!r} in {entry!r}")
        ids.append(CODES[code])
    if (reason != "") != ("referral" in ids):
        raise ValueError(f"a referral (and only a referral) needs a reason: {entry!r}")
    return file, int(where[1:]), ids, reason


def _guess(model, text: str) -> str:
    """The model's two best ids as codes (a reading aid only)."""
    back = {v: k for k, v in CODES.items()}
    probs = model.probabilities(text)
    best = sorted(probs, key=lambda c: -probs[c])[:2]
    return ",".join(back[c] for c in best)


def show(candidates: list[tuple[str, int]], limit: int, labels: Path, data_dir: Path, width: int) -> None:
    """Print the first `limit` unlabelled candidates as `q123<TAB>guess<TAB>text`."""
    from kiosk.legal.triage import TriageModel

    model = TriageModel.load()
    sources = read_sources(data_dir)
    done = {(r["file"], int(r["line"])) for r in read_label_rows(labels)}
    seen_texts = {sources[r["file"]][int(r["line"])] for r in read_label_rows(labels)}
    back = {v: k for k, v in FILES.items()}
    shown = 0
    for file, line in candidates:
        text = sources[file][line]
        if (file, line) in done or not text or text in seen_texts:
            continue
        seen_texts.add(text)
        print(f"{back[file]}{line}\t{_guess(model, text)}\t{text[:width]}")
        shown += 1
        if shown >= limit:
            break


def add(entries: list[str], sample: str, labels: Path, data_dir: Path) -> int:
    """Append the entries' rows to the labels file; returns how many were added."""
    sources = read_sources(data_dir)
    rows = read_label_rows(labels)
    done = {(r["file"], int(r["line"])) for r in rows}
    split_by_check = {r["check"]: r["split"] for r in rows}
    added = []
    for entry in entries:
        file, line, ids, reason = parse_entry(entry)
        if (file, line) in done:
            raise ValueError(f"{file}:{line} is labelled already")
        text = sources[file][line]
        check = text_check(text)
        split = split_by_check.get(check) or split_of(text)
        split_by_check[check] = split
        done.add((file, line))
        added.append("\t".join([file, str(line), check, ",".join(ids), split, sample, reason]))
    with labels.open("a", encoding="utf-8") as out:
        out.writelines(row + "\n" for row in added)
    return len(added)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk_build.triage.labelling`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    sub = parser.add_subparsers(dest="command", required=True)
    nxt = sub.add_parser("next", help="the next unlabelled questions in the fixed random order")
    nxt.add_argument("count", type=int)
    nxt.add_argument("--file", choices=sorted(FILES), default="q")
    nxt.add_argument("--width", type=int, default=160)
    find = sub.add_parser("find", help="unlabelled questions matching a regular expression")
    find.add_argument("pattern")
    find.add_argument("--count", type=int, default=40)
    find.add_argument("--width", type=int, default=160)
    put = sub.add_parser("add", help="append `q123 l,cr` lines from stdin")
    put.add_argument("--sample", choices=("random", "targeted"), required=True)
    args = parser.parse_args(argv)
    if args.command == "add":
        entries = [line.strip() for line in sys.stdin if line.strip() and not line.startswith("#")]
        print(f"{add(entries, args.sample, args.labels, args.data_dir)} labels added", file=sys.stderr)
        return 0
    sources = read_sources(args.data_dir)
    if args.command == "next":
        file = FILES[args.file]
        show([(file, n) for n in reading_order(len(sources[file]) - 1)], args.count, args.labels, args.data_dir,
             args.width)
        return 0
    pattern = re.compile(args.pattern)
    hits = [(f, n) for f in FILES.values() for n, t in enumerate(sources[f]) if n and pattern.search(t)]
    show(hits, args.count, args.labels, args.data_dir, args.width)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
