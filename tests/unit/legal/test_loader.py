"""Load-time validation names the file and the line of each problem."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from kiosk.legal.loader import ContentError, load_pack
from tests.unit.legal.conftest import CONTENT_ROOT

GOOD_FLOW = """\
id: labor
title: 演示
intro: 演示用的流程。
start: q1
pages:
  q1:
    kind: yesno
    text: 有没有？
    help: 说明。
    fact: 有没有
    next:
      - {if: "q1 == 'yes'", goto: q2}
      - goto: done
  q2:
    kind: money
    text: 多少钱？
    help: 说明。
    fact: 钱数
    next:
      - goto: done
outcomes:
  done:
    title: 结果
    provisions: [劳动合同法:30]
    analysis: [说明。]
    ways:
      - {kind: negotiation, body: 对方}
examples:
  - {name: 例子, today: 2026-11-22, answers: {q1: "no"}, outcome: done}
reviewed: {by: "测试", date: 2026-12-07, against: "statutes.json", texts: "d4ba88d78697a1e5"}
"""


def make_pack(tmp_path: Path, flow_text: str) -> Path:
    root = tmp_path / "content"
    (root / "flows").mkdir(parents=True)
    for name in ("statutes.json", "regulations.yaml", "periods.yaml", "holidays.yaml"):
        shutil.copy(CONTENT_ROOT / name, root / name)
    (root / "pack.yaml").write_text(textwrap.dedent("""\
        version: "test.1"
        laws: {劳动合同法: 中华人民共和国劳动合同法}
        topics: {labor: {kind: topic, name: 劳动争议与欠薪}}
        opinion: {disclaimer: 仅供参考。, aid_not_assessed: 可以问法律援助中心。, deadline_basis: "《{law}》第{article}条"}
        flows: [labor]
    """), encoding="utf-8")
    (root / "flows" / "labor.yaml").write_text(flow_text, encoding="utf-8")
    return root


def issues(tmp_path: Path, flow_text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_pack(make_pack(tmp_path, flow_text))
    assert info.value.code == "CNT-001"
    return [str(issue) for issue in info.value.issues]


def test_good_flow_loads(tmp_path):
    pack = load_pack(make_pack(tmp_path, GOOD_FLOW))
    assert pack.version == "test.1" and pack.provisions[("劳动合同法", 30)].text.startswith("用人单位应当")


def test_unknown_page(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("goto: q2}", "goto: q3}"))
    assert "content/flows/labor.yaml:12: unknown page 'q3'" in found
    assert any(line.startswith("content/flows/labor.yaml:14:") and "unreachable" in line for line in found)


def test_dead_end_without_fallback(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("      - goto: done\n  q2:", "  q2:"))
    assert any(line.startswith("content/flows/labor.yaml:12:") and "last `next` rule" in line for line in found)


def test_page_without_rules_is_a_dead_end(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("    next:\n      - goto: done\noutcomes:", "outcomes:"))
    assert any(line.startswith("content/flows/labor.yaml:14:") and "dead end" in line for line in found)


def test_undefined_answer_in_rule(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("q1 == 'yes'", "q9 == 'yes'"))
    assert "content/flows/labor.yaml:12: rule reads undefined answer 'q9' (no such page)" in found


def test_misspelt_option(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("q1 == 'yes'", "q1 == 'yse'"))
    assert any(line.startswith("content/flows/labor.yaml:12:") and "no answer 'yse'" in line for line in found)


def test_bad_rule_syntax(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("q1 == 'yes'", "__import__('os')"))
    assert any(line.startswith("content/flows/labor.yaml:12:") and "rule" in line for line in found)


def test_missing_citation_data(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("劳动合同法:30", "劳动合同法:999"))
    assert any(line.startswith("content/flows/labor.yaml:24:") and "missing citation data" in line
               for line in found)


def test_loop_is_an_error(tmp_path):
    found = issues(tmp_path, GOOD_FLOW.replace("      - goto: done\noutcomes:", "      - goto: q1\noutcomes:"))
    assert any("loop" in line for line in found)


def test_duplicate_key_and_yaml_syntax(tmp_path):
    assert any(line.startswith("content/flows/labor.yaml:10:") and "duplicate key" in line
               for line in issues(tmp_path, GOOD_FLOW.replace("    help: 说明。\n    fact: 有没有",
                                                              "    help: 说明。\n    text: 又一个\n    fact: 有没有")))
    assert any("YAML syntax" in line for line in issues(tmp_path / "b", GOOD_FLOW + "  - [unclosed\n"))


def test_answer_read_on_some_paths_only_needs_a_guard(tmp_path):
    text = GOOD_FLOW.replace("    next:\n      - goto: done\noutcomes:",
                             "    next:\n      - goto: done\noutcomes:").replace(
        "      - {if: \"q1 == 'yes'\", goto: q2}\n      - goto: done",
        "      - {if: \"q1 == 'yes'\", goto: q2}\n      - goto: q3").replace(
        "outcomes:", "  q3:\n    kind: yesno\n    text: 再问？\n    help: 说明。\n    fact: 再问\n    next:\n"
                     "      - {if: \"q2 > 5\", goto: done}\n      - goto: done\noutcomes:")
    found = issues(tmp_path, text)
    assert any("'q2', which is not answered on every path" in line for line in found)
    load_pack(make_pack(tmp_path / "guarded", text.replace('"q2 > 5"', '"answered(q2) and q2 > 5"')))


def test_answer_words_and_unsure_opt_outs_are_checked(tmp_path):
    def found(old: str, new: str, name: str) -> list[str]:
        return issues(tmp_path / name, GOOD_FLOW.replace(old, new))

    q1, q2 = "    fact: 有没有\n", "    fact: 钱数\n"
    assert any(":11:" in line and "answers must be one of" in line
               for line in found(q1, q1 + "    answers: maybe\n", "words"))
    assert any("only yes/no pages choose" in line for line in found(q2, q2 + "    answers: have\n", "money"))
    assert any("'unsure_reason' must be non-empty" in line for line in found(q2, q2 + "    unsure: false\n", "why"))
    assert any("explains `unsure: false` only" in line
               for line in found(q2, q2 + "    unsure_reason: because\n", "stray"))
    assert any("offers no 不清楚 to opt out of" in line
               for line in found(q1, q1 + "    answers: know\n    unsure: false\n    unsure_reason: x\n", "know"))
    pack = load_pack(make_pack(tmp_path / "good", GOOD_FLOW.replace(
        q2, q2 + "    unsure: false\n    unsure_reason: the outcome is about the amount\n")))
    page = pack.flow("labor").pages["q2"]
    assert not page.offers_unsure and page.unsure_reason == "the outcome is about the amount"


def test_a_rule_may_test_unsure_only_where_it_is_offered(tmp_path):
    offered = GOOD_FLOW.replace("q1 == 'yes'", "q1 == 'unsure'")
    load_pack(make_pack(tmp_path / "offered", offered))
    found = issues(tmp_path / "know", offered.replace("    fact: 有没有\n", "    fact: 有没有\n    answers: know\n"))
    assert any("'q1' has no answer 'unsure'" in line for line in found)


def test_a_placeholder_that_could_print_bu_qing_chu_needs_a_condition_over_its_value(tmp_path):
    text = GOOD_FLOW.replace("analysis: [说明。]", "analysis: ['欠您{q2}。']").replace(
        "      - {if: \"q1 == 'yes'\", goto: q2}\n      - goto: done", "      - goto: q2")
    assert any("placeholder {q2} may read 不清楚" in line for line in issues(tmp_path / "bare", text))
    guarded_by_answered = text.replace("analysis: ['欠您{q2}。']", "analysis: [{if: 'answered(q2)', text: '欠您{q2}。'}]")
    assert any("may read 不清楚" in line for line in issues(tmp_path / "answered", guarded_by_answered))
    load_pack(make_pack(tmp_path / "good", text.replace(
        "analysis: ['欠您{q2}。']", "analysis: [{if: \"q2 != 'unsure'\", text: '欠您{q2}。'}]")))
