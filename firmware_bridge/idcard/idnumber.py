"""Checks of the numbers printed on the four card kinds, and the masked form for slips.

Why our own: `stdnum.cn.ric` rejects the 810000/820000/830000 residence-permit numbers and is not installed;
the check digit itself (ISO 7064 MOD 11-2) is a few lines.
"""

from __future__ import annotations

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
"""ISO 7064 MOD 11-2 weights of the first 17 digits (2^(18-i) mod 11)."""
CHECK_CHARS = "10X98765432"
"""Check character indexed by the weighted sum mod 11."""

_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$")
PERMIT_PREFIXES = ("810000", "820000", "830000")
"""Region codes of Hong Kong, Macau and Taiwan residence permits."""


def check_digit(first17: str) -> str:
    """The MOD 11-2 check character of 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("check digit needs exactly 17 digits")
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def has_valid_check_digit(number: str) -> bool:
    """True for 17 digits followed by their MOD 11-2 check character."""
    return bool(_EIGHTEEN.match(number)) and check_digit(number[:17]) == number[17]


def birth_date_of(number: str) -> date | None:
    """The birth date encoded at characters 7–14 of an 18-character number, None if it is not a date."""
    if not _EIGHTEEN.match(number):
        return None
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def region_code(number: str) -> str:
    """The six-digit administrative region code that starts an 18-character number."""
    return number[:6]


def is_foreign_2017_format(number: str) -> bool:
    """The 2017 foreign permanent resident card number: 3 letters (nationality) + 12 digits, no MOD 11-2."""
    return bool(_FOREIGN_2017.match(number))


def mask(number: str) -> str:
    """First 6 and last 4 characters kept, the rest replaced by '*' (for slips and technicians)."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
