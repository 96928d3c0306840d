"""Every flow: each stored example reaches its outcome and deadlines; thousands of random walks never get stuck."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from kiosk.legal.engine import Interview, InterviewState
from kiosk.legal.flow import UNSURE, PageKind
from kiosk.legal.opinion import Issuer, build_opinion
from kiosk.core.clock import CHINA_TZ
from tests.unit.legal.conftest import CONTENT_ROOT, PARAMS, TEXTS

from kiosk.legal.loader import load_pack

FLOW_IDS = sorted(load_pack(CONTENT_ROOT).flows)
WALKS_PER_FLOW = 1500
ISSUER = Issuer("test-01", "公共法律服务中心", "测试服务点", "县法律援助中心", "人民路1号",
                "工作日 9:00-17:00", "0000-12348", b"k" * 32, "https://verify.example/v")


def run_example(pack, flow_id, example):
    interview = Interview(pack, flow_id, today=example.today, params=PARAMS, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        page = interview.page
        assert page.id in example.answers, f"{example.name}: the path asks {page.id!r}, not in the example"
        interview.answer(example.answers[page.id])
    return interview


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_example_reaches_its_outcome_and_deadlines(pack, flow_id):
    flow = pack.flow(flow_id)
    for example in flow.examples:
        interview = run_example(pack, flow_id, example)
        assert interview.outcome.id == example.outcome, example.name
        consultation = interview.finish()
        assert {d.label: d.due for d in consultation.deadlines} == example.deadlines, example.name
        assert set(example.answers) == set(interview.path), f"{example.name}: unused answers"


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_every_outcome_has_an_example(pack, flow_id):
    flow = pack.flow(flow_id)
    assert {e.outcome for e in flow.examples} == set(flow.outcomes)


def random_answer(page, rng: random.Random, today: date):
    if page.kind in (PageKind.CHOICE, PageKind.YESNO):
        return rng.choice(page.choice_ids)
    if page.offers_unsure and rng.random() < 0.15:
        return UNSURE
    if page.kind in (PageKind.NUMBER, PageKind.MONEY):
        low = page.minimum or 0
        high = page.maximum if page.maximum is not None else 1e6
        high = min(high, low + rng.choice([10, 1000, 100000]))
        return rng.randint(int(low), int(high)) if page.integer or rng.random() < 0.5 else rng.uniform(low, high)
    if page.kind is PageKind.DATE:
        return today - timedelta(days=rng.randint(0, 4000))
    return "测试"


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_random_walks_end_in_an_outcome_with_an_opinion(pack, flow_id):
    rng = random.Random(f"walk-{flow_id}")
    flow = pack.flow(flow_id)
    reached = set()
    limit = 4 * len(flow.pages) + 10
    for walk in range(WALKS_PER_FLOW):
        today = date(2026, 11, 22) + timedelta(days=rng.randint(-400, 400))
        interview = Interview(pack, flow_id, today=today, params={"hardship_income": rng.choice([600, 1200, 3000])},
                              texts=TEXTS)
        for _step in range(limit):
            if interview.state is not InterviewState.ASKING:
                break
            if interview.can_go_back and rng.random() < 0.1:
                interview.back()
            else:
                interview.answer(random_answer(interview.page, rng, today))
        assert interview.state is InterviewState.REVIEW, f"walk {walk} did not end within {limit} steps"
        if rng.random() < 0.2:
            interview.change(rng.choice(interview.path))
            while interview.state is InterviewState.ASKING:
                interview.answer(random_answer(interview.page, rng, today))
        reached.add(interview.outcome.id)
        document = build_opinion(interview.finish(), ISSUER, issued_at=datetime(2026, 11, 22, 10, tzinfo=CHINA_TZ),
                                 sequence=walk % 9999 + 1)
        assert document.analysis and document.ways_forward and document.provisions
        assert document.verification_code and document.facts
        assert all("{" not in text for text in document.analysis + document.risks)
    assert reached == set(flow.outcomes), f"outcomes never reached by random walks: {set(flow.outcomes) - reached}"
