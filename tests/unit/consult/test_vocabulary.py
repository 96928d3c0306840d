"""Issue 13, vocabularies: one list each for topics and special groups, shared by content, opinion and telemetry,
and the loader rejects an id that is not on it (`woman` against `women` silently lost a count before)."""

from __future__ import annotations

import pytest

from kiosk.consult import vocabulary
from kiosk.consult.loader import ContentError, load_pack
from kiosk.fleet import catalogue
from tests.unit.consult.test_loader import GOOD_FLOW, make_pack


def load_issues(tmp_path, flow: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_pack(make_pack(tmp_path, flow))
    return [str(issue) for issue in info.value.issues]


def test_telemetry_and_reports_count_by_the_content_lists():
    assert catalogue.TOPICS == set(vocabulary.TOPICS)
    assert catalogue.SPECIAL_GROUPS == (*vocabulary.SPECIAL_GROUPS, "none")
    for group in catalogue.SPECIAL_GROUPS:
        catalogue.check("usage", "legal_aid.precheck", {"session": "0" * 32, "result": "likely", "group": group})
    with pytest.raises(catalogue.UnknownEvent):
        catalogue.check("usage", "legal_aid.precheck", {"session": "0" * 32, "result": "likely", "group": "woman"})


def test_a_special_group_off_the_list_is_refused_at_load(tmp_path):
    flow = GOOD_FLOW.replace("      - {kind: negotiation, body: 对方}\n", "      - {kind: negotiation, body: 对方}\n"
                             "    legal_aid:\n      - {verdict: exempt, group: woman, reason: 说明。}\n")
    assert any("special group 'woman' is not one of" in issue and "labor.yaml:" in issue
               for issue in load_issues(tmp_path, flow))


def test_a_flow_that_is_not_a_topic_or_service_is_refused_at_load(tmp_path):
    root = make_pack(tmp_path, GOOD_FLOW.replace("id: labor", "id: company_law"))
    (root / "flows" / "labor.yaml").rename(root / "flows" / "company_law.yaml")
    (root / "pack.yaml").write_text((root / "pack.yaml").read_text(encoding="utf-8").replace("[labor]",
                                    "[company_law]"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_pack(root)
    assert any("flow id 'company_law' is not a topic or service" in str(issue) for issue in info.value.issues)


def test_every_group_the_shipped_content_names_is_on_the_list(pack):
    groups = {aid.value.group for flow in pack.flows.values() for outcome in flow.outcomes.values()
              for aid in outcome.legal_aid}
    assert groups - {""} <= set(vocabulary.SPECIAL_GROUPS) and "migrant_worker" in groups
    matters = {o.id for o in pack.flow("legal_aid").pages["matter"].options}
    assert {flow.legal_aid_matter for flow in pack.flows.values()} - {""} <= matters
