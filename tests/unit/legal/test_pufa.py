"""普法 cards are content checked like flows: every topic has its three cards, every cited article is law in force, and a
card that breaks the rules is named by `kiosk content lint`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.legal.law_library import LawLibrary
from kiosk.legal.lint import lint
from kiosk.legal.pufa import CARDS_PER_TOPIC, MAX_PAGES, PufaCard, card_problems, in_turns, load_cards
from kiosk.legal.yamlmarks import load_marked

CONTENT_ROOT = Path(__file__).resolve().parents[3] / "kiosk" / "content"


@pytest.fixture(scope="module")
def library():
    library = LawLibrary(lambda: CONTENT_ROOT)
    yield library
    library.close()


def test_every_topic_of_the_pack_has_three_cards_of_up_to_three_pages_with_citations(library):
    cards = load_cards(CONTENT_ROOT)
    topics = {flow for flow, entry in load_marked(CONTENT_ROOT / "pack.yaml")["topics"].items()
              if entry["kind"] == "topic"}
    assert all(sum(card.topic == topic for card in cards) >= CARDS_PER_TOPIC for topic in topics)
    assert len({card.id for card in cards}) == len(cards)
    assert all(1 <= len(card.pages) <= MAX_PAGES and all(page.cites for page in card.pages) for card in cards)
    assert [page.heading for page in cards[0].pages] == ["法律怎么说", "常见误区", "先做什么"]
    errors, warnings = card_problems(CONTENT_ROOT, library, set(load_marked(CONTENT_ROOT / "pack.yaml")["flows"]))
    assert errors == [] and warnings == []


def test_the_attract_screen_takes_the_cards_a_topic_at_a_time():
    cards = [PufaCard(card_id, card_id[0], card_id, (), "") for card_id in ("a1", "a2", "a3", "b1", "c1", "c2")]
    assert [card.id for card in in_turns(cards)] == ["a1", "b1", "c1", "a2", "c2", "a3"]
    shipped = in_turns(load_cards(CONTENT_ROOT))
    assert all(one.topic != two.topic for one, two in zip(shipped, shipped[1:], strict=False))
    assert in_turns([]) == []


def test_a_card_citing_a_repealed_law_or_breaking_the_rules_is_an_error(tmp_path, library):
    root = tmp_path / "content"
    root.mkdir()
    (root / "pufa.yaml").write_text("""cards:
  - id: old_marriage_law
    topic: marriage_family
    title: 婚姻法说
    pages:
      - {heading: 法律怎么说, text: 旧的婚姻法已经废止。, cites: [婚姻法:32]}
  - id: too_long
    topic: weather
    title: 四页
    pages:
      - {heading: 一, text: 一, cites: [民法典:1]}
      - {heading: 二, text: 二, cites: [民法典:99999]}
      - {heading: 三, text: 三, cites: [民法典第三条]}
      - {heading: 四, text: 四, cites: []}
""", encoding="utf-8")
    errors, _warnings = card_problems(root, library, {"marriage_family"})
    assert any("婚姻法 Art. 32 is not in the law library in force" in e for e in errors)
    assert any("民法典 Art. 99999" in e for e in errors)
    assert any("'民法典第三条' is not 简称:条" in e for e in errors)
    assert any("cites no article" in e for e in errors)
    assert any("one to 3 pages, not 4" in e for e in errors)
    assert any("topic weather is not a flow" in e for e in errors)
    assert [card.id for card in load_cards(root)] == ["old_marriage_law"]  # a malformed card is never shown


def test_content_lint_checks_the_cards_plain_language(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_ROOT, root, ignore=shutil.ignore_patterns("audio", "__pycache__"))
    path = root / "pufa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("请它的上级机关重新审查这个决定", "申请行政复议"),
                    encoding="utf-8")
    report = lint(root)
    assert any("pufa.yaml" in e and "行政复议 without a plain explanation" in e for e in report.errors)
