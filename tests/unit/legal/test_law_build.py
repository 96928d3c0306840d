"""The law library of the pack (laws.sqlite) is every national law in force, built from the statute library with the
reviewed corrections of law_sources.yaml, and the shipped file is exactly what its sources build."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from kiosk_build.law_library import LawBuildError, build_law_library
from kiosk_build.statutes import default_source_db

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"
PACK_FILES = ("pack.yaml", "law_sources.yaml", "regulations.yaml", "statutes.json")


def _pack_copy(tmp_path: Path) -> Path:
    """The sources of the shipped pack's library in a directory of their own."""
    root = tmp_path / "content"
    root.mkdir()
    for name in PACK_FILES:
        shutil.copy(CONTENT_ROOT / name, root / name)
    shutil.copytree(CONTENT_ROOT / "regulation_texts", root / "regulation_texts")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The library built afresh from the installed statute library and the shipped sources."""
    root = _pack_copy(tmp_path_factory.mktemp("law_build"))
    return build_law_library(root, default_source_db()).path


@pytest.fixture(scope="module")
def db(built: Path):
    connection = sqlite3.connect(f"file:{built}?mode=ro", uri=True)
    yield connection
    connection.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_shipped_library_is_what_its_sources_build(built):
    assert _digest(built) == _digest(CONTENT_ROOT / "laws.sqlite"), \
        "kiosk/content/laws.sqlite is stale: run `kiosk content build`"


def test_every_law_in_force_of_the_statute_library_is_in_it_and_nothing_else(db):
    source = sqlite3.connect(f"file:{default_source_db()}?mode=ro", uri=True)
    in_force = {name for (name,) in source.execute(
        "SELECT law_name FROM laws WHERE status = '现行有效' AND doc_type NOT IN ('修正案', '修改决定') "
        "AND law_name NOT LIKE '%修正案%'")}
    articles = dict(source.execute(
        "SELECT l.law_name, count(*) FROM articles a JOIN laws l USING (law_id) WHERE l.status = '现行有效' "
        "GROUP BY l.law_id"))
    source.close()
    whole_regulations = {"工伤保险条例", "保障农民工工资支付条例", "中华人民共和国劳动合同法实施条例",
                         "国有土地上房屋征收与补偿条例", "职工带薪年休假条例"}  # whole texts of regulation_texts/
    shipped = dict(db.execute("SELECT name, (SELECT count(*) FROM articles a WHERE a.law = l.id) FROM laws l "
                              "WHERE excerpt = 0"))
    assert in_force <= set(shipped)
    assert set(shipped) - in_force == {"中华人民共和国农村土地承包法", "中华人民共和国刑法", *whole_regulations}
    assert all(shipped[name] == articles[name] for name in in_force)
    assert len(in_force) > 320 and sum(shipped.values()) > 23_000
    kinds = {kind for name, kind in db.execute("SELECT name, kind FROM laws WHERE excerpt = 0")
             if name not in whole_regulations}
    assert kinds == {"宪法", "法律", "立法解释"}
    assert {status for (status,) in db.execute("SELECT DISTINCT status FROM laws")} == {"现行有效"}


def test_the_2018_rural_land_contract_law_is_in_force_with_the_reason(db):
    law_id, version, note = db.execute("SELECT id, version_date, note FROM laws "
                                       "WHERE name = '中华人民共和国农村土地承包法'").fetchone()
    assert version == "2018-12-29" and "已废止" in note and "第十五条" in note
    text = db.execute("SELECT text FROM articles WHERE law = ? AND number = 21", (law_id,)).fetchone()[0]
    assert text.startswith("耕地的承包期为三十年")


def test_the_criminal_law_carries_amendment_twelve_and_its_2020_text_elsewhere(db):
    law_id = db.execute("SELECT id FROM laws WHERE name = '中华人民共和国刑法'").fetchone()[0]
    rows = {number: (text, note) for number, text, note in db.execute(
        "SELECT number, text, note FROM articles WHERE law = ? AND label NOT LIKE '%之%'", (law_id,))}
    amended = {number for number, (_text, note) in rows.items() if note}
    assert amended == {165, 166, 169, 387, 390, 391, 393}
    assert all(rows[n][1] == "经《刑法修正案（十二）》修改，2024年3月1日起施行" for n in amended)
    # whole articles replaced by the amendment's wording
    assert "（四）为谋取职务、职级晋升、调整行贿的；" in rows[390][0]
    assert rows[165][0].count("\n") == 1 and rows[165][0].startswith("国有公司、企业的董事、监事、高级管理人员")
    # one paragraph replaced, the rest of the 2020 text kept
    first, second = rows[387][0].split("\n")
    assert first.endswith("处三年以上十年以下有期徒刑。") and second.startswith("前款所列单位，在经济往来中")
    assert rows[391][0].split("\n")[1].startswith("单位犯前款罪的")
    assert rows[264][0].startswith("盗窃公私财物，数额较大的，或者多次盗窃")  # theft: untouched by the amendment


def test_hand_checked_regulations_are_excerpts_with_their_source(db):
    rows = {short: (kind, source, excerpt) for short, kind, source, excerpt in db.execute(
        "SELECT short, kind, source, excerpt FROM laws WHERE excerpt = 1")}
    assert rows["民间借贷规定"][0] == "司法解释"
    assert all(source for _kind, source, _excerpt in rows.values())
    assert "农村土地承包法" not in rows  # its hand-checked articles were compared with the whole text instead
    assert not {"工伤保险条例", "保障农民工工资支付条例", "劳动合同法实施条例", "国有土地上房屋征收与补偿条例"} & set(rows)


def test_a_regulation_with_its_whole_text_has_every_article_in_its_chapter(db):
    kind, source, excerpt = db.execute("SELECT kind, source, excerpt FROM laws WHERE short = '工伤保险条例'").fetchone()
    assert (kind, excerpt) == ("行政法规", 0) and "国务院令第375号" in source and "全文" in source
    rows = db.execute("SELECT a.number, a.label, a.chapter, a.text, a.cited FROM articles a JOIN laws l "
                      "ON l.id = a.law WHERE l.short = '工伤保险条例' ORDER BY a.id").fetchall()
    assert [number for number, *_rest in rows] == list(range(1, 68))
    by_number = {number: (label, chapter, text, cited) for number, label, chapter, text, cited in rows}
    label, chapter, text, cited = by_number[14]
    assert (label, chapter, cited) == ("第十四条", "第三章 工伤认定", 1)  # the flows cite 14
    assert text.startswith("职工有下列情形之一的，应当认定为工伤：\n（一）在工作时间和工作场所内")
    assert text.endswith("（七）法律、行政法规规定应当认定为工伤的其他情形。")
    assert by_number[35][3] == 0 and "一级伤残为27个月的本人工资" in by_number[35][2]
    assert "(" not in "".join(text for _l, _c, text, _x in by_number.values())  # brackets full-width
    wages = db.execute("SELECT count(*) FROM articles a JOIN laws l ON l.id = a.law "
                       "WHERE l.short = '保障农民工工资支付条例'").fetchone()[0]
    assert wages == 64


def test_a_whole_text_that_differs_from_a_hand_checked_article_stops_the_build(tmp_path):
    root = _pack_copy(tmp_path)
    path = root / "regulation_texts" / "工伤保险条例.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("起1年内，可以直接", "起2年内，可以直接")
                    .replace("第二十条 ", "第二十一条 ", 1), encoding="utf-8")
    with pytest.raises(LawBuildError) as caught:
        build_law_library(root, default_source_db())
    assert "regulations.yaml 工伤保险条例 Art. 17: differs from its whole text regulation_texts/工伤保险条例.txt" \
        in caught.value.problems
    assert any(p.startswith("工伤保险条例.txt:") and "第二十一条 follows 第十九条" in p for p in caught.value.problems)


def test_chapters_sections_names_and_topics(db):
    chapter, section = db.execute("SELECT chapter, section FROM articles a JOIN laws l ON l.id = a.law "
                                  "WHERE l.short = '民法典' AND a.number = 27").fetchone()
    assert (chapter, section) == ("第二章 自然人", "第二节 监护")
    aliases = dict(db.execute("SELECT alias, (SELECT name FROM laws WHERE id = law) FROM aliases"))
    assert aliases["劳动合同法"] == aliases["中华人民共和国劳动合同法"] == "中华人民共和国劳动合同法"
    assert aliases["消保法"] == "中华人民共和国消费者权益保护法"
    assert aliases["工伤保险条例"] == "工伤保险条例"
    topics = db.execute("SELECT l.short, t.part, t.first, t.last FROM topics t JOIN laws l ON l.id = t.law "
                        "WHERE topic = 'inheritance'").fetchall()
    assert topics == [("民法典", "第六编 继承", 1119, 1163)]


def _edit_sources(root: Path, edit) -> None:
    path = root / "law_sources.yaml"
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(sources)
    path.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")


def test_a_law_older_than_its_amendment_needs_an_override(tmp_path):
    root = _pack_copy(tmp_path)
    _edit_sources(root, lambda s: s["status_overrides"]["中华人民共和国刑法"].pop("amended_by"))
    with pytest.raises(LawBuildError, match="中华人民共和国刑法: its text \\(2020-12-26\\) predates "
                                            "中华人民共和国刑法修正案（十二）"):
        build_law_library(root, default_source_db())


def test_an_override_must_list_exactly_what_the_amendment_changes(tmp_path):
    root = _pack_copy(tmp_path)
    _edit_sources(root, lambda s: s["status_overrides"]["中华人民共和国刑法"]["amended_by"]["articles"].pop(387))
    with pytest.raises(LawBuildError, match="changes .*387.*the override lists"):
        build_law_library(root, default_source_db())


def test_an_override_the_statute_library_no_longer_needs_stops_the_build(tmp_path):
    root = _pack_copy(tmp_path)
    source = tmp_path / "laws.db"
    shutil.copy(default_source_db(), source)
    with sqlite3.connect(source) as connection:
        connection.execute("UPDATE laws SET status = '现行有效' WHERE law_name = '中华人民共和国农村土地承包法'")
    with pytest.raises(LawBuildError, match="农村土地承包法: the statute library says '现行有效', not '已废止'"):
        build_law_library(root, source)
    assert not (root / "laws.sqlite").exists()


def test_a_hand_checked_excerpt_that_differs_from_the_library_stops_the_build(tmp_path):
    root = _pack_copy(tmp_path)
    path = root / "regulations.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("耕地的承包期为三十年", "耕地的承包期为二十年")
                    .replace("承包期内，发包方不得调整承包地。", "承包期内，发包方可以调整承包地。"), encoding="utf-8")
    with pytest.raises(LawBuildError, match="农村土地承包法 Art. 28: differs from the statute library"):
        build_law_library(root, default_source_db())


def test_unknown_names_in_the_sources_are_reported_together(tmp_path):
    root = _pack_copy(tmp_path)

    def edit(sources):
        sources["aliases"]["婚姻法"] = "中华人民共和国婚姻法"
        sources["topics"]["labor"].append({"law": "中华人民共和国劳动保护法"})
        sources["topics"]["weather"] = [{"law": "中华人民共和国气象法"}]
    _edit_sources(root, edit)
    with pytest.raises(LawBuildError) as caught:
        build_law_library(root, default_source_db())
    assert len(caught.value.problems) == 3
    assert "alias 婚姻法: 中华人民共和国婚姻法 is not a law of the library" in caught.value.problems


def test_a_synonym_whose_wording_occurs_in_no_article_stops_the_build(tmp_path):
    root = _pack_copy(tmp_path)
    _edit_sources(root, lambda s: s["synonyms"].update({"恶意欠薪": ["恶意欠薪罪"]}))
    with pytest.raises(LawBuildError, match="synonyms: 恶意欠薪: '恶意欠薪罪' occurs in no article of the library"):
        build_law_library(root, default_source_db())
