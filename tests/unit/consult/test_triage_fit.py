"""Triage fitting: the naive Bayes weights that are added to the regression's (build time only)."""

from __future__ import annotations

import numpy as np

from kiosk_build.triage.fit import Design, naive_bayes, probabilities, scores


def tiny_design() -> Design:
    """Three examples over features [bias, 工资, 离婚, 孩子]; classes [labor, marriage_family]; the last accepts both."""
    starts = np.array([0, 2, 4])
    columns = np.array([0, 1, 0, 2, 0, 3])
    accept = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    return Design(starts, columns, accept, np.ones(3), 4)


def test_each_row_is_centred_so_answers_do_not_change():
    weights = naive_bayes(tiny_design(), alpha=0.1, bias=0)
    assert np.allclose(weights.sum(axis=1), 0.0)
    shifted = weights + np.array([[3.0], [-1.0], [0.5], [2.0]])
    design = tiny_design()
    assert np.allclose(probabilities(scores(design, weights)), probabilities(scores(design, shifted)))


def test_an_ngram_seen_with_one_topic_points_to_it():
    weights = naive_bayes(tiny_design(), alpha=0.1, bias=0)
    assert weights[1, 0] > weights[1, 1]  # 工资 → labor
    assert weights[2, 1] > weights[2, 0]  # 离婚 → marriage_family


def test_an_example_with_two_acceptable_ids_counts_half_for_each():
    weights = naive_bayes(tiny_design(), alpha=0.1, bias=0)
    assert abs(weights[3, 0] - weights[3, 1]) < abs(weights[1, 0] - weights[1, 1])
