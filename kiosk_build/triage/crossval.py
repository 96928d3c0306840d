"""Out-of-fold answers for the train split's hand-labelled questions: what the gate and the curve are fitted on.

Why: `referral_at`, the referral gate and the training settings must be chosen without looking at the held-out test
split; 5-fold cross-validation over the hand-labelled train questions (seeds and distant questions always train)
gives, for every such question, the answer of a model that did not train on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.legal.triage import REFERRAL
from kiosk_build.triage.train import Example, TrainingSettings, fit, predict
from kiosk_build.triage.devset import text_check
from kiosk_build.triage.gate import apply_gate, fit_gate, input_matrix

FOLDS = 5


@dataclass(frozen=True, slots=True)
class OutOfFold:
    """For each hand-labelled train question: its fold, acceptable ids, topic probabilities and gate inputs."""

    folds: np.ndarray
    gold: list[tuple[str, ...]]
    probs: np.ndarray
    inputs: np.ndarray

    @property
    def outside(self) -> np.ndarray:
        """1.0 where the question is out of scope (its best acceptable id is `referral`)."""
        return np.array([g[0] == REFERRAL for g in self.gold], dtype=float)

    def nested_gate(self) -> np.ndarray:
        """P(out of scope) of each question from a gate fitted on the other folds' answers (for an honest curve)."""
        outside = self.outside
        result = np.zeros(len(self.gold))
        for fold in range(FOLDS):
            held = self.folds == fold
            result[held] = apply_gate(fit_gate(self.inputs[~held], outside[~held]), self.inputs[held])
        return result


def fold_of(question: str) -> int:
    """A hand-labelled question's fold, fixed by its text (a duplicate falls beside its twin)."""
    return int(text_check(question), 16) % FOLDS


def out_of_fold(examples: list[Example], classes: list[str], settings: TrainingSettings) -> OutOfFold:
    """Fit FOLDS models, each without one fold of the hand-labelled questions, and answer that fold."""
    folds, gold, probs, scope = [], [], [], []
    for fold in range(FOLDS):
        held = [e for e in examples if e.question and fold_of(e.question) == fold]
        names, weights = fit([e for e in examples if not (e.question and fold_of(e.question) == fold)], classes,
                             settings)
        fold_probs, fold_scope = predict(names, weights, [e.text for e in held], settings)
        folds += [fold] * len(held)
        gold += [e.topics for e in held]
        probs.append(fold_probs)
        scope.append(fold_scope)
    stacked = np.vstack(probs)
    return OutOfFold(np.array(folds), gold, stacked,
                     input_matrix(stacked, np.concatenate(scope), classes.index(REFERRAL)))
