"""Triage labelling: legal bases read into distant labels, the labelling desk's entries, the fixed split."""

from __future__ import annotations

import pytest

from kiosk_build.triage.basis import BasisRules, cited
from kiosk_build.triage.devset import QA_FILE, QUESTIONS_FILE, read_label_rows, split_of, text_check
from kiosk_build.triage.labelling import fix, parse_entry


def test_cited_reads_quoted_and_plain_bases():
    quoted = "《中华人民共和国道路交通安全法》第七十六条机动车发生交通事故造成人身伤亡……依照本法第十条"
    assert cited(quoted) == [("道路交通安全法", 76)]
    plain = "中华人民共和国民法典第五百八十四条；中华人民共和国民法典第一千零七十九条"
    assert cited(plain) == [("民法典", 584), ("民法典", 1079)]
    assert cited("劳动合同法第九十三条；最高人民法院关于审理劳动争议案件适用法律问题的解释（一）第二十九条") == [
        ("劳动合同法", 93), ("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", 29)]


RULES = BasisRules({"laws": {
    "民法典": [[1, 204], [667, 702, "debt"], [1040, 1118, "marriage_family"]],
    "婚姻家庭编": ["marriage_family"],
    "道路交通安全法": ["traffic_accident"],
    "道路交通安全法实施条例": ["traffic_accident", "administrative"],
}})


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        ("中华人民共和国民法典第六百七十五条", ("debt",)),
        ("中华人民共和国民法典第一千零七十九条", ("marriage_family",)),
        ("中华人民共和国民法典第一百八十八条", ()),  # the general part says nothing about the topic
        ("《道路交通安全法实施条例》第二十四条", ("traffic_accident", "administrative")),  # the longest name wins
        ("最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）第五条", ("marriage_family",)),
        ("公司法第三条", ()),  # a law the rules do not list
        ("中华人民共和国民法典第六百七十五条；中华人民共和国民法典第一千零七十九条；中华人民共和国民法典第一千零八十条",
         ("marriage_family", "debt")),  # the most cited first
    ],
)
def test_basis_rules_map_articles_to_ids(basis, expected):
    assert RULES.topics(basis) == expected


def test_the_shipped_rules_cover_the_common_laws():
    rules = BasisRules.load()
    assert rules.topics("劳动合同法第八十二条") == ("labor",)
    assert rules.topics("中华人民共和国民法典第一千二百零八条") == ("traffic_accident",)
    assert rules.topics("中华人民共和国民法典第一千一百二十七条") == ("inheritance",)
    assert rules.topics("商标法第五十七条") == ("referral",)


def test_labelling_desk_entries():
    assert parse_entry("q123 l,cr") == ("unlabelled_real_questions.tsv", 123, ["labor", "criminal"], "")
    assert parse_entry("j45 r:ip") == ("legal_qa_sample.jsonl", 45, ["referral"], "ip")
    assert parse_entry("q7 cr,r:company") == ("unlabelled_real_questions.tsv", 7, ["criminal", "referral"], "company")
    with pytest.raises(ValueError, match="needs a reason"):
        parse_entry("q8 r")
    with pytest.raises(ValueError, match="unknown reason"):
        parse_entry("q8 r:whatever")
    with pytest.raises(KeyError):
        parse_entry("q8 zz")


def test_split_is_fixed_by_the_text():
    texts = [f"问题{i}" for i in range(400)]
    assert [split_of(t) for t in texts] == [split_of(t) for t in texts]
    assert 60 < sum(split_of(t) == "test" for t in texts) < 140  # one in four


def _tiny_sources(folder):
    """A two-question source file pair in `folder`, as ../shared/data lays them out."""
    (folder / QUESTIONS_FILE).write_text("source\tquestion\nx\t老板欠我工资\nx\t户口怎么迁\n", encoding="utf-8")
    (folder / QA_FILE).write_text("", encoding="utf-8")


def test_a_label_is_corrected_in_place_keeping_its_split_and_sample(tmp_path):
    _tiny_sources(tmp_path)
    labels = tmp_path / "labels.tsv"
    header = "# comment kept\nfile\tline\tcheck\ttopics\tsplit\tsample\treason\n"
    labels.write_text(header + f"{QUESTIONS_FILE}\t2\t{text_check('老板欠我工资')}\tdebt\ttest\trandom\t\n"
                      f"{QUESTIONS_FILE}\t3\t{text_check('户口怎么迁')}\tmarriage_family\ttrain\ttargeted\t\n",
                      encoding="utf-8")
    assert fix(["q2 l", "q3 r:other"], labels, tmp_path) == {"test": 1, "train": 1}
    rows = read_label_rows(labels)
    assert [(r["topics"], r["split"], r["sample"], r["reason"]) for r in rows] == [
        ("labor", "test", "random", ""), ("referral", "train", "targeted", "other")]
    assert labels.read_text(encoding="utf-8").startswith("# comment kept\n")
    with pytest.raises(ValueError, match="not labelled yet"):
        fix(["q4 l"], labels, tmp_path)
