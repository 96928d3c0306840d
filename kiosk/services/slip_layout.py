"""The legal-opinion slip as lines: what goes on the paper, in what order, wrapped to the paper's width.

Why: the printer and the on-screen preview must show the same slip, so layout is done once into plain blocks
(lines with alignment, emphasis and size; gaps; the QR code) that two renderers draw. Chinese is wrapped by
display width (a Hanzi is two columns), never inside a Latin word or number, never with closing punctuation
at the start of a line or opening punctuation at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from firmware_bridge.idcard.idnumber import mask
from kiosk.consult.document import LegalAidVerdict, OpinionDocument, WayKind

if TYPE_CHECKING:
    from kiosk.config.schema import LegalAidCentre
    from kiosk.services.legal_aid_application import PreApplication

LEFT, CENTER = 0, 1
NO_LINE_START = set("，。、；：！？）》」』】〉”’…—%,.;:!?)]}")
"""Characters that must not begin a line (closing punctuation)."""
NO_LINE_END = set("（《「『【〈“‘([{")
"""Characters that must not end a line (opening punctuation)."""
RULE_CHAR = "─"
WAY_LABELS = {
    WayKind.NEGOTIATION: "协商", WayKind.MEDIATION: "调解", WayKind.ARBITRATION: "仲裁",
    WayKind.COMPLAINT: "投诉举报", WayKind.LITIGATION: "诉讼", WayKind.RECONSIDERATION: "行政复议",
    WayKind.LEGAL_AID: "法律援助", WayKind.NOTARIZATION: "公证", WayKind.REFERRAL: "转人工咨询",
}
AID_LABELS = {
    LegalAidVerdict.LIKELY: "可能符合法律援助条件", LegalAidVerdict.EXEMPT_FROM_MEANS_TEST: "免予核查经济困难状况",
    LegalAidVerdict.UNLIKELY: "可能不符合法律援助条件", LegalAidVerdict.NOT_ASSESSED: "未做法律援助预审",
}


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: text that fits the width at its `scale`."""

    text: str
    align: int = LEFT
    bold: bool = False
    scale: int = 1


@dataclass(frozen=True, slots=True)
class Gap:
    """Empty lines."""

    lines: int = 1


@dataclass(frozen=True, slots=True)
class Qr:
    """The verification QR code."""

    url: str


Block = Line | Gap | Qr


def char_columns(ch: str) -> int:
    """Printer columns of a character: the printer font draws every two-byte code (Hanzi, but also
    "ambiguous-width" ones such as … and ─) full width, 2 columns; ASCII is 1 column."""
    return 1 if ch.isascii() else 2


def text_columns(text: str) -> int:
    """Display columns of a string."""
    return sum(char_columns(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Unbreakable units: runs of Latin letters, digits and URL punctuation; every other character alone."""
    out: list[str] = []
    for ch in text:
        joinable = ch.isascii() and (ch.isalnum() or ch in "./:-_?=&%#@")
        if joinable and out and out[-1][-1].isascii() and (out[-1][-1].isalnum() or out[-1][-1] in "./:-_?=&%#@"):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def wrap(text: str, columns: int) -> list[str]:
    """Wrap `text` to `columns` display columns with the line-breaking rules above; hard line breaks in the
    text (between the numbered items of a statute's article) are kept."""
    return [line for part in text.split("\n") for line in _wrap_line(part, columns)]


def _wrap_line(text: str, columns: int) -> list[str]:
    lines: list[list[str]] = [[]]
    width = 0
    for token in _tokens(text):
        size = text_columns(token)
        if size > columns:     # a word longer than a line: break it by character
            for ch in token:
                width = _place(lines, ch, char_columns(ch), width, columns)
            continue
        width = _place(lines, token, size, width, columns)
    return ["".join(line) for line in lines if line]


def _place(lines: list[list[str]], token: str, size: int, width: int, columns: int) -> int:
    """Append `token`, opening a new line when it does not fit; returns the new current width."""
    current = lines[-1]
    if width + size <= columns:
        current.append(token)
        return width + size
    carried: list[str] = []
    while (carried or [token])[0][0] in NO_LINE_START and len(current) > 1:
        carried.insert(0, current.pop())            # take characters down until the line starts cleanly
    while len(current) > 1 and current[-1][-1] in NO_LINE_END:
        carried.insert(0, current.pop())
    lines.append(carried + [token])
    return text_columns("".join(lines[-1]))


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def layout(doc: OpinionDocument, columns: int) -> tuple[Block, ...]:
    """The slip of `doc` for a paper `columns` half-width characters wide."""
    out: list[Block] = [Line(doc.service_name, CENTER, True)]
    out.extend(Line(t, CENTER, True, 2) for t in wrap(doc.title, columns // 2))  # double size: half the columns
    out.append(Gap())

    def field(label: str, value: str) -> None:
        out.extend(Line(t) for t in wrap(f"{label}：{value}", columns))

    field("编号", doc.number)
    field("日期", _date(doc.issued_at.date()))
    field("终端", f"{doc.kiosk_id}（{doc.site_name}）")
    if doc.masked_id_number:
        field("证件号码", doc.masked_id_number)
    field("问题类别", doc.topic_title)

    def section(heading: str, paragraphs) -> None:
        paragraphs = [p for p in paragraphs if p]
        if not paragraphs:
            return
        out.append(Line(RULE_CHAR * (columns // 2)))
        out.append(Line(f"【{heading}】", bold=True))
        for paragraph in paragraphs:
            out.extend(Line(t) for t in wrap(paragraph, columns))

    section("您反映的情况", [f"{i}. {f.question}" + ("" if f.question[-1] in NO_LINE_START else "：") + f.answer
                         for i, f in enumerate(doc.facts, 1)])
    section("适用的法律规定", [
        f"{p.citation}"
        + (f"（{_date(p.version_date)}起施行的版本）" if p.version_date else "")
        + f"：{p.text}" for p in doc.provisions])
    section("分析", doc.analysis)
    section("风险提示", doc.risks)
    section("解决途径", [f"{i}. {WAY_LABELS[w.kind]}：{w.body}" + (f"。{w.note}" if w.note else "")
                      for i, w in enumerate(doc.ways_forward, 1)])
    section("重要期限", [f"{d.label}：{_date(d.due)}前（{d.basis}）" for d in doc.deadlines])
    section("法律援助", [AID_LABELS[doc.legal_aid.verdict] + "：" + doc.legal_aid.reason])
    section("需要携带的材料", [f"{i}. {m}" for i, m in enumerate(doc.materials, 1)])
    hotline_given = any(doc.hotline in place for place in doc.where_to_go)
    section("去哪里办", [*doc.where_to_go, *([] if hotline_given else [f"公共法律服务热线：{doc.hotline}"])])
    for heading, paragraphs in doc.extra_sections:
        section(heading, paragraphs)
    out.append(Line(RULE_CHAR * (columns // 2)))
    out.append(Line(f"验证码：{doc.verification_code}", CENTER, True))
    if doc.verify_url:  # a kiosk configured without a verification page prints the code only
        out.append(Qr(doc.verify_url))
        out.append(Line("扫码核验本意见书", CENTER))
    out.append(Gap())
    out.extend(Line(t) for t in wrap(doc.disclaimer, columns))
    out.append(Line(f"内容版本：{doc.content_version}"))
    return tuple(out)


SIGNATURE_LINE = "申请人签名：＿＿＿＿＿＿＿＿"
SIGNATURE_DATE = "日期：＿＿＿＿年＿＿月＿＿日"


def application_layout(application: PreApplication, reference: str, centre: LegalAidCentre, *,
                       retention_days: int, columns: int) -> tuple[Block, ...]:
    """The paper pre-application the citizen signs and takes to the centre: the ID number masked, the address
    left off (the centre reads it from the card), the phone in full (the centre calls it)."""
    out: list[Block] = [Line("法律援助预申请", CENTER, True, 2), Line("（自助终端提交）", CENTER), Gap()]

    def field(label: str, value: str) -> None:
        out.extend(Line(t) for t in wrap(f"{label}：{value}", columns))

    def heading(text: str) -> None:
        out.append(Line(RULE_CHAR * (columns // 2)))
        out.append(Line(f"【{text}】", bold=True))

    field("申请编号", reference)
    field("提交日期", _date(datetime.fromisoformat(application.created_at).date()))
    field("终端", application.kiosk_id)
    field("预审意见书", application.opinion_number)
    heading("申请人")
    field("姓名", application.name)
    field("证件号码", mask(application.id_number) if application.id_number else "未读取，请带身份证原件")
    field("联系电话", application.phone or "未填写")
    if application.household_size:
        field("家庭人口", application.household_size)
    if application.household_income:
        field("全家月收入", application.household_income)
    heading("申请事项")
    out.extend(Line(t) for t in wrap(application.matter or "见预审意见书", columns))
    heading("预审结果")
    out.extend(Line(t) for t in wrap(f"{AID_LABELS[LegalAidVerdict(application.verdict)]}："
                                     f"{application.verdict_reason}", columns))
    if application.materials:
        heading("需要携带的材料")
        out.extend(Line(t) for i, m in enumerate(application.materials, 1) for t in wrap(f"{i}. {m}", columns))
    heading("到哪里办理")
    field("机构", centre.name)
    field("地址", centre.address)
    field("时间", centre.hours)
    field("电话", centre.phone)
    out.append(Line(RULE_CHAR * (columns // 2)))
    out.extend(Line(t) for t in wrap(
        "这是预申请，不是法律援助决定。请带上本单和材料到法律援助中心，中心审查后决定是否给予法律援助。"
        f"您的信息在终端加密保存，交给法律援助中心后即删除，最长保存{retention_days}天。", columns))
    out.append(Gap(2))
    out.append(Line(SIGNATURE_LINE))
    out.append(Gap())
    out.append(Line(SIGNATURE_DATE))
    out.append(Gap())
    return tuple(out)
