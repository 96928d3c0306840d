"""Shared fixtures of the consultation tests: the shipped content pack, loaded once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.legal.engine import Interview, InterviewResult, InterviewState
from kiosk.legal.flow import ContentPack
from kiosk.legal.loader import load_pack
from kiosk.ui.i18n import Translator

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"
PARAMS = {"hardship_income": 1200.0, "other_injuries_listed": False}
TEXTS = Translator()
"""One catalogue for every interview of the tests, as the kiosk shares one (read once, not per interview)."""


@pytest.fixture(scope="session")
def pack() -> ContentPack:
    return load_pack(CONTENT_ROOT)


REVIEW_DAY = date(2026, 11, 22)
"""The day the review path tests consult on, unless a test says otherwise."""


def consult(pack: ContentPack, flow_id: str, answers: dict, *, today: date = REVIEW_DAY) -> InterviewResult:
    """Answer every page the path asks from `answers` and finish, as the kiosk would."""
    interview = Interview(pack, flow_id, today=today, params=PARAMS, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        interview.answer(answers[interview.page.id])
    return interview.finish()


def due(consultation: InterviewResult) -> dict[str, date]:
    """Each computed deadline's last day, by its label."""
    return {d.label: d.due for d in consultation.deadlines}
