"""Text as the synthesiser must hear it: numbers written out in Chinese words first.

Why: espeak-ng's Mandarin reads "12000元" as 十二千元, "2026年" as 二千二十六年 and "1.5" as 一五; a citizen who
hears their own amount or date read wrong is misled. Years and telephone numbers are read digit by digit
(二零二六年, 一二三四八), counted amounts in words with 万 and 亿 (一万二千元), decimals with 点.
"""

from __future__ import annotations

import re

from kiosk.legal.numerals import chinese_number

_DIGITS = "零一二三四五六七八九"
_YEAR = re.compile(r"\d{4}(?=\s*年)")
_NUMBER = re.compile(r"(\d+)(?:\.(\d+))?\s*([%％])?")
_COUNTED_BY = "元块角万亿天日月年岁周个次人项条款题倍页份张件名户小分秒公里米斤亩平度"
"""Characters that, after a number, make it a quantity read in words; a bare run of 3 or more digits is a
telephone number or a code, read digit by digit."""
_LONGEST_WORDS_DIGITS = 12
"""Longest whole number written in words (up to 千亿); longer runs are read digit by digit."""


def spoken(text: str) -> str:
    """`text` with every number written in Chinese words as it should be read aloud."""
    return _NUMBER.sub(_number, _YEAR.sub(lambda m: _digits(m[0]), text))


def _number(match: re.Match[str]) -> str:
    whole, fraction, percent = match[1], match[2], match[3]
    following = match.string[match.end():].lstrip()[:1]
    counted = bool(following) and following in _COUNTED_BY
    code = len(whole) > _LONGEST_WORDS_DIGITS or (len(whole) >= 3 and (whole[0] == "0" or not counted))
    if code and fraction is None and not percent:
        return _digits(whole)
    words = _integer(int(whole)) + (f"点{_digits(fraction)}" if fraction else "")
    return f"百分之{words}" if percent else words


def _digits(run: str) -> str:
    return "".join(_DIGITS[int(d)] for d in run)


def _integer(n: int) -> str:
    """0 ≤ n < 10**12 in words: 一万零五百, 一亿零五, 十二."""
    if n == 0:
        return "零"
    out: list[str] = []
    skipped = False
    for value, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group, n = divmod(n, value)
        if not group:
            skipped = bool(out)
            continue
        if out and (skipped or group < 1000):
            out.append("零")
        words = chinese_number(group)
        out.append(("一" + words if out and words.startswith("十") else words) + unit)
        skipped = False
    return "".join(out)
