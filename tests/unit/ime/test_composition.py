"""Typing, pages, choosing a candidate that keeps the rest of the letters, and space."""

from kiosk.ui.ime.composition import Composition
from kiosk.ui.ime.engine import MAX_LETTERS


def typed(dictionary, letters, page_size=6):
    composition = Composition(dictionary, page_size)
    for letter in letters:
        composition.add(letter)
    return composition


def pick(composition, text):
    return composition.choose(next(c for c in composition.candidates if c.text == text))


def test_choosing_consumes_the_matching_letters_and_keeps_the_rest(dictionary):
    composition = typed(dictionary, "laobantuoqian")
    assert pick(composition, "老板") == "老板"
    assert composition.letters == "tuoqian"
    assert composition.candidates[0].text == "拖欠"
    assert composition.choose_first() == "拖欠"
    assert composition.letters == ""
    assert composition.candidates == []


def test_a_separator_left_at_the_front_is_dropped(dictionary):
    composition = typed(dictionary, "tuoqian gongzi")
    assert pick(composition, "拖欠") == "拖欠"
    assert composition.letters == "gongzi"


def test_letters_before_the_dictionary_loads_get_candidates_when_it_arrives(dictionary):
    composition = Composition()
    composition.add("l")
    composition.add("b")
    assert composition.candidates == [] and composition.shown_letters == "lb"
    composition.set_dictionary(dictionary)
    assert composition.candidates[0].text == "老板"
    assert composition.shown_letters == "l'b"


def test_pages_turn_within_the_candidates(dictionary):
    composition = typed(dictionary, "shi", page_size=5)
    first = composition.shown_candidates
    assert len(first) == 5 and not composition.has_previous_page and composition.has_next_page
    composition.turn(1)
    assert composition.shown_candidates[0] == composition.candidates[5]
    composition.turn(-5)
    assert composition.page == 0
    composition.turn(1000)
    assert not composition.has_next_page and composition.shown_candidates
    composition.add("j")
    assert composition.page == 0


def test_a_page_holds_only_the_candidates_that_fit_the_bar(dictionary):
    composition = typed(dictionary, "laobantuoqian")
    composition.fits = lambda texts: sum(len(t) + 1 for t in texts) <= 8  # a bar eight "cells" wide
    composition.repage()
    pages = []
    while True:
        shown = [c.text for c in composition.shown_candidates]
        assert shown and (len(shown) == 1 or sum(len(t) + 1 for t in shown) <= 8)
        pages.append(shown)
        if not composition.has_next_page:
            break
        composition.turn(1)
    assert pages[0] == ["老板拖欠", "老板"]  # 5 + 3 cells; the third would not fit
    assert [t for page in pages for t in page] == [c.text for c in composition.candidates]
    composition.turn(-1)
    assert [c.text for c in composition.shown_candidates] == pages[-2]
    composition.turn(-1000)
    assert composition.page == 0 and not composition.has_previous_page


def test_backspace_and_clear(dictionary):
    composition = typed(dictionary, "ab")
    assert composition.backspace() and composition.letters == "a"
    assert composition.backspace() and not composition.backspace()
    composition.add("x")
    composition.clear()
    assert composition.letters == "" and composition.candidates == []


def test_space_without_candidates_gives_the_letters(dictionary):
    composition = typed(dictionary, "iphone")
    assert composition.candidates == []
    assert composition.choose_first() == "iphone"
    assert composition.letters == ""


def test_only_letters_are_kept_and_length_is_bounded(dictionary):
    composition = Composition(dictionary)
    assert not composition.add("1") and not composition.add("'")
    for _ in range(MAX_LETTERS):
        assert composition.add("a")
    assert not composition.add("a")
