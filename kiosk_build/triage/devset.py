"""Reads the hand-labelled triage questions: labels in the repository, question texts from ../shared/data.

Why: the real questions may not be copied into the project (their README says so); the labels file only points
at them by file and line and carries a short hash so that a changed source file is noticed, not silently mislabelled.
A question may have several acceptable ids (an assault is `criminal` and `personal_injury`), best first; an
out-of-scope question is `referral` with a reason (OUT_OF_SCOPE_REASONS).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_LABELS = REPO_ROOT / "tests" / "data" / "triage_dev.tsv"
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
QUESTIONS_FILE = "unlabelled_real_questions.tsv"
QA_FILE = "legal_qa_sample.jsonl"

OUT_OF_SCOPE_REASONS = {
    "company": "company, partnership or securities law",
    "ip": "trademarks, patents, copyright",
    "foreign": "foreign law, visas, abroad",
    "tax": "taxes and fees of the state",
    "procedure": "court procedure or lawyers in general, with no dispute the kiosk has a flow for",
    "unclear": "truncated or too vague to tell a problem",
    "other": "a matter no flow covers (education, identity papers, environment, business licences …)",
}
"""Why a question is out of scope (the `reason` column of a `referral` label)."""

TEST_SHARE = 4
"""One question in TEST_SHARE goes to the held-out test split, by its text's hash (duplicates share a split)."""


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One real question with every id a careful reader accepts for it, best first."""

    text: str
    topics: tuple[str, ...]
    split: str
    sample: str
    reason: str = ""

    @property
    def topic(self) -> str:
        """The best id."""
        return self.topics[0]


class DevSetError(RuntimeError):
    """The labels do not match the source files (missing file, line or changed text)."""


def text_check(text: str) -> str:
    """Short fingerprint of a question's text, stored beside its label."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def split_of(text: str) -> str:
    """The fixed split of a newly labelled question: by its text's hash, so a duplicate lands beside its twin."""
    return "test" if int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % TEST_SHARE == 0 else "train"


def read_sources(data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, list[str]]:
    """Question text per 1-based physical line, for each source file (index 0 and the TSV's header are empty)."""
    sources: dict[str, list[str]] = {}
    tsv = data_dir / QUESTIONS_FILE
    sources[tsv.name] = ["", ""] + [
        line.split("\t", 1)[1] if "\t" in line else "" for line in tsv.read_text(encoding="utf-8").split("\n")[1:]
    ]
    jsonl = data_dir / QA_FILE
    sources[jsonl.name] = [""] + [
        json.loads(line)["question"] if line.strip() else "" for line in jsonl.read_text(encoding="utf-8").split("\n")
    ]
    return sources


def read_label_rows(labels: Path = DEFAULT_LABELS) -> list[dict[str, str]]:
    """The label rows as written (no source check)."""
    rows = [line for line in labels.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return [dict(row) for row in csv.DictReader(rows, delimiter="\t")]


def load_dev_set(labels: Path = DEFAULT_LABELS, data_dir: Path = DEFAULT_DATA_DIR) -> list[LabelledQuestion]:
    """All labelled questions in file order; raises DevSetError when a pointer or a text check fails."""
    try:
        sources = read_sources(data_dir)
    except OSError as exc:
        raise DevSetError(f"source questions unreadable in {data_dir}: {exc}") from exc
    out: list[LabelledQuestion] = []
    for row in read_label_rows(labels):
        lines = sources.get(row["file"])
        line_no = int(row["line"])
        if lines is None or not 0 < line_no < len(lines):
            raise DevSetError(f"{row['file']}:{line_no} does not exist")
        text = lines[line_no]
        if text_check(text) != row["check"]:
            raise DevSetError(f"{row['file']}:{line_no} text changed (check {row['check']})")
        topics = tuple(row["topics"].split(","))
        out.append(LabelledQuestion(text, topics, row["split"], row["sample"], row.get("reason") or ""))
    return out
