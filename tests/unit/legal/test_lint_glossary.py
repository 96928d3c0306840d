"""The plain-language lint: glossary terms need a plain explanation beside them; reading difficulty per flow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.legal.lint import FlowReading, lint
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack

GLOSSARY = """\
诉讼时效:
  plain: 打官司要钱的期限
  also: [打官司的期限]
连带保证:
  plain: 债主可以直接找担保人要钱
  forms: [连带担保]
"""
SUGGESTION = "诉讼时效（打官司要钱的期限）"


def glossary_pack(tmp_path: Path, analysis: str, glossary: str = GLOSSARY) -> Path:
    """The loader's labor pack with `analysis` as its outcome's one analysis text and a glossary in its manifest."""
    root = make_pack(tmp_path, GOOD_FLOW.replace("analysis: [说明。]", f"analysis: ['{analysis}']"))
    (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    with (root / "pack.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write("glossary: glossary.yaml\n")
    return root


def glossary_errors(root: Path) -> list[str]:
    return [e for e in lint(root).errors if "without a plain explanation" in e]


def test_an_unexplained_term_is_an_error_naming_file_line_term_and_suggestion(tmp_path):
    root = glossary_pack(tmp_path, "诉讼时效是三年，过了就难要。")
    assert glossary_errors(root) == [
        f"content/flows/labor.yaml:25: 诉讼时效 without a plain explanation beside it in "
        f"“诉讼时效是三年，过了就难要。”; e.g. {SUGGESTION}"]
    assert main(["content", "lint", "--root", str(root), "--quiet"]) == 1


@pytest.mark.parametrize("analysis", [
    "诉讼时效（打官司要钱的期限）是三年。",        # a parenthesis of plain words right after the term
    "“诉讼时效”（也就是打官司的期限）是三年。",    # ... after a closing quote mark
    "诉讼时效，就是打官司要钱的期限，一般三年。",  # 就是 after a comma
    "诉讼时效也就是要钱的期限，一般三年。",
    "诉讼时效即要钱的期限，一般三年。",
    "诉讼时效是指要钱的期限，一般三年。",
    "要钱有期限，叫“诉讼时效”，一般三年。",      # 叫 before the term
    "法律上称为诉讼时效，一般三年。",
    "打官司要钱的期限，一般三年。诉讼时效过了就难要。",  # the glossary's own sentence
    "打官司的期限（诉讼时效）一般三年。",              # a declared paraphrase
    "写了连带担保的，债主可以直接找担保人要钱。",      # another spelling, explained by the plain sentence
])
def test_each_kind_of_explanation_is_accepted(tmp_path, analysis):
    assert glossary_errors(glossary_pack(tmp_path, analysis)) == []


@pytest.mark.parametrize("analysis", [
    "诉讼时效（三年）要记住。",                     # two Chinese characters are no explanation
    "诉讼时效（按受伤的日子估算）要记住。",         # a remark on the date, not an explanation
    "诉讼时效三年，就是说要快。",                   # 就是 too far from the term
    "写了“连带担保”的，要小心。",                   # another spelling is the same term
])
def test_what_is_not_an_explanation(tmp_path, analysis):
    found = glossary_errors(glossary_pack(tmp_path, analysis))
    assert len(found) == 1


def test_statute_words_and_names_in_book_marks_are_exempt(tmp_path):
    quoted = "《劳动合同法》第三十条：诉讼时效的规定。"
    assert glossary_errors(glossary_pack(tmp_path / "colon", quoted)) == []
    in_marks = "《劳动合同法》第三十条规定“诉讼时效另有规定”。"
    assert glossary_errors(glossary_pack(tmp_path / "marks", in_marks)) == []
    assert glossary_errors(glossary_pack(tmp_path / "title", "见《诉讼时效问题的规定》。")) == []
    after = glossary_pack(tmp_path / "after", "《劳动合同法》第三十条：见原文。诉讼时效要记住。")
    assert [e.split(" without")[0] for e in glossary_errors(after)] == ["content/flows/labor.yaml:25: 诉讼时效"]


def test_the_glossary_itself_is_checked(tmp_path):
    bad = GLOSSARY + "一般保证:\n  plain: 不同于连带保证的担保\n空词: {}\n"
    errors = lint(glossary_pack(tmp_path, "说明。", bad)).errors
    assert "content/glossary.yaml:7: the explanation of 一般保证 uses the term 连带保证" in errors
    assert "content/glossary.yaml:9: glossary term 空词 needs `plain`, one short sentence" in errors


def test_a_pack_without_glossary_is_warned(tmp_path):
    report = lint(make_pack(tmp_path, GOOD_FLOW))
    assert report.ok and any("names no glossary" in w for w in report.warnings)


def test_reading_figures_of_a_small_pack_are_exact(tmp_path, capsys):
    root = glossary_pack(tmp_path, "耄耋之年。诉讼时效（打官司的期限）三年。连带担保就是直接找担保人。")
    # sentences (characters): intro 演示用的流程 6; q1 有没有 3, 说明 2, 有没有 3; q2 多少钱 3, 说明 2, 钱数 2;
    # title 结果 2; analysis 耄耋之年 4, 诉讼时效（打官司的期限）三年 14, 连带担保就是直接找担保人 12; way 对方 2
    # → 12 sentences of 55 characters. Chinese characters: 55 less the two parentheses = 53, of which 耄 and 耋
    # are outside GB2312 level 1. Terms: 诉讼时效 and 连带保证 (spelt 连带担保).
    assert lint(root).reading == [FlowReading("labor", sentences=12, mean_chars=55 / 12, max_chars=14,
                                              rare_share=2 / 53, glossary_terms=2)]
    assert main(["content", "lint", "--root", str(root), "--quiet"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["reading", "ease", "sentences", "mean", "max", "rare", "chars", "legal", "terms"]
    assert table[1].split() == ["labor", "12", "4.6", "14", "3.8%", "2"]
    assert main(["content", "lint", "--root", str(root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reading"] == [
        {"flow": "labor", "sentences": 12, "mean_chars": 55 / 12, "max_chars": 14, "rare_share": 2 / 53,
         "glossary_terms": 2}]
