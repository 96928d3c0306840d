"""Triage fitting: the naive Bayes weights added to the regression's, and the referral gate (build time only)."""

from __future__ import annotations

import math

import numpy as np

from kiosk.legal.triage import GATE_INPUTS, SCOPE_KINDS, gate_inputs, scope_logodds
from kiosk_build.triage.fit import Design, naive_bayes, probabilities, scores
from kiosk_build.triage.gate import apply_gate, fit_gate
from kiosk_build.triage.train import Example


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


def test_the_gate_recovers_a_known_logistic_rule_in_the_inputs_own_units():
    """The gate standardises its inputs to fit and folds that back, so the kiosk applies it to raw inputs."""
    rng = np.random.default_rng(19)
    inputs = rng.normal([0.0, 5.0, -2.0, 1.0], [1.0, 3.0, 0.5, 0.2], size=(20000, 4))
    truth = 1.0 / (1.0 + np.exp(-(inputs @ np.array([1.5, -0.4, 2.0, 0.0]) + 4.7)))
    gate = fit_gate(inputs, (rng.random(len(inputs)) < truth).astype(float))
    assert set(gate) == {*GATE_INPUTS, "bias"}
    assert np.abs(apply_gate(gate, inputs) - truth).mean() < 0.02
    assert gate["referral_logodds"] > 1.0 and gate["scope_logodds"] < -0.2 and gate["best_topic_logp"] > 1.0


def test_gate_inputs_read_a_sure_topic_and_a_spread_of_topics_apart():
    referral_index = 2
    sure = gate_inputs([0.97, 0.01, 0.01, 0.01], referral_index, -3.0)
    spread = gate_inputs([0.3, 0.3, 0.1, 0.3], referral_index, 1.0)
    assert sure[0] < spread[0]  # referral log-odds
    assert sure[1] == -3.0 and spread[1] == 1.0  # the out-of-scope classifier's own log-odds
    assert sure[2] > spread[2]  # the best topic's log-probability
    assert sure[3] < spread[3]  # the topics' entropy
    assert all(np.isfinite(gate_inputs([0.0, 0.0, 1.0, 0.0], referral_index, 0.0)))  # certainty is finite


def test_the_out_of_scope_log_odds_add_up_every_kind_against_in_scope():
    """Each SCOPE_KINDS column scores one kind against in scope; out of scope is any of them."""
    assert len(SCOPE_KINDS) == 2
    assert math.isclose(scope_logodds([0.0, 0.0]), math.log(2.0))  # two kinds each as likely as in scope
    assert math.isclose(scope_logodds([-2.0, -900.0]), -2.0)  # one kind alone, the other impossible
    assert math.isclose(scope_logodds([800.0, 799.0]), 800.0 + math.log(1.0 + math.exp(-1.0)))  # no overflow


def test_a_training_example_knows_why_it_is_out_of_scope():
    assert Example("工资", ("labor",), 1.0).scope_kind == 0
    assert Example("股权", ("referral",), 1.0).scope_kind == 1 + SCOPE_KINDS.index("matter")  # a seed: a matter
    assert Example("我2017年在", ("referral",), 1.0, "我2017年在", "unclear").scope_kind == 1 + SCOPE_KINDS.index(
        "unclear")
    assert Example("公司", ("referral", "debt"), 1.0, "公司", "company").scope_kind == 1 + SCOPE_KINDS.index("matter")
