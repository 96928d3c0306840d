"""Checking and showing answers: what a page accepts, and how an answer reads on screen and on the slip.

Why: the screen, the terminal runner and the opinion must agree on what `2026-03-01` or `8000` means to a
citizen ("2026年3月1日", "8000元"), and a bad entry must get a calm message, not a traceback: AnswerError names
it by an i18n key (`answer.*` in the locale catalogue) with its parameters, and the screen shows the text.
不清楚 is an answer like any other (UNSURE, kept as such): a page that offers it accepts it instead of a choice,
a number or a date, and it reads as the button the citizen tapped.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from kiosk.legal.flow import UNSURE, Page, PageKind

Texts = Callable[..., str]
"""The i18n lookup (key and placeholders → text), e.g. `kiosk.ui.i18n.Translator`, handed in by the caller."""

EARLIEST_DATE = date(1950, 1, 1)
"""Dates before this are taken as typing mistakes."""


class AnswerError(ValueError):
    """The answer does not fit the page; `key` and `params` name the message the citizen is shown."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def check(page: Page, value: Any, *, today: date) -> Any:
    """The answer in canonical form (option id, UNSURE, int/float, date, text) or AnswerError."""
    if page.kind in (PageKind.CHOICE, PageKind.YESNO) or (value == UNSURE and page.offers_unsure):
        if value not in page.choice_ids:
            raise AnswerError("answer.choose_one")
        return value
    if page.kind in (PageKind.NUMBER, PageKind.MONEY):
        return _number(page, value)
    if page.kind is PageKind.DATE:
        return _date(page, value, today)
    text = str(value or "").strip()
    if not text:
        raise AnswerError("answer.write_something")
    if len(text) > page.max_length:
        raise AnswerError("answer.too_long", max_chars=page.max_length)
    return text


def _number(page: Page, value: Any) -> int | float:
    if isinstance(value, bool):
        raise AnswerError("answer.number")
    try:
        number = float(str(value).replace(",", "").replace("，", "").strip())
    except ValueError:
        raise AnswerError("answer.number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerError("answer.number")
    if page.integer and not number.is_integer():
        raise AnswerError("answer.whole_number")
    low = page.minimum if page.minimum is not None else 0
    if number < low:
        raise AnswerError("answer.too_small", minimum=_plain_number(low))
    if page.maximum is not None and number > page.maximum:
        raise AnswerError("answer.too_large", maximum=_plain_number(page.maximum))
    if page.kind is PageKind.MONEY:
        number = round(number, 2)
    return int(number) if number.is_integer() else number


def _date(page: Page, value: Any, today: date) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise AnswerError("answer.pick_date") from None
    if day < EARLIEST_DATE:
        raise AnswerError("answer.date_too_early")
    if day > today and not page.allow_future:
        raise AnswerError("answer.date_in_future")
    return day


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def chinese_date(day: date) -> str:
    """A date as printed on slips: 2026年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def show(page: Page, value: Any, texts: Texts) -> str:
    """How an answer reads to the citizen: in the words of the button tapped, or as the value entered."""
    if value is None:
        return texts("consult.answer.none")
    option = page.option(value) if isinstance(value, str) else None
    if option is not None:
        return option.label
    keys = dict(page.answer_keys())
    if isinstance(value, str) and value in keys:
        return texts(keys[value])
    if page.kind is PageKind.MONEY:
        return f"{_plain_number(value)}{texts('consult.unit_yuan')}"
    if page.kind is PageKind.NUMBER:
        return f"{_plain_number(value)}{page.unit}"
    if page.kind is PageKind.DATE:
        return f"{value.year}年{value.month}月" if page.month_only else chinese_date(value)
    return str(value)
