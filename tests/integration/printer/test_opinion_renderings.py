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
from kiosk.legal.document import Deadline, Fact
from kiosk.legal.examples import build_example_opinion
from kiosk.legal.loader import load_pack
from kiosk.legal.opinion_layout import Emphasis, opinion_sections
from kiosk.legal.service import DEFAULT_CONTENT_ROOT
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


def model(doc, *, sources: bool = False, short: bool = False) -> Rendering:
    """The layout model, each paragraph's lines as written."""
    return [(s.heading, [line for p in s.paragraphs for line in p.text.split("\n")])
            for s in opinion_sections(doc, TEXTS, sources=sources, short=short)]


PAPER_ONLY = {TEXTS("slip.scan_to_verify"), TEXTS("slip.scan_to_verify_and_read"), TEXTS("slip.full_texts_online")}
"""Lines only the paper has: the QR code's caption, where the full texts are when no QR code leads to them."""
HEADING = re.compile(r"^【(?P<heading>[^】]+)】")


def slip(doc, *, printer=PRINTER, full_texts: bool = False) -> tuple[list[str], Rendering]:
    """The slip as the printer would print it, decoded from its bytes: the lines above the first heading (service,
    conclusion, number and date), then each section from its heading in 【】 to the next, the closing after the
    rule; the lines only paper has are left out."""
    job = to_print_job(layout(doc, printer.chars_per_line_cjk * 2, TEXTS, full_texts=full_texts), printer)
    decoded = decode(job.data, printer.paper_width_dots)
    assert len(decoded.rasters) == (0 if printer.native_qr else 1), "a line went as a picture: it cannot be read"
    assert not printer.native_qr or decoded.qr_payloads == [doc.verify_url.encode()]
    body, closing = "\n".join(line for line in decoded.lines if line).split(f"\n{RULE_CHAR * printer.chars_per_line_cjk}\n")
    head: list[str] = []
    sections: Rendering = []
    for line in body.split("\n"):
        heading = HEADING.match(line)
        if heading:
            sections.append((heading["heading"], []))
        elif line not in PAPER_ONLY:
            (sections[-1][1] if sections else head).append(line)
    sections.append(("", [line for line in closing.split("\n") if line not in PAPER_ONLY]))
    return head, sections


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
    number, *sections = model(doc, short=True)
    assert slip_head[0] == doc.service_name and bare("".join(slip_head[1:])) == bare(doc.title + number[1][0])
    assert terminal_sections == model(doc, sources=True)   # paragraph by paragraph, line by line
    assert run_together(slip_sections) == run_together(sections)
    assert [heading for heading, _ in model(doc)] == [heading for heading, _ in terminal_sections]


@pytest.mark.parametrize("flow_id", ["labor", "work_injury"])
def test_the_full_text_slip_gives_the_whole_model(flow_id):
    """`printer.slip_full_texts`: every cited provision's text and the analysis, as on screen."""
    doc = example(flow_id)
    _head, sections = slip(doc, full_texts=True)
    assert run_together(sections) == run_together(model(doc)[1:])


def test_labor_numbers_and_dates_read_the_same_on_all_three():
    doc = example("labor")
    head, sections = slip(doc)
    paper = bare("".join(line for lines in (head, *(lines for _, lines in sections)) for line in lines))
    text = bare(render_text(doc, TEXTS))
    screen = bare("".join(p.text for s in opinion_sections(doc, TEXTS) for p in s.paragraphs))
    for wanted in ("1. 投诉举报：", "4. 诉讼：人民法院", "1. 现在是否还在干：已经不干了", "1. 身份证原件和复印件",
                   "2027年6月30日 星期三", "还有220天", f"编号：{doc.number} 2026年11月22日"):
        assert bare(wanted) in paper and bare(wanted) in text and bare(wanted) in screen, wanted
    assert bare("（2007年12月29日公布的版本）") in text and bare("（2007年12月29日公布的版本）") in screen
    assert "《劳动合同法》第30条：单位要按约定及时足额发工资" in paper
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
    sections = opinion_sections(doc, TEXTS)
    closing = sections[-1]
    assert [p.text for p in closing.paragraphs] == [
        f"终端：dev-0001（开发测试服务点）；证件号码：440106********0012；问题类别：劳动争议与欠薪；"
        f"内容版本：{doc.content_version}", f"验证码：{doc.verification_code}", doc.disclaimer]
    assert [p.emphasis for p in closing.paragraphs].count(Emphasis.STRONG) == 1   # the code: its QR follows on paper
    assert sum(doc.number in p.text for s in sections for p in s.paragraphs) == 1   # at the top, under the title
    blocks = layout(doc, PRINTER.chars_per_line_cjk * 2, TEXTS)
    code = next(n for n, block in enumerate(blocks) if getattr(block, "text", "") == f"验证码：{doc.verification_code}")
    assert blocks[code + 1] == Qr(doc.verify_url) and blocks[code].align == CENTER
    assert blocks[code + 2].text == TEXTS("slip.scan_to_verify_and_read")
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
