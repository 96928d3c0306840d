"""The screen, the slip and the terminal render one layout (issue 15 item 9): the same sections in the same order,
numbered the same, with the same dates. The slip is read back from its printer bytes by the independent decoder,
the terminal from its text; the screen draws `opinion_sections` itself (its widgets are compared in
tests/ui/test_opinion_screen.py)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import pytest

from kiosk.cli.consult import render_text
from kiosk.config.schema import KioskConfig
from kiosk.consult.document import Deadline, Fact
from kiosk.consult.examples import build_example_opinion
from kiosk.consult.loader import load_pack
from kiosk.consult.opinion_layout import Emphasis, opinion_sections
from kiosk.consult.service import DEFAULT_CONTENT_ROOT
from kiosk.core.clock import CHINA_TZ
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import CENTER, RULE_CHAR, Qr, layout
from kiosk.services.slip_render import to_print_job
from kiosk.ui.i18n import Translator
from tests.integration.printer.escpos_decoder import decode

ISSUED = datetime(2026, 11, 22, 9, tzinfo=CHINA_TZ)
TEXTS = Translator()
PRINTER = model_from_profile("generic_80mm", KioskConfig().printer_profiles["generic_80mm"])
FLOWS = sorted(load_pack(DEFAULT_CONTENT_ROOT).flows)

Rendering = list[tuple[str, list[str]]]
"""(heading, lines) per section in order; the closing's heading is ""."""


def example(flow_id: str):
    return build_example_opinion(flow_id, kiosk_id="dev-0001", issued_at=ISSUED,
                                 verify_url_base="https://sfj.example.gov.cn/v/")


def model(doc, *, sources: bool = False) -> Rendering:
    """The layout model, each paragraph's lines as written."""
    return [(s.heading, [line for p in s.paragraphs for line in p.text.split("\n")])
            for s in opinion_sections(doc, TEXTS, sources=sources)]


def slip(doc) -> tuple[list[str], Rendering]:
    """The slip as the printer would print it, decoded from its bytes: the lines above the first rule, and the
    sections between rules (a section's heading in 【】, the QR code's caption left out)."""
    job = to_print_job(layout(doc, PRINTER.chars_per_line_cjk * 2, TEXTS), PRINTER)
    decoded = decode(job.data, PRINTER.paper_width_dots)
    assert len(decoded.rasters) == 0, "a line went as a picture: its text cannot be read back"
    assert decoded.qr_payloads == [doc.verify_url.encode()]
    head, *segments = "\n".join(line for line in decoded.lines if line).split(f"\n{RULE_CHAR * PRINTER.chars_per_line_cjk}\n")
    sections = []
    for segment in segments:
        first, *rest = segment.split("\n")
        heading = first[1:-1] if first.startswith("【") and first.endswith("】") else ""
        lines = rest if heading else [first, *rest]
        sections.append((heading, [line for line in lines if line != TEXTS("slip.scan_to_verify")]))
    return head.split("\n"), sections


def terminal(doc) -> tuple[list[str], Rendering]:
    """The terminal runner's text: two head lines, then sections after blank lines (heading in 【】, indented)."""
    head, *blocks = render_text(doc, TEXTS).split("\n\n")
    sections = []
    for block in blocks:
        first, *rest = block.split("\n")
        heading = first[1:-1] if first.startswith("【") else ""
        lines = rest if heading else [first, *rest]
        sections.append((heading, [line.removeprefix("  ") for line in lines]))
    return head.split("\n"), sections


def bare(text: str) -> str:
    """`text` without white space: the slip breaks lines where the paper ends, not between paragraphs."""
    return re.sub(r"\s", "", text)


def run_together(rendering: Rendering) -> list[tuple[str, str]]:
    """Each section's lines as one string without white space."""
    return [(heading, bare("".join(lines))) for heading, lines in rendering]


@pytest.mark.parametrize("flow_id", FLOWS)
def test_slip_and_terminal_give_the_models_sections_in_its_order(flow_id):
    doc = example(flow_id)
    slip_head, slip_sections = slip(doc)
    terminal_head, terminal_sections = terminal(doc)
    assert terminal_head == [doc.service_name, doc.title]
    assert slip_head[0] == doc.service_name and "".join(slip_head[1:]) == doc.title
    assert terminal_sections == model(doc, sources=True)   # paragraph by paragraph, line by line
    assert run_together(slip_sections) == run_together(model(doc))
    assert [heading for heading, _ in model(doc)] == [heading for heading, _ in terminal_sections]


def test_labor_numbers_and_dates_read_the_same_on_all_three():
    doc = example("labor")
    paper = bare("".join(line for _, lines in slip(doc)[1] for line in lines))
    text = bare(render_text(doc, TEXTS))
    screen = bare("".join(p.text for s in opinion_sections(doc, TEXTS) for p in s.paragraphs))
    for wanted in ("1. 投诉举报：", "4. 诉讼：人民法院", "1. 现在是否还在干：已经不干了", "1. 身份证原件和复印件",
                   "2027年6月30日 星期三", "还有220天", "日期：2026年11月22日", "（2007年12月29日公布的版本）"):
        assert bare(wanted) in paper and bare(wanted) in text and bare(wanted) in screen, wanted
    assert "2027-06-30" not in text and "2007-12-29" not in text and "2027年6月30日前" not in paper


def test_someone_elses_deadline_and_the_rest_day_note_are_on_all_three():
    doc = example("labor")
    theirs = Deadline("用人单位作出决定的最后一天", date(2027, 1, 4), "《某法》第一条", note="1月1日放假，顺延到1月4日。",
                      own=False)
    doc = replace(doc, deadlines=(theirs,))
    deadlines = dict(model(doc))["时间期限"]
    assert deadlines == ["用人单位作出决定的最后一天", "2027年1月4日 星期一", "1月1日放假，顺延到1月4日。",
                         TEXTS("opinion.deadline_others"), "《某法》第一条"]
    assert dict(terminal(doc)[1])["时间期限"] == deadlines
    assert bare("".join(dict(slip(doc)[1])["时间期限"])) == bare("".join(deadlines))


def test_the_closing_names_the_opinion_once_and_ends_with_the_disclaimer():
    doc = replace(example("labor"), masked_id_number="440106********0012")
    closing = opinion_sections(doc, TEXTS)[-1]
    assert [p.text for p in closing.paragraphs] == [
        f"编号：{doc.number}", "日期：2026年11月22日", "终端：dev-0001（开发测试服务点）", "证件号码：440106********0012",
        "问题类别：劳动争议与欠薪", f"内容版本：{doc.content_version}", f"验证码：{doc.verification_code}",
        doc.disclaimer]
    assert [p.emphasis for p in closing.paragraphs].count(Emphasis.STRONG) == 1   # the code: its QR follows on paper
    blocks = layout(doc, PRINTER.chars_per_line_cjk * 2, TEXTS)
    code = next(n for n, block in enumerate(blocks) if getattr(block, "text", "") == f"验证码：{doc.verification_code}")
    assert blocks[code + 1] == Qr(doc.verify_url) and blocks[code].align == CENTER
    assert dict(slip(doc)[1])[""][-1] in doc.disclaimer


def test_the_hotline_is_said_once_under_where_to_go():
    doc = example("labor")
    said = [(heading, line) for heading, lines in model(doc) for line in lines
            if doc.hotline in line and line != doc.disclaimer and "电话" not in line]
    assert [heading for heading, _ in said] == ["去哪里办"]
    without = replace(doc, where_to_go=doc.where_to_go[:1])
    assert dict(model(without))["去哪里办"] == [doc.where_to_go[0], TEXTS("slip.hotline", hotline=doc.hotline)]


def test_a_question_ending_in_a_bracket_still_gets_its_colon():
    doc = replace(example("labor"), facts=(Fact("被欠的钱（元）", "18600"), Fact("还在干吗？", "不干了")))
    assert dict(model(doc))["您说的情况"] == ["1. 被欠的钱（元）：18600", "2. 还在干吗？不干了"]


@pytest.mark.parametrize("profile_name, scale", [("generic_80mm", 2), ("generic_58mm", 1)])
def test_a_deadlines_date_is_printed_whole_on_one_line(profile_name, scale):
    printer = model_from_profile(profile_name, KioskConfig().printer_profiles[profile_name])
    blocks = layout(example("labor"), printer.chars_per_line_cjk * 2, TEXTS)
    dates = [block for block in blocks if getattr(block, "text", "").startswith("2027年6月30日")]
    assert [(block.text, block.scale, block.bold) for block in dates] == [("2027年6月30日 星期三", scale, True)]
