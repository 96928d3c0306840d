"""Computed values in content texts: `{= expression}` prints what the expression gives for this citizen's answers.

Why: some figures a citizen needs are computed from their answers and content data — the interest cap is four
times the one-year LPR in force on the day the loan was made. The formula stays in the sentence that prints it,
readable by bureau staff, written in the rule language of `kiosk.legal.expressions` and checked at load like a
rule: "那时的上限是年利率{= 4 * lpr(loan_date)}%。" A number prints with at most two decimals (15.4, 1.28), a date
as 2026年3月1日, nothing (an unanswered page, a date the data does not cover) as the catalogue's 未回答 — so a
text should be shown only `if` its value exists.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from kiosk.legal.answers import chinese_date
from kiosk.legal.expressions import Expression, parse

COMPUTED = re.compile(r"\{=([^{}]*)\}")
"""A computed part of a text: `{=` expression `}`."""


class ComputedText(str):
    """A content text with `{= …}` parts: still the text as written (linting and speech read it unchanged), with
    its parsed expressions, filled in when the opinion is assembled."""

    expressions: tuple[Expression, ...]

    def __new__(cls, text: str, expressions: tuple[Expression, ...]) -> ComputedText:
        made = super().__new__(cls, text)
        made.expressions = expressions
        return made

    @property
    def answers_read(self) -> frozenset[str]:
        """Ids of the pages whose answers the computed parts read."""
        return frozenset().union(*(expression.answers_read for expression in self.expressions))

    def fill(self, answers: Mapping[str, Any], *, today: date, params: Mapping[str, Any], none: str) -> str:
        """The text with each computed part replaced by its value for `answers` (`none` where there is none)."""
        values = iter(self.expressions)
        return COMPUTED.sub(lambda _m: show_value(next(values).evaluate(answers, today=today, params=params), none),
                            self)


def compile_text(text: str, periods: Mapping[str, Any] | None = None, rates: Any = None) -> str:
    """`text` itself, or a ComputedText when it has `{= …}` parts; ExpressionError for a part outside the grammar."""
    sources = COMPUTED.findall(text)
    if not sources:
        return text
    return ComputedText(text, tuple(parse(source.strip(), periods, rates) for source in sources))


def show_value(value: Any, none: str) -> str:
    """How a computed value reads: a number with at most two decimals, a date in Chinese, text as it is."""
    if value is None:
        return none
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
