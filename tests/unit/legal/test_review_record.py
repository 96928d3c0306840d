"""Issue 13, review record: each flow says who reviewed it against which texts and when, and `kiosk content lint`
lists the flows whose cited texts (or counted periods) changed after that review."""

from __future__ import annotations

import json
from datetime import date

from kiosk.cli.main import main
from kiosk.legal.lint import lint
from kiosk.legal.loader import load_pack
from kiosk.legal.review import record_review, texts_digest
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack

UNREVIEWED = GOOD_FLOW[:GOOD_FLOW.index("reviewed:")]


def test_a_flow_without_a_review_record_is_an_error(tmp_path):
    report = lint(make_pack(tmp_path, UNREVIEWED))
    assert any("flow labor has no `reviewed:` record" in error for error in report.errors)


def test_recording_a_review_stamps_the_digest_of_the_cited_texts(tmp_path):
    root = make_pack(tmp_path, UNREVIEWED)
    line = record_review(root, load_pack(root), "labor", by="张律师", against="statutes.json 2026.12", on=date(2026, 12, 7))
    pack = load_pack(root)
    review = pack.flow("labor").reviewed
    assert line.startswith("reviewed: {by: \"张律师\", date: 2026-12-07")
    assert (review.by, review.on, review.against) == ("张律师", date(2026, 12, 7), "statutes.json 2026.12")
    assert review.texts == texts_digest(pack, pack.flow("labor"))
    report = lint(root)
    assert report.ok and report.stale_reviews == []


def test_a_changed_article_lists_the_flow_for_review_again(tmp_path):
    root = make_pack(tmp_path, GOOD_FLOW)
    assert lint(root).stale_reviews == []
    library = json.loads((root / "statutes.json").read_text(encoding="utf-8"))
    entry = library["laws"]["中华人民共和国劳动合同法"]
    entry["articles"]["30"] += "（修改）"
    entry["version_date"] = "2027-01-01"
    (root / "statutes.json").write_text(json.dumps(library, ensure_ascii=False), encoding="utf-8")
    stale = lint(root).stale_reviews
    assert len(stale) == 1 and "flow labor" in stale[0] and "2026-12-07 by 测试" in stale[0]
    assert "中华人民共和国劳动合同法第30条" in stale[0]


def test_a_changed_period_declaration_lists_the_flows_that_count_it(tmp_path):
    flow = GOOD_FLOW.replace("    ways:\n", "    deadlines:\n      - {label: 仲裁, period: labor_arbitration, "
                             "from: d1}\n    ways:\n", 1).replace("  q2:\n    kind: money", "  q2:\n    kind: date", 1)
    flow = flow.replace("answers: {q1: \"no\"}, outcome: done}", "answers: {q1: \"no\"}, outcome: done, deadlines: {}}")
    root = make_pack(tmp_path, flow.replace("from: d1", "from: q2").replace("      - {label: 仲裁",
                                                                           "      - {if: \"answered(q2)\", label: 仲裁"))
    record_review(root, load_pack(root), "labor", by="甲", against="periods.yaml", on=date(2026, 12, 7))
    assert lint(root).stale_reviews == []
    periods = root / "periods.yaml"
    periods.write_text(periods.read_text(encoding="utf-8").replace("length: {years: 1}", "length: {years: 2}", 1),
                       encoding="utf-8")
    assert ["flow labor" in line for line in lint(root).stale_reviews] == [True]


def test_the_review_command_writes_the_record(tmp_path, capsys):
    root = make_pack(tmp_path, UNREVIEWED)
    assert main(["content", "review", "labor", "--by", "李", "--against", "statutes.json", "--root", str(root)]) == 0
    assert "labor: reviewed: {by: \"李\"" in capsys.readouterr().out
    assert load_pack(root).flow("labor").reviewed.by == "李"
    assert main(["content", "review", "nope", "--by", "李", "--against", "x", "--root", str(root)]) == 2
