"""The cross-validated referral curve and accuracy of the triage training recipe, on the train split only.

Why: `referral_at` (topics.yaml) must be chosen without looking at the held-out test split. Each hand-labelled train
question is answered by a model that did not train on it (crossval.py), and its out-of-scope probability by a gate
fitted on the other folds' answers; the curve is read from those.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.legal.triage import REFERRAL
from kiosk.legal.triage_text import load_t2s
from kiosk_build.triage.build import read_topics, training_examples
from kiosk_build.triage.crossval import FOLDS, out_of_fold
from kiosk_build.triage.metrics import referral_curve, score
from kiosk_build.triage.train import TrainingSettings

THRESHOLDS = [round(0.025 * k, 3) for k in range(4, 37)]


def answers(probs: list[dict[str, float]], outside: list[float], referral_at: float) -> list[list[str]]:
    """The kiosk's answer lists for given topic probabilities, out-of-scope probabilities and threshold."""
    out = []
    for p, o in zip(probs, outside):
        others = sorted((c for c in p if c != REFERRAL), key=lambda c: (-p[c], c))
        out.append([REFERRAL] + others[:2] if o >= referral_at else others[:3])
    return out


def print_curve(labels: Path, data_dir: Path, settings: TrainingSettings = TrainingSettings()) -> int:
    """Print the curve and the cross-validated scores at the configured threshold as one JSON object."""
    topics = read_topics()
    classes = sorted(topics["topics"])
    result = out_of_fold(training_examples(topics, load_t2s(), labels, data_dir, settings), classes, settings)
    probs = [dict(zip(classes, row.tolist())) for row in result.probs]
    outside = result.nested_gate().tolist()
    at = topics["referral_at"]
    report = {"folds": FOLDS, "questions": len(result.gold), "referral_at": at,
              "at_threshold": score(answers(probs, outside, at), result.gold),
              "curve": referral_curve(outside, result.gold, THRESHOLDS)}
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
