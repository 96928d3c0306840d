"""The legal-opinion slip as lines: what goes on the paper, in what order, wrapped to the paper's width.

Why: the printer and the on-screen preview must show the same slip, so layout is done once into plain blocks
(lines with alignment, emphasis and size; gaps; the QR code) that two renderers draw. Chinese is wrapped by
display width (a Hanzi is two columns), never inside a Latin word or number, never with closing punctuation
at the start of a line or opening punctuation at its end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from firmware_bridge.idcard.idnumber import mask
from kiosk.legal.answers import Texts, chinese_date
from kiosk.legal.document import LegalAidVerdict, OpinionDocument
from kiosk.legal.opinion_layout import Emphasis, Paragraph, Part, aid_label, opinion_sections

if TYPE_CHECKING:
    from kiosk.config.schema import LegalAidCentre
    from kiosk.services.legal_aid_application import PreApplication

LEFT, CENTER = 0, 1
NO_LINE_START = set("，。、；：！？）》」』】〉”’…—%,.;:!?)]}")
"""Characters that must not begin a line (closing punctuation)."""
NO_LINE_END = set("（《「『【〈“‘([{")
"""Characters that must not end a line (opening punctuation)."""
RULE_CHAR = "─"


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
    return [text for text in ("".join(line).rstrip() for line in lines) if text]   # no space left where it broke


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


def _labelled(label: str, value: str, columns: int) -> list[Line]:
    """`label：value`, wrapped."""
    return [Line(t) for t in wrap(f"{label}：{value}", columns)]


def _rule(columns: int) -> Line:
    """A rule across the paper."""
    return Line(RULE_CHAR * (columns // 2))


def _heading(text: str, columns: int) -> list[Line]:
    """A rule across the paper, then the section's heading in 【】."""
    return [_rule(columns), Line(f"【{text}】", bold=True)]


def layout(doc: OpinionDocument, columns: int, texts: Texts, *, full_texts: bool = False) -> tuple[Block, ...]:
    """The slip of `doc` for a paper `columns` half-width characters wide, its wording from `texts`: the service,
    the conclusion and the opinion's number at the top, then the sections of `opinion_sections` in their order,
    each under its heading in 【】 (no rule, no blank line: a slip is paid for by the centimetre); the law in short
    with where its full texts are (`full_texts` prints them instead, for sites that want them); the closing under
    a rule, the QR code under the verification code."""
    out: list[Block] = [Line(doc.service_name, CENTER, True), *_title(doc.title, columns)]
    for section in opinion_sections(doc, texts, short=not full_texts):
        heading = f"【{section.heading}】"
        if section.part is Part.CLOSING:
            out.append(_rule(columns))
        elif section.part is Part.LAW and not full_texts:
            out.extend(_law_heading(heading, doc, texts, columns))
        elif section.heading:
            out.append(Line(heading, bold=True))
        for paragraph in section.paragraphs:
            out.extend(_paragraph(paragraph, section.part, columns))
            if section.part is Part.CLOSING and paragraph.emphasis is Emphasis.STRONG and doc.verify_url:
                out.extend((Qr(doc.verify_url), Line(texts(_qr_caption(doc)), CENTER)))
    return tuple(out)


def _law_heading(heading: str, doc: OpinionDocument, texts: Texts, columns: int) -> list[Line]:
    """The heading of the law in short, with where the full texts are: one scan away when the QR code names the
    provisions (on the heading's line where it fits), else the national law database (a line of its own)."""
    if not _qr_has_texts(doc):
        return [Line(heading, bold=True), *(Line(t) for t in wrap(texts("slip.full_texts_online"), columns))]
    note = texts("slip.full_texts_by_qr")
    if text_columns(heading + note) <= columns:
        return [Line(heading + note, bold=True)]
    return [Line(heading, bold=True), Line(note)]


def _title(title: str, columns: int) -> list[Line]:
    """The conclusion, centred and bold: double size where it takes at most two lines so (a longer one would
    eat a fifth of a short slip), else normal size."""
    large = wrap(title, columns // 2)
    if len(large) <= 2:
        return [Line(t, CENTER, True, 2) for t in large]
    return [Line(t, CENTER, True) for t in wrap(title, columns)]


def _qr_has_texts(doc: OpinionDocument) -> bool:
    """Whether the QR code leads to the cited provisions' full texts (its URL names them)."""
    return bool(doc.verify_url) and any(p.law_code for p in doc.provisions)


def _qr_caption(doc: OpinionDocument) -> str:
    """The catalogue key of what the QR code is for."""
    return "slip.scan_to_verify_and_read" if _qr_has_texts(doc) else "slip.scan_to_verify"


def _paragraph(paragraph: Paragraph, part: Part, columns: int) -> list[Line]:
    """A paragraph as the paper sets its emphasis: a date bold, double size where that fits on one line (a date
    broken inside its weekday reads worse than a smaller one); a strong line bold (the closing's strong line, the
    verification code, centred); the number under the title centred."""
    if paragraph.emphasis is Emphasis.DATE:
        scale = 2 if text_columns(paragraph.text) <= columns // 2 else 1
        return [Line(t, bold=True, scale=scale) for t in wrap(paragraph.text, columns // scale)]
    strong = paragraph.emphasis is Emphasis.STRONG
    align = CENTER if part is Part.HEAD or (strong and part is Part.CLOSING) else LEFT
    return [Line(t, align, strong) for t in wrap(paragraph.text, columns)]


def application_layout(application: PreApplication, reference: str, centre: LegalAidCentre, *,
                       retention_days: int, columns: int, texts: Texts) -> tuple[Block, ...]:
    """The paper pre-application the citizen signs and takes to the centre: the ID number masked, the address
    left off (the centre reads it from the card), the phone in full (the centre calls it)."""
    out: list[Block] = [Line(texts("slip.application.title"), CENTER, True, 2),
                        Line(texts("slip.application.via_kiosk"), CENTER), Gap()]

    def field(key: str, value: str) -> None:
        out.extend(_labelled(texts(key), value, columns))

    def heading(key: str) -> None:
        out.extend(_heading(texts(key), columns))

    field("slip.application.reference", reference)
    field("slip.application.submitted", chinese_date(datetime.fromisoformat(application.created_at).date()))
    field("slip.kiosk", application.kiosk_id)
    field("slip.application.opinion", application.opinion_number)
    heading("slip.application.applicant")
    field("slip.application.name", application.name)
    field("slip.id_number", mask(application.id_number) if application.id_number
          else texts("slip.application.id_not_read"))
    field("slip.application.phone", application.phone or texts("slip.application.not_given"))
    if application.household_size:
        field("slip.application.household_size", application.household_size)
    if application.household_income:
        field("slip.application.household_income", application.household_income)
    heading("slip.application.matter")
    out.extend(Line(t) for t in wrap(application.matter or texts("slip.application.see_opinion"), columns))
    heading("slip.application.result")
    out.extend(Line(t) for t in wrap(f"{aid_label(LegalAidVerdict(application.verdict), texts)}："
                                     f"{application.verdict_reason}", columns))
    if application.materials:
        heading("opinion.materials")
        out.extend(Line(t) for i, m in enumerate(application.materials, 1) for t in wrap(f"{i}. {m}", columns))
    heading("opinion.where")
    field("slip.application.centre", centre.name)
    field("slip.application.address", centre.address)
    field("slip.application.hours", centre.hours)
    field("slip.application.centre_phone", centre.phone)
    out.append(_rule(columns))
    out.extend(Line(t) for t in wrap(texts("slip.application.notice", days=retention_days), columns))
    out.append(Gap(2))
    out.append(Line(texts("slip.application.signature")))
    out.append(Gap())
    out.append(Line(texts("slip.application.signature_date")))
    out.append(Gap())
    return tuple(out)
