"""Fits the triage model's weights: softmax regression with several acceptable labels, by L-BFGS (build time only).

Why: a question may have several right answers (an assault is `criminal` and `personal_injury`); the loss is the
negative log of the probability given to *any* acceptable id, so the model is not pushed away from one right answer
towards another. Only element-wise numpy and bincount are used (no BLAS), so a rebuild gives the same weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


@dataclass(frozen=True, slots=True)
class Design:
    """Examples as a sparse binary matrix (CSR: row starts and column ids), acceptable-id masks, example weights."""

    starts: np.ndarray
    columns: np.ndarray
    accept: np.ndarray
    """(examples × classes) 1.0 where the id is acceptable."""
    weight: np.ndarray
    features: int

    @property
    def rows(self) -> np.ndarray:
        """The example of each stored entry."""
        return np.repeat(np.arange(len(self.starts)), np.diff(np.append(self.starts, len(self.columns))))


def scores(design: Design, weights: np.ndarray) -> np.ndarray:
    """(examples × classes) raw scores: the sum of each example's feature rows."""
    return np.add.reduceat(weights[design.columns], design.starts)


def probabilities(raw: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    shifted = np.exp(raw - raw.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def objective(design: Design, l2: float) -> Objective:
    """Loss and gradient of flat weights: −Σ w·log P(acceptable) + l2/2·|W|²."""
    rows = design.rows
    classes = design.accept.shape[1]

    def evaluate(flat: np.ndarray) -> tuple[float, np.ndarray]:
        weights = flat.reshape(design.features, classes)
        probs = probabilities(scores(design, weights))
        accepted = (probs * design.accept).sum(axis=1)
        loss = float(-(design.weight * np.log(accepted)).sum() + 0.5 * l2 * (flat * flat).sum())
        residual = design.weight[:, None] * (probs - probs * design.accept / accepted[:, None])
        spread = residual[rows]
        grad = np.stack([np.bincount(design.columns, spread[:, c], design.features) for c in range(classes)], axis=1)
        return loss, (grad + l2 * weights).ravel()

    return evaluate


def naive_bayes(design: Design, alpha: float, bias: int) -> np.ndarray:
    """(features × classes) log-probabilities of multinomial naive Bayes, centred per feature, the log prior in the
    `bias` row; an example's weight is shared among its acceptable ids.

    Why: naive Bayes is a linear model over the same n-grams, so its weights add to the regression's and the kiosk
    still sums one row per n-gram; centring each row changes no answer (every class moves alike) and lets the
    uninformative n-grams fall under the pruning threshold.
    """
    share = design.weight[:, None] * design.accept / design.accept.sum(axis=1, keepdims=True)
    spread = share[design.rows]
    counts = np.stack([np.bincount(design.columns, spread[:, c], design.features)
                       for c in range(design.accept.shape[1])], axis=1)
    log_theta = np.log(counts + alpha) - np.log(counts.sum(axis=0) + alpha * design.features)
    log_theta[bias] += np.log(share.sum(axis=0))
    return log_theta - log_theta.mean(axis=1, keepdims=True)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    return float((a * b).sum())


def lbfgs(f: Objective, start: np.ndarray, iterations: int, memory: int = 10, tolerance: float = 1e-7) -> np.ndarray:
    """Minimise f by limited-memory BFGS with Armijo backtracking; stops after `iterations` or on a flat step."""
    x = start.copy()
    loss, grad = f(x)
    steps: list[tuple[np.ndarray, np.ndarray]] = []
    for _ in range(iterations):
        direction = -_two_loop(grad, steps)
        slope = _dot(grad, direction)
        if slope >= 0:
            steps.clear()
            direction, slope = -grad, -_dot(grad, grad)
        size = 1.0 if steps else 1.0 / max(1.0, math.sqrt(_dot(grad, grad)))
        while True:
            candidate = x + size * direction
            new_loss, new_grad = f(candidate)
            if new_loss <= loss + 1e-4 * size * slope or size < 1e-10:
                break
            size *= 0.5
        s, y = candidate - x, new_grad - grad
        if _dot(s, y) > 1e-12:
            steps = (steps + [(s, y)])[-memory:]
        done = abs(loss - new_loss) < tolerance * max(1.0, abs(loss))
        x, loss, grad = candidate, new_loss, new_grad
        if done:
            break
    return x


def _two_loop(grad: np.ndarray, steps: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The L-BFGS two-loop recursion: an approximation of H⁻¹·grad from the remembered steps."""
    q = grad.copy()
    kept = []
    for s, y in reversed(steps):
        rho = 1.0 / _dot(y, s)
        alpha = rho * _dot(s, q)
        kept.append((alpha, rho, s, y))
        q -= alpha * y
    if steps:
        s, y = steps[-1]
        q *= _dot(s, y) / _dot(y, y)
    for alpha, rho, s, y in reversed(kept):
        q += (alpha - rho * _dot(y, q)) * s
    return q
