"""`kiosk library search|show`: the law library from a terminal, one JSON object per hit for scripts."""

from __future__ import annotations

import json

from kiosk.cli.main import main


def test_search_prints_one_json_object_per_hit_best_first(capsys):
    assert main(["library", "search", "民法典1165", "--limit", "3", "--json"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert hits[0]["law"] == "中华人民共和国民法典" and hits[0]["article"] == 1165 and hits[0]["rank"] == 1
    assert all(isinstance(hit["score"], float) for hit in hits) and len(hits) <= 3


def test_search_as_text_and_a_query_that_finds_nothing(capsys):
    assert main(["library", "search", "试用期", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(" 1. 劳动合同法 第十九条")
    assert main(["library", "search", "？！"]) == 1
    assert main(["library", "search", "工资", "--limit", "0"]) == 2


def test_show_an_article_with_its_status_version_and_notes(capsys):
    assert main(["library", "show", "刑法", "390"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("《中华人民共和国刑法》第三百九十条  [现行有效，2020-12-26版]")
    assert "注：经《刑法修正案（十二）》修改，2024年3月1日起施行" in out
    assert main(["library", "show", "刑法", "133之一", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["label"] == "第一百三十三条之一" and shown["article"] == 133
    assert main(["library", "show", "劳动法", "9999"]) == 1
    assert main(["library", "show", "劳动法", "第五十条"]) == 2
