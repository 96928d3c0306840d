"""Builds the triage model file from the repository's sources, reproducibly (same sources → same bytes).

Why: the model must be rebuilt whenever `topics.yaml` or the labels change, by anyone, with identical output, so
that a test can tell a stale shipped model. Sources, all of the train split only (the test split is never read):
the keywords and common questions of `topics.yaml` (the team's own words), the hand-labelled real questions, and
the questions of the Q/A file labelled at a distance by their legal basis (basis.py), weighted lower. The referral
gate is fitted on the 5-fold cross-validated answers to the hand-labelled train questions (crossval.py), so a build
fits the recipe six times (a few minutes). Question texts are read from ../shared/data and never shipped; what ships
is the weights of character n-grams and the gate's few coefficients.
Run `python -m kiosk_build.triage.build` (`--out DIR/model.json` to build elsewhere; `--curve` prints the
cross-validated referral curve that `referral_at` in topics.yaml is chosen from).
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

import numpy as np
import yaml

from kiosk.legal.triage import BIAS_FEATURE, MODEL_PATH, MODEL_SCHEMA, REFERRAL
from kiosk.legal.triage_text import CONTENT_DIR, T2S_PATH, Rewriter, load_t2s, normalise
from kiosk_build.triage.basis import distant_questions
from kiosk_build.triage.crossval import out_of_fold
from kiosk_build.triage.devset import DEFAULT_DATA_DIR, DEFAULT_LABELS, load_dev_set, split_of
from kiosk_build.triage.gate import fit_gate
from kiosk_build.triage.train import Example, TrainingSettings, fit

TOPICS_PATH = CONTENT_DIR / "topics.yaml"
INT16_MAX = 32767


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
    real = [Example(read(q.text), q.topics, 1.0, q.text, q.reason) for q in hand if q.split == "train"]
    distant = [Example(read(d.text), d.topics, settings.distant_weight) for d in distant_questions(data_dir)
               if d.text not in labelled_texts and split_of(d.text) == "train"]
    return [e for e in seeds + real + distant if e.text]


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
    examples = training_examples(topics, t2s, labels, data_dir, settings)
    answers = out_of_fold(examples, classes, settings)
    gate = fit_gate(answers.inputs, answers.outside)
    names, weights = fit(examples, classes, settings)
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
        "referral_gate": gate,
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
