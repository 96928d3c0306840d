"""The opinion as a citizen reads and hears it: what to act on first, then why, then the law, then the code.

Why: a villager at the screen needs what to do, by when, where and with what before the reasoning, and the
read-aloud must follow the same order as the eye. One pure function lays the document out in that order for
the screen; another gives the short spoken summary. Wording comes from the i18n catalogue (`tr`) and the
document; nothing here knows Kivy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from kiosk.consult.answers import chinese_date
from kiosk.consult.document import Deadline, LegalAidVerdict, OpinionDocument
from kiosk.services.slip_layout import NO_LINE_START, Texts, aid_label


class Part(str, Enum):
    """Where a section sits on the screen."""

    ACT = "act"            # what the citizen acts on: at the top
    EXPLAIN = "explain"    # the facts as given, the analysis, the risks
    LAW = "law"            # the cited statutes: folded behind a button
    CLOSING = "closing"    # number, verification code, hotline, disclaimer: at the end


class Emphasis(str, Enum):
    """How strongly a paragraph is set; the screen gives each a size, weight and colour."""

    STRONG = "strong"      # the line a reader scans for: a way forward, a deadline's name, a citation
    BODY = "body"
    DATE = "date"          # a deadline's date: large and prominent
    QUIET = "quiet"        # the rule behind a deadline, the closing lines


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the opinion on screen."""

    text: str
    emphasis: Emphasis = Emphasis.BODY


@dataclass(frozen=True, slots=True)
class Section:
    """A headed group of paragraphs; `key` names it for tests and the read-aloud (the heading is wording)."""

    key: str
    part: Part
    heading: str
    paragraphs: tuple[Paragraph, ...]


def opinion_sections(doc: OpinionDocument, tr: Texts) -> list[Section]:
    """The document's sections in reading order (empty sections left out): ways forward, deadlines, where to
    go, what to bring, legal aid; the facts, analysis, risks and the flow's own sections; the statutes; the
    closing lines."""
    body, strong, quiet = Emphasis.BODY, Emphasis.STRONG, Emphasis.QUIET
    today = doc.issued_at.date()
    aid = doc.legal_aid
    sections = [
        Section("ways", Part.ACT, tr("opinion.ways"), tuple(
            p for n, w in enumerate(doc.ways_forward, 1)
            for p in (Paragraph(f"{n}. {tr(f'slip.way.{w.kind.value}')}：{w.body}", strong),
                      *([Paragraph(w.note)] if w.note else [])))),
        Section("deadlines", Part.ACT, tr("opinion.deadlines"), tuple(
            p for d in doc.deadlines
            for p in (Paragraph(d.label, strong), Paragraph(due_date(d.due, tr), Emphasis.DATE),
                      *([Paragraph(d.note)] if d.note else []),
                      Paragraph(time_left(d, today, tr)), Paragraph(d.basis, quiet)))),
        Section("where", Part.ACT, tr("opinion.where"), tuple(Paragraph(place) for place in doc.where_to_go)),
        Section("materials", Part.ACT, tr("opinion.materials"),
                tuple(Paragraph(f"{n}. {m}") for n, m in enumerate(doc.materials, 1))),
        Section("legal_aid", Part.ACT, tr("opinion.legal_aid"),
                () if aid.verdict is LegalAidVerdict.NOT_ASSESSED
                else (Paragraph(aid_label(aid.verdict, tr), strong), Paragraph(aid.reason))),
        Section("facts", Part.EXPLAIN, tr("opinion.facts"), tuple(
            Paragraph(f"{f.question}{'' if f.question[-1] in NO_LINE_START else '：'}{f.answer}")
            for f in doc.facts)),
        Section("analysis", Part.EXPLAIN, tr("opinion.analysis"), tuple(Paragraph(t) for t in doc.analysis)),
        Section("risks", Part.EXPLAIN, tr("opinion.risks"), tuple(Paragraph(t) for t in doc.risks)),
        *[Section("extra", Part.EXPLAIN, heading, tuple(Paragraph(t) for t in paragraphs))
          for heading, paragraphs in doc.extra_sections],
        Section("provisions", Part.LAW, tr("opinion.provisions"), tuple(
            p for v in doc.provisions
            for p in (Paragraph(v.citation + (f"（{tr('slip.version_in_force', date=chinese_date(v.version_date))}）"
                                              if v.version_date else ""), strong),
                      Paragraph(v.text)))),
        Section("closing", Part.CLOSING, "", (
            Paragraph(f"{tr('opinion.number')}：{doc.number}", quiet),
            Paragraph(f"{tr('opinion.verification')}：{doc.verification_code}", quiet),
            Paragraph(tr("opinion.hotline", hotline=doc.hotline), quiet),
            Paragraph(doc.disclaimer, quiet))),
    ]
    return [section for section in sections if section.paragraphs]


def due_date(day: date, tr: Texts) -> str:
    """A deadline's date in plain Chinese with its weekday: 2027年6月30日 星期三."""
    return f"{chinese_date(day)} {tr('opinion.weekdays').split()[day.weekday()]}"


def time_left(deadline: Deadline, today: date, tr: Texts) -> str:
    """How long is left until the deadline, counted from the day the opinion was issued; someone else's period
    is said to be theirs."""
    days = (deadline.due - today).days
    if not deadline.own:
        return tr("opinion.deadline_others")
    if days < 0:
        return tr("opinion.deadline_passed")
    return tr("opinion.days_left", days=days) if days else tr("opinion.due_today")


def opinion_summary(doc: OpinionDocument, tr: Texts) -> list[str]:
    """The short spoken summary as pieces read in turn: the conclusion, the first thing to do (and how many other
    ways there are), where to go, by when, and what to bring.

    Each lead-in (您的法律意见书, 第一步 …) and each text of the content is its own piece, exactly as written, so it
    plays its pre-rendered clip at once; only sentences with the citizen's own values (a deadline's date, a count)
    are synthesised while the first pieces play.
    """
    today = doc.issued_at.date()
    pieces = [tr("opinion.say.title"), doc.title]
    if doc.ways_forward:
        first = doc.ways_forward[0]
        pieces += [tr("opinion.say.first_way"), first.body, *([first.note] if first.note else [])]
        if len(doc.ways_forward) > 1:
            pieces.append(tr("opinion.say.more_ways", count=len(doc.ways_forward) - 1))
    if doc.where_to_go:
        pieces += [tr("opinion.say.where"), doc.where_to_go[0]]
    pieces.extend(tr("opinion.say.deadline", label=d.label, date=due_date(d.due, tr),
                     left=time_left(d, today, tr)) for d in doc.deadlines)
    if doc.materials:
        pieces += [tr("opinion.say.materials"), *doc.materials]
    return pieces


def _clause(text: str) -> str:
    """`text` without its closing full stop, so a template can end the sentence once."""
    return text.rstrip("。；，！ ")
