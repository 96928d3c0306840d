"""Issue 13 items 1-3: the legal-aid pre-check follows 法律援助法 Art. 29, 31 and 32 as written.

Each test drives the real engine over the shipped pack and pins the outcome and the article it cites.
"""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.config.loader import parse_config
from kiosk.legal.document import LegalAidVerdict
from kiosk.legal.engine import InterviewResult, Interview, InterviewState
from kiosk.legal.service import ConsultationService
from kiosk.core.clock import FakeClock
from kiosk.fleet.desired import preview
from tests.unit.legal.conftest import CONTENT_ROOT, PARAMS, TEXTS

TODAY = date(2026, 11, 22)
LEGAL_AID_LAW = "中华人民共和国法律援助法"
MEANS_PATH = {"has_lawyer": "no", "special": "none", "age_group": "adult", "disabled": "no", "assistance": "none",
              "migrant": "no", "exempt_check": "no", "household_size": 4, "household_income": 3000,
              "urgent": "not_urgent"}
"""A poor household of four with no exemption: a listed matter ends in `means_likely`."""


def walk(pack, flow_id: str, answers: dict, *, params=PARAMS, prefill=None) -> Interview:
    """Answer every page the path asks from `answers` (the prefilled value where `answers` has none)."""
    interview = Interview(pack, flow_id, today=TODAY, params=params, prefill=prefill, texts=TEXTS)
    while interview.state is InterviewState.ASKING:
        page = interview.page.id
        interview.answer(answers[page] if page in answers else interview.value)
    return interview


def articles(consultation: InterviewResult) -> set[int]:
    """Articles of the Legal Aid Law the opinion cites."""
    return {p.article for p in consultation.provisions if p.law == LEGAL_AID_LAW}


def service(**legal_aid) -> ConsultationService:
    """The kiosk's consultation service on a configuration with these legal_aid settings (nothing started)."""
    return ConsultationService(CONTENT_ROOT, FakeClock(), parse_config({"legal_aid": legal_aid}))


def matters(pack) -> list[str]:
    return list(pack.flow("legal_aid").pages["matter"].choice_ids)


@pytest.mark.parametrize("matter", ["other", "wages", "injury_other", "state_compensation", "crime_victim", "unsure"])
def test_item01_art32_hero_family_gets_no_means_test_and_advance_aid_whatever_the_matter(pack, matter):
    interview = walk(pack, "legal_aid", {"matter": matter, "has_lawyer": "no", "special": "hero",
                                         "urgent": "deadline"})
    consultation = interview.finish()
    assert consultation.outcome.id == "no_means_test"
    assert {32, 44} <= articles(consultation)
    assert any("第三十二条" in text for text in consultation.analysis)
    assert any("英雄烈士的近亲属" in text for text in consultation.analysis)
    assert consultation.legal_aid.verdict is LegalAidVerdict.LIKELY


def test_item01_every_matter_but_the_accused_is_asked_about_art32(pack):
    for matter in set(matters(pack)) - {"criminal", "domestic_violence"}:
        interview = walk(pack, "legal_aid", {"matter": matter, "has_lawyer": "no", "special": "acquitted",
                                             "urgent": "not_urgent"})
        consultation = interview.finish()
        assert consultation.outcome.id == "no_means_test", matter
        assert 32 in articles(consultation) and 44 not in articles(consultation), matter


def test_item01_abandoned_parent_asking_for_support_is_art32_not_means_tested(pack):
    consultation = walk(pack, "legal_aid", {"matter": "support", "has_lawyer": "no", "special": "abuse",
                                            "urgent": "preservation"}).finish()
    assert consultation.outcome.id == "no_means_test"
    assert {32, 44} <= articles(consultation)
    assert any("遗弃" in text for text in consultation.analysis)


@pytest.mark.parametrize(("matter", "article"), [("state_compensation", 31), ("capacity", 31),
                                                 ("environment", 31), ("crime_victim", 29)])
def test_item02_missing_matters_are_listed_with_their_article(pack, matter, article):
    consultation = walk(pack, "legal_aid", {"matter": matter, **MEANS_PATH}).finish()
    assert consultation.outcome.id == "means_likely"
    assert article in articles(consultation)
    assert ({29, 31} - {article}).isdisjoint(articles(consultation))
    assert not any("没有和您的事完全对上" in text for text in consultation.analysis)
    listed = "刑事案件的被害人和家属" if matter == "crime_victim" else "法律列出的可以申请法律援助的事项"
    assert any(listed in text for text in consultation.analysis)


def test_item02_retried_and_acquitted_state_compensation_needs_no_means_test(pack):
    consultation = walk(pack, "legal_aid", {"matter": "state_compensation", "has_lawyer": "no",
                                            "special": "acquitted", "urgent": "not_urgent"}).finish()
    assert consultation.outcome.id == "no_means_test" and 32 in articles(consultation)
    assert any("改判无罪" in text for text in consultation.analysis)


def injury_consultation(pack, cause: str) -> InterviewResult:
    """A personal-injury consultation (bitten, beaten …) that ends in a claim for damages."""
    answers = {"cause": cause, "harm": "hospital", "injury_date": date(2026, 11, 1), "reported": "yes",
               "who_known": "yes", "own_fault": "none", "talks": "refused"}
    return walk(pack, "personal_injury", answers).finish()


@pytest.mark.parametrize("cause", ["assault", "animal", "premises", "falling"])
def test_item03_dog_bite_or_assault_is_told_national_law_does_not_list_it(pack, cause):
    kiosk = service()
    prefill = kiosk.legal_aid_prefill(injury_consultation(pack, cause), {})
    interview = walk(pack, "legal_aid", {"has_lawyer": "no", "special": "none"}, params=kiosk.params(),
                     prefill=prefill)
    assert interview.answer_of("matter") == "injury_other"
    consultation = interview.finish()
    assert consultation.outcome.id == "ask_centre"
    assert 31 in articles(consultation)
    assert any("第三十一条只列了四种人身伤害赔偿" in text for text in consultation.analysis)
    assert any("国家的法律没有列进去" in text for text in consultation.analysis)
    assert any("本省有没有把这类受伤列进去" in text for text in consultation.analysis)
    assert not any("可以申请法律援助的事项" in text for text in consultation.analysis)
    assert consultation.legal_aid.verdict is LegalAidVerdict.NOT_ASSESSED


def test_item03_province_that_lists_other_injuries_treats_them_as_a_listed_matter(pack):
    kiosk = service(other_injuries_listed=True)
    prefill = kiosk.legal_aid_prefill(injury_consultation(pack, "assault"), {})
    consultation = walk(pack, "legal_aid", MEANS_PATH, params=kiosk.params(), prefill=prefill).finish()
    assert consultation.outcome.id == "means_likely"
    assert 31 in articles(consultation)
    assert any("本省的规定把被人打伤" in text for text in consultation.analysis)


def test_item03_the_four_listed_injuries_stay_listed(pack):
    consultation = walk(pack, "legal_aid", {"matter": "injury", **MEANS_PATH}).finish()
    assert consultation.outcome.id == "means_likely" and 31 in articles(consultation)
    assert any("法律列出的可以申请法律援助的事项" in text for text in consultation.analysis)
    assert pack.flow("traffic_accident").legal_aid_matter == "injury"
    assert pack.flow("medical").legal_aid_matter == "injury"


def test_item03_the_setting_is_off_by_default_and_settable_from_the_fleet(tmp_path):
    base = parse_config({})
    assert base.legal_aid.other_injuries_listed is False
    environ = {"KIOSK_CONFIG_FILE": str(tmp_path / "kiosk.toml"), "KIOSK_OVERRIDES_FILE": str(tmp_path / "o.toml")}
    assert preview({"legal_aid": {"other_injuries_listed": True}}, environ).config.legal_aid.other_injuries_listed
