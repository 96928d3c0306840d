"""The opinion's reading order and spoken summary, on the opinions of the flows' own example answers."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from kiosk.legal.document import Deadline, LegalAidResult, LegalAidVerdict
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.loader import load_pack
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
from kiosk.ui.i18n import load_catalogue
from kiosk.ui.opinion_text import Emphasis, Part, opinion_sections, opinion_summary, time_left

ISSUED = datetime(2026, 6, 1, 10, 0)
CATALOGUE = load_catalogue("zh_CN")


def tr(key: str, **params) -> str:
    """The catalogue, strictly: a key missing from it fails the test instead of showing the key."""
    return CATALOGUE[key].format(**params)


def example(flow_id: str):
    return build_example_opinion(flow_id, kiosk_id="dev-0001", issued_at=ISSUED)


def test_labor_puts_what_to_do_by_when_where_and_what_to_bring_first():
    doc = example("labor")
    sections = opinion_sections(doc, tr)
    assert [s.key for s in sections] == ["head", "ways", "deadlines", "where", "materials", "legal_aid",
                                         "facts", "analysis", "risks", "provisions", "closing"]
    assert [p.text for p in sections[0].paragraphs] == [f"编号：{doc.number} 2026年11月22日"]  # the example's day
    sections = sections[1:]
    ways = sections[0]
    assert ways.heading == "可以怎么办"
    assert ways.paragraphs[0].text == "1. 投诉举报：当地人力资源和社会保障局（劳动保障监察）或住建部门的欠薪投诉电话"
    assert ways.paragraphs[0].emphasis is Emphasis.STRONG
    deadline = sections[1].paragraphs
    assert [(p.text, p.emphasis) for p in deadline[:4]] == [
        ("申请劳动仲裁（请仲裁委评理）的最后一天", Emphasis.STRONG), ("2027年6月30日 星期三", Emphasis.DATE),
        ("2027年的放假安排还没公布，最后一天赶上放假就往后顺延。", Emphasis.BODY), ("还有220天", Emphasis.BODY)]
    assert deadline[4].text.startswith("《劳动争议调解仲裁法》第二十七条") and deadline[4].emphasis is Emphasis.QUIET
    assert sections[4].paragraphs[0].text == "免予核查经济困难状况"


def test_domestic_violence_without_deadlines_starts_with_calling_the_police():
    sections = opinion_sections(example("domestic_violence"), tr)
    assert [s.key for s in sections][:5] == ["head", "ways", "where", "materials", "legal_aid"]
    assert "110" in sections[1].paragraphs[0].text


@pytest.mark.parametrize("flow_id", sorted(load_pack(DEFAULT_CONTENT_ROOT).flows))
def test_every_flows_opinion_is_ordered_act_explain_law_closing(flow_id):
    doc = example(flow_id)
    sections = opinion_sections(doc, tr)
    order = list(Part)
    parts = [order.index(s.part) for s in sections]
    assert parts == sorted(parts)
    assert sections[-1].part is Part.CLOSING and sections[-1].paragraphs[-1].text == doc.disclaimer
    law = [s for s in sections if s.part is Part.LAW]
    citations = [p.text for s in law for p in s.paragraphs if p.emphasis is Emphasis.STRONG]
    assert len(citations) == len(doc.provisions)
    assert all(s.paragraphs for s in sections)


def test_a_document_without_a_legal_aid_pre_check_leaves_the_section_out():
    doc = replace(example("labor"), legal_aid=LegalAidResult(LegalAidVerdict.NOT_ASSESSED, "可以做预审。"))
    assert "legal_aid" not in [s.key for s in opinion_sections(doc, tr)]


def test_time_left_counts_from_the_day_the_opinion_was_issued():
    today = date(2026, 6, 1)
    assert time_left(Deadline("起诉", date(2026, 6, 11), "依据"), today, tr) == "还有10天"
    assert time_left(Deadline("起诉", today, "依据"), today, tr) == "就是今天，请马上去办"
    assert time_left(Deadline("起诉", date(2026, 5, 1), "依据"), today, tr) == "已经过了，请尽快问律师或法律援助中心"


def test_the_spoken_summary_of_the_labor_opinion():
    assert opinion_summary(example("labor"), tr) == [
        "您的法律意见书说：", "工地欠薪：总承包公司要先替包工头把工资付清",
        "第一步，找：", "当地人力资源和社会保障局（劳动保障监察）或住建部门的欠薪投诉电话",
        "工地欠薪是重点查处的事，可以要求总承包公司先把工资付清。",
        "还有3个办法，都写在意见书上。",
        "申请劳动仲裁（请仲裁委评理）的最后一天是2027年6月30日 星期三，还有220天。",
        "去哪里办：", "劳动保障监察、劳动人事争议仲裁委员会：一般在县（区）人社局或政务服务中心",
        "要带上这些材料：", "身份证原件和复印件", "工地的名称、地址，工程概况牌的照片", "包工头的姓名和电话，总承包公司的名称",
        "考勤表、工资表、欠条、转账和聊天记录，一起干活的工友名单",
        "法律援助", "免予核查经济困难状况",
    ]


def test_the_spoken_summary_of_the_domestic_violence_opinion_has_no_deadline():
    summary = opinion_summary(example("domestic_violence"), tr)
    assert summary[:5] == ["您的法律意见书说：", "有危险，请马上拨打110", "第一步，找：", "110、当地派出所", "有危险马上报警。报警后要回执。"]
    assert not any("最后一天" in piece for piece in summary)


def test_the_summary_is_mostly_pre_rendered_clips():
    """Only the sentences with the citizen's own values (a date, a count) are left to synthesise."""
    from kiosk_build.audio import pack_fixed_texts
    from kiosk.services.speech import normalise

    fixed = set(pack_fixed_texts(DEFAULT_CONTENT_ROOT))
    summary = opinion_summary(example("labor"), tr)
    spoken_live = [piece for piece in summary if normalise(piece) not in fixed]
    assert spoken_live == ["还有3个办法，都写在意见书上。", "申请劳动仲裁（请仲裁委评理）的最后一天是2027年6月30日 星期三，还有220天。"]


def test_a_summary_says_only_what_the_document_has():
    doc = replace(example("labor"), ways_forward=(), where_to_go=(), deadlines=(), materials=(),
                  legal_aid=LegalAidResult(LegalAidVerdict.NOT_ASSESSED, "可以做预审。"))
    assert opinion_summary(doc, tr) == ["您的法律意见书说：", "工地欠薪：总承包公司要先替包工头把工资付清"]


@pytest.mark.parametrize("flow_id", sorted(load_pack(DEFAULT_CONTENT_ROOT).flows))
def test_the_summary_reads_in_the_slips_order(flow_id):
    """Issue 20: what is read aloud comes in the order the pocket slip prints it."""
    doc = example(flow_id)
    slip_order = [s.key for s in opinion_sections(doc, tr, short=True)]
    summary = opinion_summary(doc, tr)
    said = {"ways": doc.ways_forward[0].body if doc.ways_forward else None,
            "deadlines": next((p for p in summary if p.startswith(doc.deadlines[0].label)), None)
            if doc.deadlines else None,
            "where": doc.where_to_go[0] if doc.where_to_go else None,
            "materials": doc.materials[0] if doc.materials else None,
            "legal_aid": tr(f"slip.aid.{doc.legal_aid.verdict.value}")
            if doc.legal_aid.verdict is not LegalAidVerdict.NOT_ASSESSED else None}
    spoken = sorted((summary.index(piece), key) for key, piece in said.items() if piece is not None)
    assert [key for _, key in spoken] == [key for key in slip_order if said.get(key) is not None]
