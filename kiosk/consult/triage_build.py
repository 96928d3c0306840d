"""Builds the triage model file from the repository's sources, reproducibly (same sources → same bytes).

Why: the model must be rebuilt whenever `topics.yaml` or the labels change, by anyone, with identical output, so
that a test can tell a stale shipped model. Training: multinomial logistic regression by plain SGD with a fixed
seed and order; sources: the common questions and keywords of `topics.yaml` (the team's own words) and the train
split of the labelled development set (question texts read from ../shared/data, never shipped).
Run `kiosk triage build` or `python -m kiosk.consult.triage_build`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

import yaml

from kiosk.consult.triage import (
    BIAS_FEATURE,
    KEYWORD_PREFIX,
    MODEL_PATH,
    REFERRAL,
    WEIGHT_SCALE,
    features,
    softmax,
)
from kiosk.consult.triage_devset import DEFAULT_DATA_DIR, DEFAULT_LABELS, LabelledQuestion, load_dev_set
from kiosk.consult.triage_text import CONTENT_DIR, T2S_PATH, load_t2s, normalise

TOPICS_PATH = CONTENT_DIR / "topics.yaml"
MODEL_SCHEMA = 1


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """The tunables of training, chosen by 5-fold cross-validation on the train split only (never the test split)."""

    max_ngram: int = 3
    epochs: int = 12
    learning_rate: float = 0.1
    """Initial SGD step; step of epoch e is learning_rate / (1 + e)."""
    l2: float = 1e-4
    seed_weight: float = 1.0
    """Weight of a hand-written example or keyword relative to one labelled real question."""
    shuffle_seed: int = 6
    min_weight: float = 0.05
    """Features whose every weight is smaller than this (absolute) are dropped from the file."""


def read_topics(path: Path = TOPICS_PATH) -> dict:
    """The hand-written triage sources: per id, name, keywords, common questions; plus `referral_below`."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def training_examples(
    topics: dict, labelled: list[LabelledQuestion], t2s: dict[str, str], settings: TrainingSettings
) -> list[tuple[str, str, float]]:
    """(normalised text, id, weight) in a fixed order: hand-written seeds first, then labelled questions."""
    seeds = [
        (normalise(phrase, t2s), topic, settings.seed_weight)
        for topic, entry in topics["topics"].items()
        for phrase in entry["examples"] + entry["keywords"]
    ]
    real = [(normalise(q.text, t2s), q.topic, 1.0) for q in labelled]
    return [example for example in seeds + real if example[0]]


def keyword_table(topics: dict, t2s: dict[str, str]) -> dict[str, list[str]]:
    """Normalised keywords per id, as the runtime matches them."""
    return {
        topic: sorted({normalise(word, t2s) for word in entry["keywords"]} - {""})
        for topic, entry in topics["topics"].items()
    }


def train_weights(
    examples: list[tuple[str, str, float]],
    classes: list[str],
    keywords: dict[str, list[str]],
    settings: TrainingSettings,
) -> dict[str, list[float]]:
    """Softmax regression by SGD with L2 shrinkage on the touched rows; deterministic for given inputs."""
    index = {c: i for i, c in enumerate(classes)}
    rows = [(sorted(features(text, keywords, settings.max_ngram)), index[topic], w) for text, topic, w in examples]
    weights: dict[str, list[float]] = {}
    rng = random.Random(settings.shuffle_seed)
    width = len(classes)
    for epoch in range(settings.epochs):
        rng.shuffle(rows)
        step = settings.learning_rate / (1 + epoch)
        for feats, label, example_weight in rows:
            scores = [0.0] * width
            for f in feats:
                row = weights.get(f)
                if row is not None:
                    scores = [a + b for a, b in zip(scores, row)]
            grad = softmax(scores)
            grad[label] -= 1.0
            for f in feats:
                row = weights.setdefault(f, [0.0] * width)
                for c in range(width):
                    row[c] -= step * example_weight * (grad[c] + settings.l2 * row[c])
    return weights


def build_model(
    topics: dict,
    labelled: list[LabelledQuestion],
    t2s: dict[str, str],
    settings: TrainingSettings = TrainingSettings(),
) -> dict:
    """The model document: classes, names, common questions, keywords, quantised weights, referral threshold."""
    classes = sorted(topics["topics"])
    if REFERRAL not in classes:
        raise ValueError("topics.yaml must define the `referral` id")
    keywords = keyword_table(topics, t2s)
    weights = train_weights(training_examples(topics, labelled, t2s, settings), classes, keywords, settings)
    kept = {
        f: [round(w * WEIGHT_SCALE) for w in row]
        for f, row in weights.items()
        if f in (BIAS_FEATURE,) or f.startswith(KEYWORD_PREFIX) or max(abs(w) for w in row) >= settings.min_weight
    }
    return {
        "schema": MODEL_SCHEMA,
        "classes": classes,
        "names": {c: topics["topics"][c]["name"] for c in classes},
        "common_questions": {c: topics["topics"][c]["examples"] for c in classes},
        "keywords": keywords,
        "max_ngram": settings.max_ngram,
        "referral_below": topics["referral_below"],
        "weights": dict(sorted(kept.items())),
    }


def serialise(model: dict) -> bytes:
    """Compact JSON with one weight row per line: stable bytes, readable diffs."""
    head = {k: v for k, v in model.items() if k != "weights"}
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True, separators=(",", ":"))[:-1] + ',"weights":{']
    rows = [json.dumps(f, ensure_ascii=False) + ":" + json.dumps(row, separators=(",", ":")) for f, row in model["weights"].items()]
    lines.append(",\n".join(rows))
    lines.append("}}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build_bytes(
    topics_path: Path = TOPICS_PATH,
    labels_path: Path = DEFAULT_LABELS,
    data_dir: Path = DEFAULT_DATA_DIR,
    t2s_path: Path = T2S_PATH,
) -> bytes:
    """The model file's bytes, built from the sources (train split only)."""
    labelled = [q for q in load_dev_set(labels_path, data_dir) if q.split == "train"]
    return serialise(build_model(read_topics(topics_path), labelled, load_t2s(t2s_path)))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the build command (shared by `kiosk triage build` and `python -m`)."""
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labelled development set (TSV)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="folder of the source questions")


def run(args: argparse.Namespace) -> int:
    """Build and write the model; prints its size."""
    data = build_bytes(labels_path=args.labels, data_dir=args.data_dir)
    args.out.write_bytes(data)
    print(f"triage model: {len(data)} bytes → {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk.consult.triage_build`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
