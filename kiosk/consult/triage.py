"""Smart consultation triage: a citizen's own words → ranked topic ids, offline, in about a millisecond.

Why: many citizens cannot name the legal category of their problem. A small linear model (multinomial logistic
regression over character 1–3-grams of the normalised text plus keyword-hit features) scores every topic and
service id of DESIGN §5; a question the model is unsure about, or that looks out of scope, goes to `referral`
rather than to a wrong flow. The model is plain JSON built by `kiosk triage build` from `topics.yaml` and the
train part of the labelled development set; loading needs only the standard library.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from kiosk.consult.triage_text import CONTENT_DIR, T2S_PATH, load_t2s, normalise

MODEL_PATH = CONTENT_DIR / "model.json"
"""The shipped model (built, committed, checked against a fresh build by the tests)."""
PACK_DIR = Path("triage")
"""Where a content pack keeps its model and character map: a pack that adds a flow brings the words that find it."""

REFERRAL = "referral"
BIAS_FEATURE = "\x00bias"
KEYWORD_PREFIX = "\x00kw:"
WEIGHT_SCALE = 1000
"""Weights are stored as integers in thousandths: compact, and identical bytes on every rebuild."""

MIN_TOPICS = 3
"""A non-referral answer always offers at least this many topics (the UI shows them as buttons)."""


def features(text: str, keywords: dict[str, list[str]], max_n: int) -> set[str]:
    """Character 1..max_n-grams of normalised `text`, one feature per topic with a keyword hit, and a bias."""
    found = {BIAS_FEATURE}
    for n in range(1, max_n + 1):
        found.update(text[i : i + n] for i in range(len(text) - n + 1))
    for topic, words in keywords.items():
        if any(word in text for word in words):
            found.add(KEYWORD_PREFIX + topic)
    return found


def softmax(scores: list[float]) -> list[float]:
    """Probabilities from raw scores (numerically stable)."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True, slots=True)
class TopicScore:
    """One candidate: a topic or service id of DESIGN §5 and the model's probability for it (0..1)."""

    id: str
    score: float


@dataclass(frozen=True, slots=True)
class TriageResult:
    """Candidates best first; `referral` is true when the kiosk should offer 其他 / 转人工 / 12348 first."""

    topics: tuple[TopicScore, ...]
    referral: bool

    def to_json(self, question: str) -> dict:
        """The `kiosk triage --jsonl` line for this result."""
        return {
            "question": question,
            "topics": [{"id": t.id, "score": t.score} for t in self.topics],
            "referral": self.referral,
        }


class TriageModel:
    """A loaded triage model; immutable and safe to share between threads."""

    def __init__(self, model: dict, t2s: dict[str, str]) -> None:
        self._classes: list[str] = model["classes"]
        self._names: dict[str, str] = model["names"]
        self._common: dict[str, list[str]] = model["common_questions"]
        self._keywords: dict[str, list[str]] = model["keywords"]
        self._max_n: int = model["max_ngram"]
        self._referral_below: float = model["referral_below"]
        self._weights: dict[str, list[int]] = model["weights"]
        self._t2s = t2s

    @classmethod
    def load(cls, path: Path = MODEL_PATH, t2s_path: Path = T2S_PATH) -> TriageModel:
        """Read the model file and the character map (about 50 ms on a kiosk board)."""
        return cls(json.loads(path.read_text(encoding="utf-8")), load_t2s(t2s_path))

    @classmethod
    def of_pack(cls, content_root: Path) -> TriageModel:
        """The model of the content pack under `content_root` (the one the kiosk's consultations use)."""
        return cls.load(content_root / PACK_DIR / MODEL_PATH.name, content_root / PACK_DIR / T2S_PATH.name)

    @property
    def classes(self) -> tuple[str, ...]:
        """Every id the model can answer, in model order."""
        return tuple(self._classes)

    def name(self, topic_id: str) -> str:
        """The Chinese name of a topic or service id (shown on the button)."""
        return self._names[topic_id]

    def common_questions(self, topic_id: str, limit: int = 6) -> list[str]:
        """Common questions of one topic, most typical first, for the suggestions list."""
        return self._common.get(topic_id, [])[:limit]

    def probabilities(self, question: str) -> dict[str, float]:
        """The model's probability for every id; an empty or unreadable question is all referral."""
        text = normalise(question, self._t2s)
        if not text:
            return {c: float(c == REFERRAL) for c in self._classes}
        sums = [0] * len(self._classes)
        for feature in features(text, self._keywords, self._max_n):
            row = self._weights.get(feature)
            if row is not None:
                sums = [a + b for a, b in zip(sums, row)]
        probs = softmax([s / WEIGHT_SCALE for s in sums])
        return dict(zip(self._classes, probs))

    def rank(self, question: str, limit: int = MIN_TOPICS) -> TriageResult:
        """Ranked candidates for `question`: at least `limit` topics, or a referral first when unsure."""
        probs = self.probabilities(question)
        ordered = sorted(probs, key=lambda c: (-probs[c], c))
        best = ordered[0]
        referral = best == REFERRAL or probs[best] < self._referral_below
        others = [c for c in ordered if c != REFERRAL]
        chosen = ([REFERRAL] + others[: max(limit - 1, 0)]) if referral else others[: max(limit, MIN_TOPICS)]
        return TriageResult(tuple(TopicScore(c, round(probs[c], 3)) for c in chosen), referral)
