"""Triage model build: reproducible bytes, the shipped model is not stale, the dev-set pointers hold."""

from __future__ import annotations

import json

import pytest

from kiosk.consult.triage import MODEL_PATH, REFERRAL
from kiosk.consult.triage_build import build_bytes, read_topics
from kiosk.consult.triage_devset import DEFAULT_DATA_DIR, DevSetError, load_dev_set

pytestmark = pytest.mark.skipif(
    not DEFAULT_DATA_DIR.is_dir(), reason="the development questions live in ../shared/data"
)


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_bytes()


def test_building_twice_gives_identical_bytes(built):
    assert build_bytes() == built


def test_shipped_model_equals_a_fresh_build(built):
    """Fails when topics.yaml or the labels changed without `kiosk triage build`."""
    assert MODEL_PATH.read_bytes() == built, "stale triage model: run `kiosk triage build` and commit model.json"


def test_model_budget_and_content(built):
    assert len(built) <= 5 * 1024 * 1024
    model = json.loads(built)
    topics = read_topics()["topics"]
    assert model["classes"] == sorted(topics)
    assert REFERRAL in model["classes"]
    assert 0.0 < model["referral_below"] < 1.0


def test_dev_set_covers_every_topic_with_a_fixed_split():
    dev = load_dev_set()
    assert len(dev) >= 600
    topics = set(read_topics()["topics"])
    assert {q.topic for q in dev} <= topics
    disputes_and_referral = topics - {"legal_aid", "mediation", "notarization"}
    assert {q.topic for q in dev if q.split == "train"} >= disputes_and_referral
    assert {q.topic for q in dev if q.split == "test"} >= disputes_and_referral
    assert {q.split for q in dev} == {"train", "test"}


def test_changed_source_text_is_detected(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "file\tline\tcheck\ttopic\tsplit\tsample\nunlabelled_real_questions.tsv\t2\tdeadbeef\tlabor\ttrain\trandom\n",
        encoding="utf-8",
    )
    with pytest.raises(DevSetError, match="text changed"):
        load_dev_set(labels)


def test_missing_line_is_detected(tmp_path):
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        "file\tline\tcheck\ttopic\tsplit\tsample\nunlabelled_real_questions.tsv\t999999\t00000000\tlabor\ttrain\trandom\n",
        encoding="utf-8",
    )
    with pytest.raises(DevSetError, match="does not exist"):
        load_dev_set(labels)
