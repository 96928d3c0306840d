"""Numbers are written out in Chinese words before the synthesiser reads them (espeak-ng gets them wrong)."""

import pytest

from kiosk.services.spoken_text import spoken


@pytest.mark.parametrize(("text", "heard"), [
    ("2026年3月5日前申请仲裁", "二零二六年三月五日前申请仲裁"),
    ("欠了12000元", "欠了一万二千元"),
    ("10500元", "一万零五百元"),
    ("100000005元", "一亿零五元"),
    ("110000元", "十一万元"),
    ("1.2万元", "一点二万元"),
    ("年利率24%", "年利率百分之二十四"),
    ("拨打12348", "拨打一二三四八"),
    ("马上拨打110", "马上拨打一一零"),
    ("第3题 / 共10题", "第三题 / 共十题"),
    ("还剩 15 秒", "还剩 十五秒"),
    ("第1165条", "第一千一百六十五条"),
    ("60岁以上", "六十岁以上"),
    ("不到两天（48小时）", "不到两天（四十八小时）"),
    ("0571", "零五七一"),
    ("没有数字的话", "没有数字的话"),
])
def test_numbers_are_read_as_a_person_would_say_them(text, heard):
    assert spoken(text) == heard
