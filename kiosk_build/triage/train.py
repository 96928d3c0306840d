"""The triage training recipe: examples → character n-gram features → topic weights and the out-of-scope column.

Why apart from build.py: cross-validation (crossval.py) fits this same recipe on parts of the examples, and the build
fits it on all of them; both must train exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.legal.triage import BIAS_FEATURE, REFERRAL, SCOPE_KINDS, features, scope_logodds
from kiosk_build.triage.fit import Design, lbfgs, naive_bayes, objective, probabilities, scores


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    """The tunables of training, chosen by 5-fold cross-validation on the train split only (never the test split)."""

    max_ngram: int = 3
    min_examples: int = 2
    """A character n-gram becomes a feature when at least this many training texts contain it."""
    l2: float = 1.0
    seed_weight: float = 1.0
    """Weight of a hand-written example or keyword relative to one hand-labelled real question."""
    distant_weight: float = 0.5
    """Weight of a question labelled by its legal basis (agrees with the hand labels 4 times in 5)."""
    iterations: int = 400
    min_weight: float = 0.01
    """Features whose every weight is smaller than this (absolute) are dropped from the file."""
    nb_weight: float = 0.1
    """Weight of the naive Bayes log-probabilities added to the regression's weights (0: the regression alone)."""
    nb_alpha: float = 0.1
    """Additive smoothing of the naive Bayes n-gram counts."""


@dataclass(frozen=True, slots=True)
class Example:
    """One training text (normalised and rewritten), its acceptable ids, and its weight."""

    text: str
    topics: tuple[str, ...]
    weight: float
    question: str = ""
    """The raw text of a hand-labelled question (empty for seeds and distant labels): cross-validation folds by it."""
    reason: str = ""
    """Why an out-of-scope hand-labelled question is out of scope (devset.OUT_OF_SCOPE_REASONS), else empty."""

    @property
    def scope_kind(self) -> int:
        """0 in scope, else 1 + the index in SCOPE_KINDS of why no flow fits (seeds and distant labels: a matter)."""
        if self.topics[0] != REFERRAL:
            return 0
        return 1 + SCOPE_KINDS.index("unclear" if self.reason == "unclear" else "matter")


def vocabulary(texts: list[str], settings: TrainingSettings) -> list[str]:
    """Features present in at least `min_examples` texts (and the bias), sorted."""
    counts: dict[str, int] = {}
    for text in texts:
        for f in features(text, settings.max_ngram):
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, n in counts.items() if n >= settings.min_examples or f == BIAS_FEATURE)


def design(texts: list[str], index: dict[str, int], settings: TrainingSettings) -> tuple[np.ndarray, np.ndarray]:
    """CSR row starts and column ids of the texts over `index`."""
    starts, columns = [], []
    for text in texts:
        starts.append(len(columns))
        columns.extend(sorted(index[f] for f in features(text, settings.max_ngram) if f in index))
    return np.array(starts, dtype=np.int64), np.array(columns, dtype=np.int64)


def fit(examples: list[Example], classes: list[str], settings: TrainingSettings) -> tuple[list[str], np.ndarray]:
    """The feature names and their (features × classes + len(SCOPE_KINDS)) weights: one column per class, then the
    out-of-scope classifier's score of each SCOPE_KINDS against in scope (a softmax regression over in scope and the
    kinds, `referral` first being out of scope)."""
    names = vocabulary([e.text for e in examples], settings)
    index = {f: i for i, f in enumerate(names)}
    starts, columns = design([e.text for e in examples], index, settings)
    weight = np.array([e.weight for e in examples])
    accept = np.zeros((len(examples), len(classes)))
    position = {c: i for i, c in enumerate(classes)}
    for row, example in enumerate(examples):
        accept[row, [position[t] for t in example.topics]] = 1.0
    data = Design(starts, columns, accept, weight, len(names))
    flat = lbfgs(objective(data, settings.l2), np.zeros(len(names) * len(classes)), settings.iterations)
    weights = flat.reshape(len(names), len(classes))
    if settings.nb_weight:
        weights = weights + settings.nb_weight * naive_bayes(data, settings.nb_alpha, index[BIAS_FEATURE])
    kinds = np.eye(len(SCOPE_KINDS) + 1)[[e.scope_kind for e in examples]]
    scope = Design(starts, columns, kinds, weight, len(names))
    flat = lbfgs(objective(scope, settings.l2), np.zeros(len(names) * kinds.shape[1]), settings.iterations)
    scope_weights = flat.reshape(len(names), kinds.shape[1])
    return names, np.column_stack([weights, scope_weights[:, 1:] - scope_weights[:, :1]])


def predict(names: list[str], weights: np.ndarray, texts: list[str],
            settings: TrainingSettings) -> tuple[np.ndarray, np.ndarray]:
    """(texts × classes) probabilities and the out-of-scope log-odds, as the runtime computes them but unquantised."""
    index = {f: i for i, f in enumerate(names)}
    starts, columns = design(texts, index, settings)
    raw = scores(Design(starts, columns, np.zeros((0, 0)), np.zeros(0), len(names)), weights)
    kinds = len(SCOPE_KINDS)
    return probabilities(raw[:, :-kinds]), np.array([scope_logodds(row.tolist()) for row in raw[:, -kinds:]])
