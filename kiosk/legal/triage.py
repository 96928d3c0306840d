"""Smart consultation triage: a citizen's own words → ranked topic ids, offline, in about a millisecond.

Why: many citizens cannot name the legal category of their problem. A small linear model over character 1–3-grams of
the normalised text (a softmax regression's weights plus naive Bayes log-probabilities, added at build time) scores
every topic and service id of DESIGN §5. Referral is its own decision: a second classifier over the same n-grams
tells in scope from a matter no flow covers (company law, IP, foreign law, household registration) and from text
that states no matter (cut off, unreadable), and a calibrated gate weighs it with the topic scores (how likely
`referral` is, how sure the best topic is, how spread the topics are) into the probability that the question is
out of scope. The kiosk offers 其他 / 转人工 / 12348 first only when that probability reaches `referral_at`, never
merely because a question is short or colloquial. The model is JSON built by `python -m kiosk_build.triage.build`
from `topics.yaml` and labelled questions; loading needs only the standard library.
"""

from __future__ import annotations

import base64
import json
import math
import sys
from array import array
from dataclasses import dataclass
from operator import add
from pathlib import Path

from kiosk.legal.triage_text import ANON_MARK, CONTENT_DIR, DIGIT_MARK, T2S_PATH, Rewriter, load_t2s, normalise

MODEL_PATH = CONTENT_DIR / "model.json"
"""The shipped model (built, committed, checked against a fresh build by the tests)."""
PACK_DIR = Path("triage")
"""Where a content pack keeps its model and character map: a pack that adds a flow brings the words that find it."""

MODEL_SCHEMA = 4
"""Schema 4: features as one newline-joined string, weights as base64 little-endian int16 rows (one per feature: a
weight per class, then the out-of-scope classifier's score of each SCOPE_KINDS), and the referral gate's
coefficients (GATE_INPUTS)."""

REFERRAL = "referral"
BIAS_FEATURE = "\x00bias"

MIN_TOPICS = 3
"""A non-referral answer always offers at least this many topics (the UI shows them as buttons)."""


def features(text: str, max_n: int) -> set[str]:
    """Character 1..max_n-grams of normalised `text`, and the bias."""
    found = {BIAS_FEATURE}
    for n in range(1, max_n + 1):
        found.update(text[i : i + n] for i in range(len(text) - n + 1))
    return found


SCOPE_KINDS = ("matter", "unclear")
"""Why no flow fits, as the out-of-scope classifier tells them apart: a matter no flow covers (company law, IP,
foreign law, household registration …), or text from which nobody can tell what is asked (cut off, no legal matter).
Each is scored against in scope; the wording of the two differs so much that one line between in and out fits
neither well."""


def scope_logodds(kind_scores: list[float]) -> float:
    """Log-odds of out of scope (any kind) against in scope, from each kind's score against in scope."""
    top = max(kind_scores)
    return top + math.log(sum(math.exp(s - top) for s in kind_scores))


GATE_INPUTS = ("referral_logodds", "scope_logodds", "best_topic_logp", "topic_entropy")
"""What the referral gate weighs, in its coefficients' order (gate_inputs computes them)."""

_FLOOR = 1e-9
"""Smallest probability taken into a logarithm, so a certain answer gives a large number, not infinity."""


def gate_inputs(probs: list[float], referral_index: int, outside_logodds: float) -> tuple[float, ...]:
    """The referral gate's inputs from the topic probabilities and the out-of-scope classifier's log-odds.

    Why these: `referral` high, or no topic clearly ahead (a low best topic, topics spread evenly), both say that no
    flow fits; the out-of-scope classifier says it from the words alone.
    """
    p_referral = min(max(probs[referral_index], _FLOOR), 1.0 - _FLOOR)
    topics = [p for i, p in enumerate(probs) if i != referral_index]
    total = sum(topics)
    entropy = -sum(p / total * math.log(max(p / total, _FLOOR)) for p in topics) if total > 0 else 0.0
    return (math.log(p_referral / (1.0 - p_referral)), outside_logodds, math.log(max(max(topics), _FLOOR)), entropy)


def sigmoid(z: float) -> float:
    """Logistic function, safe for large |z|."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def softmax(scores: list[float]) -> list[float]:
    """Probabilities from raw scores (numerically stable)."""
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def decode_weights(encoded: str) -> array:
    """The int16 weight table from its base64 text (stored little-endian whatever the building machine)."""
    table = array("h", base64.b64decode(encoded))
    if sys.byteorder != "little":
        table.byteswap()
    return table


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
        if model.get("schema") != MODEL_SCHEMA:
            raise ValueError(f"triage model schema {model.get('schema')!r}, expected {MODEL_SCHEMA}")
        self._classes: list[str] = model["classes"]
        self._referral_index = self._classes.index(REFERRAL)
        self._names: dict[str, str] = model["names"]
        self._common: dict[str, list[str]] = model["common_questions"]
        self._max_n: int = model["max_ngram"]
        self._referral_at: float = model["referral_at"]
        self._scale: float = model["weight_scale"]
        self._gate: dict[str, float] = model["referral_gate"]
        if set(self._gate) != {*GATE_INPUTS, "bias"}:
            raise ValueError(f"triage model gate {sorted(self._gate)}, expected {sorted(GATE_INPUTS)} and bias")
        self._rewrite = Rewriter(model["rewrites"])
        self._width = len(self._classes) + len(SCOPE_KINDS)
        names = model["features"].split("\n")
        self._rows = dict(zip(names, range(0, len(names) * self._width, self._width)))
        self._weights = decode_weights(model["weights"])
        if len(self._weights) != len(self._rows) * self._width:
            raise ValueError("triage model weights do not match its features")
        self._t2s = t2s

    @classmethod
    def load(cls, path: Path = MODEL_PATH, t2s_path: Path = T2S_PATH) -> TriageModel:
        """Read the model file and the character map (tens of milliseconds on a kiosk board)."""
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

    def text(self, question: str) -> str:
        """The question as the model reads it: normalised, dialect words rewritten."""
        return self._rewrite(normalise(question, self._t2s))

    def judge(self, question: str) -> tuple[dict[str, float], float]:
        """The probability of every id, and the gate's probability that the question is out of scope (0..1).

        A question without a word (empty, symbols, figures) is all referral and certainly out of scope."""
        text = self.text(question)
        if not text.strip(DIGIT_MARK + ANON_MARK):
            return {c: float(c == REFERRAL) for c in self._classes}, 1.0
        sums = [0] * self._width
        weights = self._weights
        for feature in features(text, self._max_n):
            start = self._rows.get(feature)
            if start is not None:
                sums = list(map(add, sums, weights[start : start + self._width]))
        kinds = len(SCOPE_KINDS)
        probs = softmax([s * self._scale for s in sums[:-kinds]])
        inputs = gate_inputs(probs, self._referral_index, scope_logodds([s * self._scale for s in sums[-kinds:]]))
        gate = self._gate
        outside = sigmoid(gate["bias"] + sum(gate[name] * x for name, x in zip(GATE_INPUTS, inputs)))
        return dict(zip(self._classes, probs)), outside

    def probabilities(self, question: str) -> dict[str, float]:
        """The model's probability for every id (a question without a word is all referral)."""
        return self.judge(question)[0]

    def rank(self, question: str, limit: int = MIN_TOPICS) -> TriageResult:
        """Ranked candidates for `question`: at least `limit` topics, or a referral first when it is one (its score
        is then the gate's probability that the question is out of scope)."""
        probs, outside = self.judge(question)
        referral = outside >= self._referral_at
        others = sorted((c for c in probs if c != REFERRAL), key=lambda c: (-probs[c], c))
        if referral:
            chosen = [TopicScore(REFERRAL, round(outside, 3))] + [TopicScore(c, round(probs[c], 3))
                                                                 for c in others[: max(limit - 1, 0)]]
        else:
            chosen = [TopicScore(c, round(probs[c], 3)) for c in others[: max(limit, MIN_TOPICS)]]
        return TriageResult(tuple(chosen), referral)
