"""Issue 13, vocabularies: one list each for topics and special groups, shared by content, opinion and telemetry,
and the loader rejects an id that is not on it (`woman` against `women` silently lost a count before). Issue 15
item 13: the topic list is the pack's own (pack.yaml `topics:`), so a content job can add a topic; telemetry
checks against the installed pack's list; special groups stay a closed list in code."""

from __future__ import annotations

import pytest

from kiosk.legal import vocabulary
from kiosk.legal.loader import ContentError, load_pack, load_topics
from kiosk.legal.service import DEFAULT_CONTENT_ROOT as CONTENT_ROOT
from kiosk.fleet import catalogue
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack


def load_issues(tmp_path, flow: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_pack(make_pack(tmp_path, flow))
    return [str(issue) for issue in info.value.issues]


def test_special_groups_are_one_list_in_code_that_telemetry_counts_by():
    assert catalogue.SPECIAL_GROUPS == (*vocabulary.SPECIAL_GROUPS, "none")
    for group in catalogue.SPECIAL_GROUPS:
        catalogue.check("usage", "legal_aid.precheck", {"session": "0" * 32, "result": "likely", "group": group})
    with pytest.raises(catalogue.UnknownEvent):
        catalogue.check("usage", "legal_aid.precheck", {"session": "0" * 32, "result": "likely", "group": "woman"})


def test_telemetry_counts_the_topics_of_the_pack_it_is_given(pack):
    """The kiosk passes its installed pack's list; the console (None) takes any topic id of the right shape."""
    started = {"session": "0" * 32, "topic": "tenancy"}
    with pytest.raises(catalogue.UnknownEvent, match="installed pack"):
        catalogue.check("usage", "consult.started", started, pack.topics)
    catalogue.check("usage", "consult.started", started, {**pack.topics, "tenancy": None})
    catalogue.check("usage", "consult.started", started)
    for topic_id in pack.topics:
        catalogue.check("usage", "consult.started", {**started, "topic": topic_id}, pack.topics)
    with pytest.raises(catalogue.UnknownEvent):
        catalogue.check("usage", "consult.started", {**started, "topic": "租房"})
    catalogue.check("usage", "satisfaction", {"session": "0" * 32, "level": 5}, pack.topics)  # topic optional


def test_the_shipped_pack_declares_each_flow_as_the_topic_or_service_it_is(pack):
    assert set(pack.flows) == set(pack.topics)
    assert {flow.kind for flow in pack.flows.values()} == {"topic", "service"}
    assert all(pack.topics[flow.id].kind == flow.kind and pack.topics[flow.id].name for flow in pack.flows.values())
    assert load_topics(CONTENT_ROOT) == pack.topics


def test_a_pack_may_add_a_topic_and_names_its_kind(tmp_path):
    root = make_pack(tmp_path, GOOD_FLOW.replace("id: labor", "id: tenancy"))
    (root / "flows" / "labor.yaml").rename(root / "flows" / "tenancy.yaml")
    manifest = root / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("[labor]", "[tenancy]").replace(
        "{labor: {kind: topic, name: 劳动争议与欠薪}}", "{tenancy: {kind: topic, name: 租房}}"), encoding="utf-8")
    assert load_pack(root).topics["tenancy"] == vocabulary.Topic("tenancy", "topic", "租房")
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("kind: topic", "kind: service"),
                        encoding="utf-8")
    assert any("flow 'tenancy' is kind 'topic', but pack.yaml declares it a 'service'" in issue
               for issue in load_issues_of(root))


@pytest.mark.parametrize("topics, message", [
    ("", "pack.yaml needs `topics:`"),
    ("topics: {Labor: {kind: topic, name: 劳动}}\n", "topic id 'Labor' must be lower-case"),
    ("topics: {labor: {kind: dispute, name: 劳动}}\n", "topic 'labor': kind must be one of"),
    ("topics: {labor: {kind: topic}}\n", "'name' must be non-empty text"),
])
def test_the_topic_list_is_checked_at_load(tmp_path, topics, message):
    root = make_pack(tmp_path, GOOD_FLOW)
    manifest = root / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "topics: {labor: {kind: topic, name: 劳动争议与欠薪}}\n", topics), encoding="utf-8")
    assert any(message in issue for issue in load_issues_of(root))
    with pytest.raises(ContentError):
        load_topics(root)


def load_issues_of(root) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_pack(root)
    return [str(issue) for issue in info.value.issues]


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


def test_the_opinion_wording_is_the_packs_and_checked_at_load(tmp_path, pack):
    assert pack.opinion.disclaimer.startswith("本意见书") and "12348" in pack.opinion.disclaimer
    root = make_pack(tmp_path, GOOD_FLOW)
    manifest = root / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('deadline_basis: "《{law}》第{article}条"', 'deadline_basis: "第{number}条"'),
                        encoding="utf-8")
    assert any("deadline_basis may use only {law}, {article}, {start} and {length}" in issue
               for issue in load_issues_of(root))
    manifest.write_text(text.replace("disclaimer: 仅供参考。, ", ""), encoding="utf-8")
    assert any("'disclaimer' must be non-empty text" in issue for issue in load_issues_of(root))
