"""The referral gate: a logistic regression over the runtime's GATE_INPUTS, fitted on out-of-fold answers.

Why: the topic regression and the out-of-scope classifier are each overconfident on questions they trained on; only
answers to questions a model has not seen tell how much each signal is worth, so the gate is fitted on the
cross-validated answers of the train split (crossval.py), and its probability is calibrated on them.
"""

from __future__ import annotations

import numpy as np

from kiosk.legal.triage import GATE_INPUTS, gate_inputs

GATE_L2 = 1e-4
"""Ridge penalty of the gate's coefficients (standardised inputs, loss averaged per question): only keeps Newton's
method well posed, small enough not to bias the calibration."""
NEWTON_STEPS = 50


def input_matrix(probs: np.ndarray, scope: np.ndarray, referral_index: int) -> np.ndarray:
    """(questions × GATE_INPUTS) as the kiosk computes them, from topic probabilities and out-of-scope log-odds."""
    return np.array([gate_inputs(row.tolist(), referral_index, float(s)) for row, s in zip(probs, scope)])


def fit_gate(inputs: np.ndarray, outside: np.ndarray) -> dict[str, float]:
    """Coefficients per input name and `bias`: P(out of scope) = sigmoid(bias + Σ coefficient·input).

    Fitted by Newton's method on standardised inputs; the standardisation is folded into the coefficients."""
    centre, spread = inputs.mean(axis=0), inputs.std(axis=0)
    spread[spread == 0] = 1.0
    x = np.column_stack([(inputs - centre) / spread, np.ones(len(inputs))])
    w = np.zeros(x.shape[1])
    penalty = GATE_L2 * np.eye(x.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        gradient = x.T @ (p - outside) / len(x) + penalty @ w
        hessian = (x.T * (p * (1.0 - p))) @ x / len(x) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    coefficients = w[:-1] / spread
    gate = {name: round(float(c), 6) for name, c in zip(GATE_INPUTS, coefficients)}
    gate["bias"] = round(float(w[-1] - (coefficients * centre).sum()), 6)
    return gate


def apply_gate(gate: dict[str, float], inputs: np.ndarray) -> np.ndarray:
    """P(out of scope) for each row of inputs."""
    z = gate["bias"] + inputs @ np.array([gate[name] for name in GATE_INPUTS])
    return 1.0 / (1.0 + np.exp(-z))
