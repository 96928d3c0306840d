"""Distant labels for triage: the ids an answered question's legal basis points at (build time only).

Why: `legal_qa_sample.jsonl` pairs 2,000 real questions with the statutes their answers rest on; a question answered
from 劳动合同法 most likely belongs to `labor`. The law → ids rules live in `tests/data/triage_basis.yaml`;
`python -m kiosk_build.triage.basis` prints how often they agree with the hand labels, which is what decides how
much the build trusts them (TrainingSettings.distant_weight).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from kiosk.legal.library import parse_chinese_number
from kiosk_build.triage.devset import DEFAULT_DATA_DIR, DEFAULT_LABELS, QA_FILE, REPO_ROOT, load_dev_set

DEFAULT_RULES = REPO_ROOT / "tests" / "data" / "triage_basis.yaml"

_QUOTED = re.compile(r"《([^》]{2,60})》([^《》第；;，。\s]{0,30})\s*(?:第([零〇一二两三四五六七八九十百千]+)条)?")
"""《law》 or 《law》 plus the rest of a name (《民法典》婚姻家庭编的解释), then maybe 第N条."""
_PLAIN = re.compile(r"^\s*([^第；;，。]{2,60}?)第([零〇一二两三四五六七八九十百千]+)条")


@dataclass(frozen=True, slots=True)
class DistantQuestion:
    """A question of the Q/A file with the ids its legal basis points at, most cited first."""

    line: int
    text: str
    topics: tuple[str, ...]


def _clean(name: str) -> str:
    return name.replace("中华人民共和国", "").replace("《", "").replace("》", "").strip()


def cited(basis: str) -> list[tuple[str, int]]:
    """(law name, article number or 0) pairs cited by a legal-basis text, in order."""
    pairs = [(_clean(m[1] + m[2]), _number(m[3])) for m in _QUOTED.finditer(basis)]
    if pairs:
        return pairs
    out = []
    for part in re.split(r"[；;]", basis):
        match = _PLAIN.match(part)
        if match:
            out.append((_clean(match[1]), _number(match[2])))
    return out


def _number(numeral: str | None) -> int:
    return parse_chinese_number(numeral.replace("〇", "零").replace("两", "二")) if numeral else 0


class BasisRules:
    """The law → ids table of `triage_basis.yaml`."""

    def __init__(self, rules: dict) -> None:
        self._laws = sorted(rules["laws"].items(), key=lambda kv: -len(kv[0]))

    @classmethod
    def load(cls, path: Path = DEFAULT_RULES) -> BasisRules:
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    def ids(self, law: str, article: int) -> list[str]:
        """The ids one cited article points at (empty when the rules say nothing)."""
        for key, entry in self._laws:
            if key not in law:
                continue
            if not entry or isinstance(entry[0], str):
                return list(entry)
            for first, last, *ids in entry:
                if first <= article <= last:
                    return ids
            return []
        return []

    def topics(self, basis: str) -> tuple[str, ...]:
        """Ids of a whole basis, the most cited first (ties in order of first citation)."""
        votes: Counter[str] = Counter()
        order: dict[str, int] = {}
        for law, article in cited(basis):
            for rank, topic in enumerate(self.ids(law, article)):
                votes[topic] += 1.0 if rank == 0 else 0.5
                order.setdefault(topic, len(order))
        return tuple(sorted(votes, key=lambda t: (-votes[t], order[t])))


def distant_questions(data_dir: Path = DEFAULT_DATA_DIR, rules: BasisRules | None = None) -> list[DistantQuestion]:
    """Every question of the Q/A file whose basis points at some id."""
    rules = rules or BasisRules.load()
    out = []
    for line_no, line in enumerate((data_dir / QA_FILE).read_text(encoding="utf-8").split("\n"), 1):
        if line.strip():
            row = json.loads(line)
            topics = rules.topics(row["legal_basis"])
            if topics:
                out.append(DistantQuestion(line_no, row["question"], topics))
    return out


def agreement(labels: Path = DEFAULT_LABELS, data_dir: Path = DEFAULT_DATA_DIR) -> dict:
    """How the distant labels compare with the hand labels of the same questions."""
    hand = {q.text: q for q in load_dev_set(labels, data_dir)}
    pairs = [(d, hand[d.text]) for d in distant_questions(data_dir) if d.text in hand]
    confusions = Counter(f"{h.topic}→{d.topics[0]}" for d, h in pairs if d.topics[0] not in h.topics)
    return {
        "compared": len(pairs),
        "first_acceptable": round(sum(d.topics[0] in h.topics for d, h in pairs) / max(len(pairs), 1), 3),
        "any_acceptable": round(sum(bool(set(d.topics) & set(h.topics)) for d, h in pairs) / max(len(pairs), 1), 3),
        "confusions": dict(confusions.most_common(15)),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the agreement of the distant labels with the hand labels, and their counts per id."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    distant = distant_questions()
    report = agreement()
    report["distant_questions"] = len(distant)
    report["per_topic"] = dict(Counter(d.topics[0] for d in distant).most_common())
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
