"""Searching the pack's law library as a citizen types: words, a law's short name, an article by number; the articles
a lawyer expects come first and the words are marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.legal.law_library import LIBRARY_UNAVAILABLE, NAMED_SCORE, LawLibrary
from kiosk.legal.numerals import chinese_number
from kiosk.core.errors import KioskError
from tests.law_relevance import relevance_set

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"
TOP = 3
"""A query is answered when one of its expected articles is among the first TOP results."""


def hit_key(article) -> str:
    """'劳动合同法:30', '刑法:133之一': an article as the relevance set names it."""
    suffix = article.label[article.label.index("之"):] if "之" in article.label else ""
    return f"{article.law.short}:{article.number}{suffix}"


@pytest.fixture(scope="module")
def library() -> LawLibrary:
    library = LawLibrary(lambda: CONTENT_ROOT)
    yield library
    library.close()


def first_rank(library: LawLibrary, query: str, expected: tuple[str, ...]) -> int | None:
    hits = [hit_key(hit.article) for hit in library.search(query, limit=10).hits]
    return next((rank for rank, key in enumerate(hits, start=1) if key in expected), None)


def test_the_relevance_set_is_large_enough_and_names_real_articles(library):
    rows = relevance_set()
    assert len(rows) >= 40 and len({query for _kind, query, _expected in rows}) == len(rows)
    for _kind, _query, expected in rows:
        for key in expected:
            short, number = key.split(":")
            law = library.find_law(short)
            assert law is not None, short
            base, _, suffix = number.partition("之")
            article = library.article(law, int(base), f"第{chinese_number(int(base))}条之{suffix}" if suffix else "")
            assert article is not None and hit_key(article) == key, key


@pytest.mark.parametrize(("kind", "share"), [("words", 0.9), ("said", 0.85), ("said_fresh", 0.75)])
def test_top_three_hit_rate(library, kind, share):
    rows = [row for row in relevance_set() if row[0] == kind]
    missed = [(query, expected, first_rank(library, query, expected)) for _kind, query, expected in rows]
    missed = [row for row in missed if row[2] is None or row[2] > TOP]
    assert len(rows) >= 40 and 1 - len(missed) / len(rows) >= share, missed


@pytest.mark.parametrize(("query", "expected"), [(q, e) for kind, q, e in relevance_set() if kind in ("number", "name")])
def test_a_named_law_or_article_comes_first(library, query, expected):
    assert first_rank(library, query, expected) == 1


@pytest.mark.parametrize("query", ["劳动合同法第三十条", "劳动合同法30", "劳动合同法 第30条", "中华人民共和国劳动合同法第三十条",
                                   "劳动合同法三十条", "ＬＡＷ劳动合同法第３０条"])
def test_article_numbers_in_every_way_they_are_typed(library, query):
    found = library.search(query)
    assert found.law.short == "劳动合同法"
    assert hit_key(found.hits[0].article) == "劳动合同法:30" and found.hits[0].score == NAMED_SCORE


def test_a_named_article_of_a_law_without_it_falls_back_to_the_words(library):
    found = library.search("劳动法第九千条")
    assert found.law.short == "劳动法" and all(hit.score < NAMED_SCORE for hit in found.hits)


def test_a_law_and_words_search_that_law_first(library):
    found = library.search("劳动合同法 试用期")
    assert [hit.article.law.short for hit in found.hits[:5]] == ["劳动合同法"] * 5
    assert all("试用期" in hit.article.text for hit in found.hits[:5])


def test_the_query_words_and_the_laws_wording_are_marked(library):
    hit = library.search("加班费", limit=1).hits[0]
    marked = {hit.article.text[a:b] for a, b in hit.marks}
    assert "延长工作时间" in marked  # the synonym's wording
    snippet, marks = hit.snippet(60)
    assert len(snippet) <= 62 and marks and all(snippet[a:b] in hit.article.text for a, b in marks)
    assert all(a < b for a, b in hit.marks) and list(hit.marks) == sorted(hit.marks)


@pytest.mark.parametrize(("said", "words"), [("请问工资被拖欠了该怎么办", "工资被拖欠"), ("离婚了孩子归谁呢", "离婚 孩子归"),
                                             ("上班路上出车祸算不算工伤", "上班路上出车祸 工伤"),
                                             ("在工地上被砸伤算工伤吗", "在工地上被砸伤 工伤"),
                                             ("公司不签合同合不合法", "公司不签合同合法"),  # an either-or question
                                             ("俺家的地被他们占了", "家的地被他们占了"),  # a dialect's 俺
                                             ("他们不给工钱", "不给工钱")])
def test_question_words_and_particles_change_nothing(library, said, words):
    assert [hit.article.id for hit in library.search(said).hits] == [hit.article.id for hit in library.search(words).hits]


@pytest.mark.parametrize("query", ["被同事打了", "同事打了我"])
def test_a_passives_doer_or_a_finished_action_does_not_hide_the_everyday_word(library, query):
    assert all("殴打" in hit.article.text for hit in library.search(query).hits[:3])  # 被打, 打我 → 殴打


def test_a_refusals_give_does_not_hide_the_everyday_word(library):
    assert all("订立书面劳动合同" in hit.article.text for hit in library.search("老板不给签合同").hits[:3])  # 不签合同


def test_an_article_listing_when_a_word_applies_comes_among_the_first(library):
    assert first_rank(library, "取保候审", ("刑事诉讼法:67",)) <= TOP  # 有下列情形之一的…，可以取保候审：


def test_a_synonym_is_found_across_a_particle(library):
    assert any("交通事故" in hit.article.text for hit in library.search("被车撞了").hits[:3])  # 车撞 → 交通事故


def test_a_single_character_finds_the_words_it_begins(library):
    assert any("犬" in hit.article.text for hit in library.search("犬").hits)
    assert any("犬" in hit.article.text for hit in library.search("狗").hits)  # the law writes 犬


@pytest.mark.parametrize("query", ["", "   ", "？！。", '"', "怎么办", "吗", "我的了",
                                   "NEAR(劳动 工资)", "劳动 AND OR NOT *", "第条",
                                   "工资" * 400, "a" * 2000, "民法典99999999999999999999"])
def test_odd_input_never_raises(library, query):
    found = library.search(query)
    assert len(found.hits) <= 20


def test_a_pack_without_a_library_says_so_with_its_code(tmp_path):
    with pytest.raises(KioskError) as caught:
        LawLibrary(lambda: tmp_path).search("工资")
    assert caught.value.code == LIBRARY_UNAVAILABLE.code
