"""Builds the triage model file from the repository's sources, reproducibly (same sources → same bytes).

Why: the model must be rebuilt whenever `topics.yaml` or the labels change, by anyone, with identical output, so
that a test can tell a stale shipped model. Sources, all of the train split only (the test split is never read):
the keywords and common questions of `topics.yaml` (the team's own words), the hand-labelled real questions, and
the questions of the Q/A file labelled at a distance by their legal basis (basis.py), weighted lower. Question
texts are read from ../shared/data and never shipped; what ships is the weights of character n-grams.
Run `python -m kiosk_build.triage.build` (`--out DIR/model.json` to build elsewhere; `--curve` prints the
cross-validated referral curve that `referral_at` in topics.yaml is chosen from).
"""

from __future__ import annotations

import argparse
import base64
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from kiosk.consult.triage import BIAS_FEATURE, MODEL_PATH, MODEL_SCHEMA, REFERRAL, features
from kiosk_build.triage.basis import distant_questions
from kiosk_build.triage.devset import DEFAULT_DATA_DIR, DEFAULT_LABELS, load_dev_set, split_of
from kiosk_build.triage.fit import Design, lbfgs, naive_bayes, objective, probabilities, scores
from kiosk.consult.triage_text import CONTENT_DIR, T2S_PATH, Rewriter, load_t2s, normalise

TOPICS_PATH = CONTENT_DIR / "topics.yaml"
INT16_MAX = 32767


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


def read_topics(path: Path = TOPICS_PATH) -> dict:
    """The hand-written triage sources: per id name, keywords, common questions (shown and learnt from), seeds (learnt
    from only); `referral_at`, `rewrites`."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def reader(topics: dict, t2s: dict[str, str]):
    """The text the model sees for a question: normalised, then rewritten as the kiosk will."""
    rewrite = Rewriter(rewrite_table(topics, t2s))
    return lambda question: rewrite(normalise(question, t2s))


def rewrite_table(topics: dict, t2s: dict[str, str]) -> dict[str, str]:
    """The rewrites of topics.yaml in normalised form."""
    table = {normalise(k, t2s): normalise(v, t2s) for k, v in topics["rewrites"].items()}
    return dict(sorted(table.items()))


def training_examples(topics: dict, t2s: dict[str, str], labels: Path, data_dir: Path,
                      settings: TrainingSettings) -> list[Example]:
    """Seeds, hand-labelled train questions, then distant train questions, in a fixed order (empty texts dropped)."""
    read = reader(topics, t2s)
    hand = load_dev_set(labels, data_dir)
    labelled_texts = {q.text for q in hand}
    seeds = [Example(read(p), (topic,), settings.seed_weight)
             for topic, entry in topics["topics"].items()
             for p in entry["examples"] + entry["keywords"] + entry.get("seeds", [])]
    real = [Example(read(q.text), q.topics, 1.0, q.text) for q in hand if q.split == "train"]
    distant = [Example(read(d.text), d.topics, settings.distant_weight) for d in distant_questions(data_dir)
               if d.text not in labelled_texts and split_of(d.text) == "train"]
    return [e for e in seeds + real + distant if e.text]


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
    """The feature names and their (features × classes) weights."""
    names = vocabulary([e.text for e in examples], settings)
    index = {f: i for i, f in enumerate(names)}
    starts, columns = design([e.text for e in examples], index, settings)
    accept = np.zeros((len(examples), len(classes)))
    position = {c: i for i, c in enumerate(classes)}
    for row, example in enumerate(examples):
        accept[row, [position[t] for t in example.topics]] = 1.0
    data = Design(starts, columns, accept, np.array([e.weight for e in examples]), len(names))
    flat = lbfgs(objective(data, settings.l2), np.zeros(len(names) * len(classes)), settings.iterations)
    weights = flat.reshape(len(names), len(classes))
    if settings.nb_weight:
        weights = weights + settings.nb_weight * naive_bayes(data, settings.nb_alpha, index[BIAS_FEATURE])
    return names, weights


def predict(names: list[str], weights: np.ndarray, texts: list[str], settings: TrainingSettings) -> np.ndarray:
    """(texts × classes) probabilities, as the runtime computes them but unquantised (for cross-validation)."""
    index = {f: i for i, f in enumerate(names)}
    starts, columns = design(texts, index, settings)
    return probabilities(scores(Design(starts, columns, np.zeros((0, 0)), np.zeros(0), len(names)), weights))


def quantise(names: list[str], weights: np.ndarray, settings: TrainingSettings) -> tuple[list[str], bytes, float]:
    """Drop near-zero features; int16 rows in thousandth-free units of `scale` (little-endian bytes)."""
    keep = [i for i, f in enumerate(names) if f == BIAS_FEATURE or np.abs(weights[i]).max() >= settings.min_weight]
    kept = weights[keep]
    scale = float(np.abs(kept).max()) / INT16_MAX
    table = np.rint(kept / scale).astype("<i2")
    return [names[i] for i in keep], table.tobytes(), scale


def build_model(topics: dict, t2s: dict[str, str], labels: Path = DEFAULT_LABELS, data_dir: Path = DEFAULT_DATA_DIR,
                settings: TrainingSettings = TrainingSettings()) -> dict:
    """The model document: classes, names, common questions, rewrites, referral threshold, features and weights."""
    classes = sorted(topics["topics"])
    if REFERRAL not in classes:
        raise ValueError("topics.yaml must define the `referral` id")
    names, weights = fit(training_examples(topics, t2s, labels, data_dir, settings), classes, settings)
    kept, table, scale = quantise(names, weights, settings)
    if any("\n" in f for f in kept):
        raise ValueError("a feature contains a newline")
    return {
        "schema": MODEL_SCHEMA,
        "classes": classes,
        "names": {c: topics["topics"][c]["name"] for c in classes},
        "common_questions": {c: topics["topics"][c]["examples"] for c in classes},
        "rewrites": rewrite_table(topics, t2s),
        "max_ngram": settings.max_ngram,
        "referral_at": topics["referral_at"],
        "weight_scale": scale,
        "features": "\n".join(kept),
        "weights": base64.b64encode(table).decode("ascii"),
    }


def serialise(model: dict) -> bytes:
    """Compact JSON, keys sorted: stable bytes."""
    return (json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def build_bytes(
    topics_path: Path = TOPICS_PATH,
    labels_path: Path = DEFAULT_LABELS,
    data_dir: Path = DEFAULT_DATA_DIR,
    t2s_path: Path = T2S_PATH,
) -> bytes:
    """The model file's bytes, built from the sources (train split only)."""
    return serialise(build_model(read_topics(topics_path), load_t2s(t2s_path), labels_path, data_dir))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m kiosk_build.triage.build`: build and write the model (or print the curve)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="model file to write")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labelled questions (TSV)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="folder of the source questions")
    parser.add_argument("--curve", action="store_true", help="print the cross-validated referral curve instead")
    args = parser.parse_args(argv)
    if args.curve:
        from kiosk_build.triage.curve import print_curve  # noqa: PLC0415 - curve imports this module

        return print_curve(args.labels, args.data_dir)
    data = build_bytes(labels_path=args.labels, data_dir=args.data_dir)
    args.out.write_bytes(data)
    print(f"triage model: {len(data)} bytes → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
