"""The labelling desk for triage questions: shows the next unlabelled real questions, records a reader's labels.

Why: labels are made by reading each question (with a model's guess beside it only to save typing); the texts are
printed to the reader's terminal and never written into the repository, which keeps `file line check → ids`.
`python -m kiosk_build.triage.labelling next 50` shows the next questions of the file's fixed random order;
`… find REGEX` shows unlabelled questions matching a pattern (targeted sampling of confusable cases);
`… add --sample random|targeted` reads `q123 l,cr` / `j45 r:ip` lines (short codes below) from stdin;
`… fix` reads the same lines for questions labelled already and replaces their ids (split and sample kept).

Labelling policy (what every label, new or corrected, follows; corrections of the test split are made by reading
the question only, never beside a model's answer):
- In scope: a careful reader can name a flow whose questions would give this citizen useful advice on what is
  asked, even when the text is short, colloquial, misspelt, third-person or cut off after the matter is stated
  ("跟楼下发生了纠纷" → property, mediation). Every id such a reader accepts is listed (up to three), best first:
  asking whether a debtor, a seller or a wrongdoer will be jailed, sentenced or is a criminal adds `criminal`
  ("信用卡不还会判刑吗" → debt, criminal); an assault whose victim asks about redress is criminal and
  personal_injury; a claim against one's own commercial insurer (理赔, payout) is consumer; people who run a shop
  or a job together (合伙开店, 退伙, how to share the money) have a partnership contract: contract, as topics.yaml
  routes it, while a company, its shares or a registered partnership enterprise (公司, 股东, 法人, 合伙企业) is
  `referral` for `company`; compulsory drug rehabilitation (强制/社区戒毒: visits, release) is administrative
  (criminal too when the citizen cannot tell the two apart), while what an old drug record bars later (a
  passport, a train ticket) is `other`; a police matter that is a public-security penalty or a crime by its amount
  or gravity (gambling, prostitution, drug use, a brawl) is administrative and criminal when the question does not
  say which track it is on, administrative when it says 行政/治安拘留 or a fine, criminal when it says 刑拘,
  取保候审 or a sentence. Also: court enforcement of a debt, a wage award or a mediated settlement (强制执行) is
  debt (and mediation for a mediation agreement), not `procedure`; a will is inheritance and notarization; a lease
  is property and contract; public rental housing (公租房, 廉租房) is social_security; prison visits and 传销 are
  criminal.
- Out of scope (`referral`, with a reason): what no flow covers. `unclear`: the kiosk cannot tell what is asked:
  the text stops before any matter is stated ("我2017年2月份在"), or carries no legal matter (chatter, a greeting,
  gibberish, facts with no question a flow could answer). `other`: a clear matter no flow covers: household
  registration and identity papers (moving or registering a hukou, also after a divorce or a birth, unless the
  other parent or family refuses it, which is a family dispute), family planning fines, elections, tenders,
  schools' rules, subsidies no social-security flow grants (family-planning grants, 独生子女/双女 subsidies),
  housing-fund (公积金) withdrawal, what an old record bars later (drug control, a conviction: a passport, a
  school), frozen or banned bank and platform accounts (whoever froze them; the matter behind comes second).
  `company`, `ip`, `foreign`, `tax`, `procedure` as OUT_OF_SCOPE_REASONS says.
- When the heart of a question is out of scope and a flow's matter only lies behind it (whether a judgment can
  reach a company's shareholders; how to move a hukou after a divorce), `referral` comes first and the flow second.
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


def fix(entries: list[str], labels: Path, data_dir: Path) -> dict[str, int]:
    """Replace the ids (and reason) of questions labelled already, by the policy above; returns changes per split."""
    sources = read_sources(data_dir)
    wanted = {}
    for entry in entries:
        file, line, ids, reason = parse_entry(entry)
        wanted[(file, line)] = (",".join(ids), reason)
    text = labels.read_text(encoding="utf-8")
    out, changed = [], {}
    for row in text.splitlines():
        cells = row.split("\t")
        key = (cells[0], int(cells[1])) if len(cells) == 7 and cells[1].isdigit() else None
        if key in wanted:
            if text_check(sources[key[0]][key[1]]) != cells[2]:
                raise ValueError(f"{key[0]}:{key[1]} text changed (check {cells[2]})")
            cells[3], cells[6] = wanted.pop(key)
            changed[cells[4]] = changed.get(cells[4], 0) + 1
        out.append("\t".join(cells))
    if wanted:
        raise ValueError(f"not labelled yet: {sorted(wanted)}")
    labels.write_text("\n".join(out) + "\n", encoding="utf-8")
    return changed


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
    sub.add_parser("fix", help="replace the ids of labelled questions with `q123 l,cr` lines from stdin")
    args = parser.parse_args(argv)
    entries = [line.split("#")[0].strip() for line in sys.stdin if line.split("#")[0].strip()] \
        if args.command in ("add", "fix") else []
    if args.command == "add":
        print(f"{add(entries, args.sample, args.labels, args.data_dir)} labels added", file=sys.stderr)
        return 0
    if args.command == "fix":
        print(f"labels changed per split: {fix(entries, args.labels, args.data_dir)}", file=sys.stderr)
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
