"""Chinese numerals for article numbers: 第三十条, 第一百零二条, 第一千一百六十五条.

Why: statutes number their articles in Chinese numerals, and a citation must read exactly as the statute does.
"""

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def chinese_number(n: int) -> str:
    """Write 1 ≤ n ≤ 9999 as statutes do (十 not 一十 at the start; 零 for skipped places)."""
    if not 1 <= n <= 9999:
        raise ValueError(f"article number out of range: {n}")
    out = []
    rest = n
    pending_zero = False
    for value, unit in _UNITS:
        digit, rest = divmod(rest, value)
        if digit:
            if pending_zero:
                out.append("零")
                pending_zero = False
            if not (value == 10 and digit == 1 and not out):
                out.append(_DIGITS[digit])
            out.append(unit)
        elif out:
            pending_zero = True
    if rest:
        if pending_zero:
            out.append("零")
        out.append(_DIGITS[rest])
    return "".join(out)
