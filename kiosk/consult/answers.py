"""Checking and showing answers: what a page accepts, and how an answer reads on screen and on the slip.

Why: the screen, the terminal runner and the opinion must agree on what `2026-03-01` or `8000` means to a
citizen ("2026年3月1日", "8000元"), and a bad entry must get a calm message in Chinese, not a traceback.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.consult.flow import YESNO_LABELS, Page, PageKind

EARLIEST_DATE = date(1950, 1, 1)
"""Dates before this are taken as typing mistakes."""


class AnswerError(ValueError):
    """The answer does not fit the page; the message is Simplified Chinese, ready to show the citizen."""


def check(page: Page, value: Any, *, today: date) -> Any:
    """The answer in canonical form (option id, int/float, date, text) or AnswerError."""
    if page.kind in (PageKind.CHOICE, PageKind.YESNO):
        if value not in page.choice_ids:
            raise AnswerError("请点选一个答案。")
        return value
    if page.kind in (PageKind.NUMBER, PageKind.MONEY):
        return _number(page, value)
    if page.kind is PageKind.DATE:
        return _date(page, value, today)
    text = str(value or "").strip()
    if not text:
        raise AnswerError("请先写几个字再继续。")
    if len(text) > page.max_length:
        raise AnswerError(f"最多写{page.max_length}个字，请简短一些。")
    return text


def _number(page: Page, value: Any) -> int | float:
    if isinstance(value, bool):
        raise AnswerError("请输入数字。")
    try:
        number = float(str(value).replace(",", "").replace("，", "").strip())
    except ValueError:
        raise AnswerError("请输入数字。") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise AnswerError("请输入数字。")
    if page.integer and not number.is_integer():
        raise AnswerError("请输入整数。")
    low = page.minimum if page.minimum is not None else 0
    if number < low:
        raise AnswerError(f"不能小于{_plain_number(low)}。")
    if page.maximum is not None and number > page.maximum:
        raise AnswerError(f"不能大于{_plain_number(page.maximum)}，请核对一下。")
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
            raise AnswerError("请选择一个日期。") from None
    if day < EARLIEST_DATE:
        raise AnswerError("这个日期太早了，请核对一下。")
    if day > today and not page.allow_future:
        raise AnswerError("这个日期还没到，请核对一下。")
    return day


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def chinese_date(day: date) -> str:
    """A date as printed on slips: 2026年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def show(page: Page, value: Any) -> str:
    """How an answer reads to the citizen."""
    if value is None:
        return "（未回答）"
    if page.kind is PageKind.CHOICE:
        option = page.option(value)
        return option.label if option else str(value)
    if page.kind is PageKind.YESNO:
        return YESNO_LABELS.get(value, str(value))
    if page.kind is PageKind.MONEY:
        return f"{_plain_number(value)}元"
    if page.kind is PageKind.NUMBER:
        return f"{_plain_number(value)}{page.unit}"
    if page.kind is PageKind.DATE:
        return chinese_date(value)
    return str(value)
