"""The cross-validated referral curve and accuracy of the triage training recipe, on the train split only.

Why: `referral_at` (topics.yaml) and the training settings must be chosen without looking at the held-out test
split; 5-fold cross-validation over the hand-labelled train questions (seeds and distant questions always train)
gives out-of-fold probabilities for every train question, from which the curve is read.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.consult.triage import REFERRAL
from kiosk_build.triage.build import (
    TrainingSettings,
    fit,
    predict,
    read_topics,
    reader,
    training_examples,
)
from kiosk_build.triage.devset import load_dev_set, text_check
from kiosk_build.triage.metrics import referral_curve, score
from kiosk.consult.triage_text import load_t2s

FOLDS = 5
THRESHOLDS = [round(0.05 * k, 2) for k in range(2, 19)]


def out_of_fold(labels: Path, data_dir: Path, settings: TrainingSettings = TrainingSettings()
                ) -> tuple[list[dict[str, float]], list[tuple[str, ...]]]:
    """Probabilities for every hand-labelled train question from a model that did not train on it."""
    topics = read_topics()
    t2s = load_t2s()
    read = reader(topics, t2s)
    classes = sorted(topics["topics"])
    hand = [q for q in load_dev_set(labels, data_dir) if q.split == "train" and read(q.text)]
    fold_of = {q.text: int(text_check(q.text), 16) % FOLDS for q in hand}
    everything = training_examples(topics, t2s, labels, data_dir, settings)
    probs: list[dict[str, float]] = []
    gold: list[tuple[str, ...]] = []
    for fold in range(FOLDS):
        train = [e for e in everything if fold_of.get(e.question, -1) != fold]
        held = [q for q in hand if fold_of[q.text] == fold]
        names, weights = fit(train, classes, settings)
        for q, row in zip(held, predict(names, weights, [read(q.text) for q in held], settings)):
            probs.append(dict(zip(classes, row.tolist())))
            gold.append(q.topics)
    return probs, gold


def answers(probs: list[dict[str, float]], referral_at: float) -> list[list[str]]:
    """The kiosk's answer lists for given probabilities and threshold."""
    out = []
    for p in probs:
        others = sorted((c for c in p if c != REFERRAL), key=lambda c: (-p[c], c))
        out.append([REFERRAL] + others[:2] if p[REFERRAL] >= referral_at else others[:3])
    return out


def print_curve(labels: Path, data_dir: Path) -> int:
    """Print the curve and the cross-validated scores at the configured threshold as one JSON object."""
    probs, gold = out_of_fold(labels, data_dir)
    at = read_topics()["referral_at"]
    report = {"folds": FOLDS, "questions": len(gold), "referral_at": at,
              "at_threshold": score(answers(probs, at), gold),
              "curve": referral_curve(probs, gold, THRESHOLDS)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
