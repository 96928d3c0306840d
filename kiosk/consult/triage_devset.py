"""Reads the hand-labelled triage development set: labels in the repository, question texts from ../shared/data.

Why: the real questions may not be copied into the project (their README says so); the labels file only points
at them by file and line and carries a short hash so that a changed source file is noticed, not silently mislabelled.
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


@dataclass(frozen=True, slots=True)
class LabelledQuestion:
    """One real question with the topic a reviewer chose for it."""

    text: str
    topic: str
    split: str
    sample: str


class DevSetError(RuntimeError):
    """The labels do not match the source files (missing file, line or changed text)."""


def text_check(text: str) -> str:
    """Short fingerprint of a question's text, stored beside its label."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _read_sources(data_dir: Path) -> dict[str, list[str]]:
    """Question text per 1-based physical line, for each source file."""
    sources: dict[str, list[str]] = {}
    tsv = data_dir / "unlabelled_real_questions.tsv"
    sources[tsv.name] = [""] + [
        line.split("\t", 1)[1] if "\t" in line else "" for line in tsv.read_text(encoding="utf-8").split("\n")
    ]
    jsonl = data_dir / "legal_qa_sample.jsonl"
    sources[jsonl.name] = [""] + [
        json.loads(line)["question"] if line.strip() else "" for line in jsonl.read_text(encoding="utf-8").split("\n")
    ]
    return sources


def load_dev_set(labels: Path = DEFAULT_LABELS, data_dir: Path = DEFAULT_DATA_DIR) -> list[LabelledQuestion]:
    """All labelled questions in file order; raises DevSetError when a pointer or a text check fails."""
    try:
        sources = _read_sources(data_dir)
    except OSError as exc:
        raise DevSetError(f"source questions unreadable in {data_dir}: {exc}") from exc
    rows = [line for line in labels.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    out: list[LabelledQuestion] = []
    for row in csv.DictReader(rows, delimiter="\t"):
        lines = sources.get(row["file"])
        line_no = int(row["line"])
        if lines is None or not 0 < line_no < len(lines):
            raise DevSetError(f"{row['file']}:{line_no} does not exist")
        text = lines[line_no]
        if text_check(text) != row["check"]:
            raise DevSetError(f"{row['file']}:{line_no} text changed (check {row['check']})")
        out.append(LabelledQuestion(text=text, topic=row["topic"], split=row["split"], sample=row["sample"]))
    return out
