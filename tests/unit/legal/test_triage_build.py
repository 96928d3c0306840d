"""Triage model build: the shipped model is a fresh build's bytes, the held-out split stays out, the labels hold."""

from __future__ import annotations

import json

import pytest

from kiosk.legal.triage import BIAS_FEATURE, MODEL_PATH, REFERRAL
from kiosk_build.triage.build import build_bytes, read_topics, reader, training_examples
from kiosk_build.triage.devset import (
    DEFAULT_DATA_DIR,
    DEFAULT_LABELS,
    OUT_OF_SCOPE_REASONS,
    DevSetError,
    load_dev_set,
)
from kiosk.legal.triage_text import load_t2s
from kiosk_build.triage.train import TrainingSettings

pytestmark = [
    pytest.mark.skipif(not DEFAULT_DATA_DIR.is_dir(), reason="the development questions live in ../shared/data"),
    pytest.mark.timeout(1200),  # a build fits the recipe six times (the gate's cross-validation): 2-10 min
]


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_bytes()


def test_shipped_model_equals_a_fresh_build(built):
    """Fails when topics.yaml or the labels changed without `python -m kiosk_build.triage.build`; as the shipped
    file was built by another process, it also shows that building gives identical bytes."""
    assert MODEL_PATH.read_bytes() == built, ("stale triage model: run `python -m kiosk_build.triage.build` and "
                                              "commit model.json")


def test_model_budget_and_content(built):
    assert len(built) <= 5 * 1024 * 1024
    model = json.loads(built)
    topics = read_topics()["topics"]
    assert model["classes"] == sorted(topics)
    assert REFERRAL in model["classes"]
    assert 0.0 < model["referral_at"] < 1.0


def test_no_question_text_ships_in_the_model(built):
    """Only n-grams of at most three characters are kept: no sentence of the development data can be in the file."""
    model = json.loads(built)
    assert max(len(f) for f in model["features"].split("\n") if f != BIAS_FEATURE) <= model["max_ngram"]


def test_no_test_question_is_trained_on():
    """The held-out split stays held out: neither its questions nor a duplicate of them is a training example."""
    topics = read_topics()
    t2s = load_t2s()
    read = reader(topics, t2s)
    dev = load_dev_set()
    test = {read(q.text) for q in dev if q.split == "test"}
    examples = training_examples(topics, t2s, DEFAULT_LABELS, DEFAULT_DATA_DIR, TrainingSettings())
    assert not test & {e.text for e in examples if e.question or e.weight != TrainingSettings().seed_weight}
    splits: dict[str, set[str]] = {}
    for q in dev:
        splits.setdefault(q.text, set()).add(q.split)
    assert all(len(s) == 1 for s in splits.values()), "a question labelled twice sits in both splits"


def test_dev_set_covers_every_topic_with_a_fixed_split():
    dev = load_dev_set()
    assert len(dev) >= 3000
    topics = set(read_topics()["topics"])
    assert {t for q in dev for t in q.topics} <= topics
    assert all(len(set(q.topics)) == len(q.topics) for q in dev)
    assert all(q.reason in OUT_OF_SCOPE_REASONS for q in dev if REFERRAL in q.topics), "out of scope without a reason"
    disputes_and_referral = topics - {"legal_aid", "mediation", "notarization"}
    assert {q.topic for q in dev if q.split == "train"} >= disputes_and_referral
    assert {q.topic for q in dev if q.split == "test"} >= disputes_and_referral
    assert {q.split for q in dev} == {"train", "test"}


def test_changed_source_text_is_detected(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "file\tline\tcheck\ttopics\tsplit\tsample\treason\n"
        "unlabelled_real_questions.tsv\t2\tdeadbeef\tlabor\ttrain\trandom\t\n",
        encoding="utf-8",
    )
    with pytest.raises(DevSetError, match="text changed"):
        load_dev_set(labels)


def test_missing_line_is_detected(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "file\tline\tcheck\ttopics\tsplit\tsample\treason\n"
        "unlabelled_real_questions.tsv\t999999\t00000000\tlabor\ttrain\trandom\t\n",
        encoding="utf-8",
    )
    with pytest.raises(DevSetError, match="does not exist"):
        load_dev_set(labels)
