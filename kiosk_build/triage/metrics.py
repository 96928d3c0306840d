"""Scores triage answers against questions with several acceptable ids (build time and benchmark only).

Why: the issue's goal is stated on in-scope questions (top-1, top-3, referral ≤ 5 %) and on out-of-scope ones
(referral ≥ 70 %) separately; one set of definitions serves the benchmark, the referral curve and the tests.
A question is out of scope when its best acceptable id is `referral`. An answer is a list of ids, best first,
starting with `referral` when the kiosk offers the referral first.
"""

from __future__ import annotations

import math
from collections import Counter

from kiosk.legal.triage import REFERRAL

Labelled = tuple[str, tuple[str, ...]]
"""A question and its acceptable ids, best first."""

Z95 = 1.959964
"""Normal quantile of a two-sided 95 % interval."""


def wilson(hits: int, n: int) -> list[float] | None:
    """95 % Wilson score interval of a proportion (None for no trials)."""
    if n == 0:
        return None
    p = hits / n
    centre = (p + Z95 * Z95 / (2 * n)) / (1 + Z95 * Z95 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n)) / (1 + Z95 * Z95 / n)
    return [round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)]


def rate(hits: int, n: int) -> dict:
    """A proportion with its count and 95 % interval."""
    return {"value": round(hits / n, 3) if n else None, "n": n, "ci95": wilson(hits, n)}


def score(answers: list[list[str]], gold: list[tuple[str, ...]], reasons: list[str] | None = None) -> dict:
    """Top-1/top-3 and referral on in-scope questions, referral on out-of-scope ones (by reason when given),
    per-topic top-1, confusions."""
    inside = [i for i, g in enumerate(gold) if g[0] != REFERRAL]
    outside = [i for i, g in enumerate(gold) if g[0] == REFERRAL]
    right = [answers[i][0] in gold[i] for i in range(len(gold))]
    per_topic = {}
    for topic in sorted({g[0] for g in gold}):
        idx = [i for i, g in enumerate(gold) if g[0] == topic]
        per_topic[topic] = {"n": len(idx), "top1": round(sum(right[i] for i in idx) / len(idx), 3)}
    confusions = Counter(f"{gold[i][0]}→{answers[i][0]}" for i in range(len(gold)) if not right[i])
    by_reason = {}
    for reason in sorted({reasons[i] for i in outside}) if reasons else []:
        idx = [i for i in outside if reasons[i] == reason]
        by_reason[reason] = rate(sum(answers[i][0] == REFERRAL for i in idx), len(idx))
    return {
        "in_scope_top1": rate(sum(right[i] for i in inside), len(inside)),
        "in_scope_top3": rate(sum(bool(set(answers[i][:3]) & set(gold[i])) for i in inside), len(inside)),
        "in_scope_referred": rate(sum(answers[i][0] == REFERRAL for i in inside), len(inside)),
        "out_of_scope_referred": rate(sum(answers[i][0] == REFERRAL for i in outside), len(outside)),
        "out_of_scope_referred_by_reason": by_reason,
        "all_top1": rate(sum(right), len(gold)),
        "per_topic_top1": per_topic,
        "confusion_pairs": dict(confusions.most_common(15)),
    }


def referral_curve(out_of_scope: list[float], gold: list[tuple[str, ...]], thresholds: list[float]) -> list[dict]:
    """For each threshold on P(out of scope): the share of in-scope and of out-of-scope questions referred."""
    inside = [p for p, g in zip(out_of_scope, gold) if g[0] != REFERRAL]
    outside = [p for p, g in zip(out_of_scope, gold) if g[0] == REFERRAL]
    return [{"referral_at": t,
             "in_scope_referred": round(sum(p >= t for p in inside) / max(len(inside), 1), 3),
             "out_of_scope_referred": round(sum(p >= t for p in outside) / max(len(outside), 1), 3)}
            for t in thresholds]
