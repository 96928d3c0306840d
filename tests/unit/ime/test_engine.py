"""Candidates for typed pinyin: segmentation, 简拼, partial syllables, phrases and the legal vocabulary's rank."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.ui.ime.engine import normalise


def texts(dictionary, letters, count=10):
    return [c.text for c in dictionary.candidates(letters)[:count]]


def test_letters_are_normalised():
    assert normalise("Lao Ban") == "lao'ban"
    assert normalise("  xi''an1") == "xi'an"


def test_full_pinyin_words_come_first(dictionary):
    assert texts(dictionary, "laoban")[0] == "老板"
    assert texts(dictionary, "women")[0] == "我们"


def test_xian_offers_one_syllable_and_two(dictionary):
    found = texts(dictionary, "xian", 30)
    assert found[0] in {"先", "现", "县", "线"}
    assert "西安" in found
    assert dictionary.segment("xian") == ["xian"]


def test_a_separator_forces_the_cut(dictionary):
    assert texts(dictionary, "xi'an")[0] == "西安"
    assert dictionary.segment("xi'an") == ["xi", "an"]
    assert "先" not in texts(dictionary, "xi'an", 30)


def test_both_cuts_of_fangan(dictionary):
    assert {"方案", "反感"} <= set(texts(dictionary, "fangan", 4))


@pytest.mark.parametrize("letters, word", [("lb", "老板"), ("gz", "工资"), ("jtsg", "交通事故"), ("flyz", "法律援助"),
                                           ("qx", "欠薪")])
def test_first_letter_abbreviations(dictionary, letters, word):
    assert word in texts(dictionary, letters, 3)


def test_initials_mix_with_full_syllables(dictionary):
    assert "老板" in texts(dictionary, "laob", 3)
    assert "中国" in texts(dictionary, "zhongg", 3)
    assert dictionary.segment("zhangs") == ["zhang", "s"]


def test_a_partial_last_syllable_matches(dictionary):
    assert texts(dictionary, "laoba", 3)[:2] == ["老爸", "老板"]  # a whole syllable before a guessed one
    assert "工资" in texts(dictionary, "gongz", 3)


def test_candidates_say_how_many_letters_they_stand_for(dictionary):
    found = {c.text: c for c in dictionary.candidates("laobantuoqian")}
    assert found["老板"].consumed == len("laoban")
    assert found["老"].consumed == len("lao")


def test_a_phrase_leads_when_no_word_covers_the_letters(dictionary):
    assert texts(dictionary, "laobantuoqian")[:2] == ["老板拖欠", "老板"]
    assert texts(dictionary, "woyaolihun")[0] == "我要离婚"
    assert texts(dictionary, "tuoqian gongzi")[0] == "拖欠工资"
    assert dictionary.phrase("lbtq") == ()  # no phrase of guessed syllables


@pytest.mark.parametrize("letters, word, within", [
    ("qianxin", "欠薪", 3), ("qx", "欠薪", 3), ("lihun", "离婚", 1), ("gongshang", "工伤", 3),
    ("fuyangquan", "抚养权", 1), ("jiaotongshigu", "交通事故", 1), ("qiantiao", "欠条", 1), ("wuye", "物业", 1),
    ("chaiqian", "拆迁", 1), ("jiekuan", "借款", 1), ("peichang", "赔偿", 1), ("falvyuanzhu", "法律援助", 1),
    ("gongzi", "工资", 1),
])
def test_legal_vocabulary_ranks_high(dictionary, letters, word, within):
    assert word in texts(dictionary, letters, within)


def test_letters_that_spell_nothing_give_nothing(dictionary):
    assert dictionary.candidates("iii") == []
    assert dictionary.candidates("") == []
    assert dictionary.segment("vvv") == ["vvv"]


def test_v_types_u_umlaut(dictionary):
    assert "女" in texts(dictionary, "nv", 3)
    assert "法律" in texts(dictionary, "falv", 1)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz' ", max_size=24))
def test_any_letters_give_candidates_that_consume_a_prefix(dictionary, letters):
    text = normalise(letters)
    found = dictionary.candidates(letters)
    assert len({c.text for c in found}) == len(found)
    for candidate in found:
        assert 0 < candidate.consumed <= len(text)
    assert [c.consumed for c in found[1:]] == sorted((c.consumed for c in found[1:]), reverse=True)
