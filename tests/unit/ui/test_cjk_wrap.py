"""Chinese line breaking without Kivy: a Hanzi is two columns, ASCII one (the measure a font would give)."""

from hypothesis import given
from hypothesis import strategies as st

from kiosk.ui.cjk_wrap import NO_LINE_END, NO_LINE_START, break_lines, units


def columns(text: str) -> int:
    return sum(1 if ch.isascii() else 2 for ch in text)


def test_lines_fill_the_width():
    assert break_lines("一二三四五六七八", 6, columns) == ["一二三", "四五六", "七八"]


def test_a_closing_mark_hangs_at_the_end_of_the_line_before():
    assert break_lines("一二三，四五", 6, columns, hang=2) == ["一二三，", "四五"]
    assert break_lines("一二三四五六。", 6, columns, hang=2) == ["一二三", "四五六。"]


def test_without_room_to_hang_the_character_before_moves_down_with_the_mark():
    assert break_lines("一二三，四五六", 6, columns) == ["一二", "三，四", "五六"]
    assert break_lines("一二三。”四", 6, columns, hang=2) == ["一二", "三。”", "四"]  # two marks: one hang's room


def test_an_opening_mark_moves_to_the_next_line():
    assert break_lines("一二《三》", 6, columns) == ["一二", "《三》"]
    assert break_lines("甲乙“丙”", 6, columns) == ["甲乙", "“丙”"]


def test_numbers_and_latin_words_are_never_split():
    assert units("电话12348，网址gf.example.cn/v") == ["电", "话", "12348", "，", "网", "址", "gf.example.cn/v"]
    assert break_lines("电话12348号", 8, columns) == ["电话", "12348号"]


def test_a_number_keeps_its_unit_and_a_date_stays_whole():
    assert units("还有30天，共500元") == ["还", "有", "30天", "，", "共", "500元"]
    assert units("编号：A-1 2026年11月22日") == ["编", "号", "：", "A-1", " ", "2026年11月22日"]
    assert break_lines("编号：A-1 2026年11月22日", 16, columns) == ["编号：A-1", "2026年11月22日"]


def test_a_piece_wider_than_the_line_sticks_out_rather_than_break():
    assert break_lines("见https://gf.example.cn/v/ABC", 10, columns) == ["见", "https://gf.example.cn/v/ABC"]


def test_hard_line_breaks_are_kept_and_a_space_at_a_break_is_dropped():
    assert break_lines("第一项；\n（二）第二项", 40, columns) == ["第一项；", "（二）第二项"]
    assert break_lines("监督。 分包单位", 8, columns) == ["监督。", "分包单位"]


def test_with_no_legal_break_the_line_sticks_out():
    assert break_lines("一，。、；", 4, columns) == ["一，。、；"]


HANZI = st.sampled_from("劳动合同工资仲裁法院申请日期")
WORD = st.tuples(st.sampled_from(["", "（", "《", "“"]), st.lists(HANZI, min_size=1, max_size=4).map("".join),
                 st.sampled_from(["", "，", "。", "、", "）", "》", "”", "）。", "。”", "……"]),
                 st.sampled_from(["", "2027", "12348"])).map("".join)


@given(words=st.lists(WORD, min_size=1, max_size=30), width=st.integers(12, 40), hang=st.sampled_from([0, 2]))
def test_any_paragraph_keeps_every_character_and_the_rules(words, width, hang):
    text = "".join(words)
    lines = break_lines(text, width, columns, hang=hang)
    assert "".join(lines) == text
    assert all(columns(line) <= width + hang for line in lines)
    assert [line for line in lines[1:] if line[0] in NO_LINE_START] == []
    assert [line for line in lines[:-1] if line[-1] in NO_LINE_END] == []


def test_a_paragraph_does_not_end_in_a_line_of_one_character():
    assert break_lines("一二三四五六七", 6, columns) == ["一二三", "四五", "六七"]
    assert break_lines("一二三四五六七。", 6, columns) == ["一二三", "四五", "六七。"]  # 七。 is one character too
    assert break_lines("一二三", 4, columns) == ["一二", "三"]  # the line before would keep one: left alone
    assert break_lines("一二三四，五", 10, columns) == ["一二三", "四，五"]  # a mark goes down with its character
