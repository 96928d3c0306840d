"""The opinion laid out once: its sections, their order, how items are numbered and how dates read.

Why: the screen, the printed slip and the terminal runner must give a citizen (and a content author) the same
document. A villager acts on the first things, so every rendering opens with which opinion this is (number and
date), then what to do, by when, where, with what and whether legal aid is likely; then the facts as given, the
analysis, the risks and a flow's own sections; then the law, a section of its own (folded on screen); then the
closing lines: where it was issued, the verification code and the disclaimer. A pocket slip takes the opinion
`short`: each provision as 《short name》第N条 and its one-line gist (the full texts one scan away), and no
analysis, so that it folds into a pocket with everything a citizen acts on. Renderers only draw: `Part`
says where a section sits, `Emphasis` how strongly a paragraph is set. Wording comes from the i18n catalogue
(`tr`) and the document; dates read one way everywhere (`chinese_date`, a deadline's with its weekday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from kiosk.legal.answers import Texts, chinese_date
from kiosk.legal.document import Deadline, LegalAidVerdict, OpinionDocument, Provision

ENDS_IN_PUNCTUATION = set("？?：:。！!")
"""A question ending in one of these is followed by its answer directly, without a colon."""


class Part(str, Enum):
    """Where a section sits: the order of the members is the order of the opinion."""

    HEAD = "head"          # which opinion this is: its number and date, under the title
    ACT = "act"            # what the citizen acts on: first
    EXPLAIN = "explain"    # the facts as given, the analysis, the risks
    LAW = "law"            # the cited statutes: folded behind a button on screen
    CLOSING = "closing"    # issuer, verification code, disclaimer: at the end


class Emphasis(str, Enum):
    """How strongly a paragraph is set; each renderer gives each a size, weight and colour."""

    STRONG = "strong"      # the line a reader scans for: a way forward, a deadline's name, a citation, the code
    BODY = "body"
    DATE = "date"          # a deadline's date: large and prominent
    QUIET = "quiet"        # the rule behind a deadline, the closing lines


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of the opinion."""

    text: str
    emphasis: Emphasis = Emphasis.BODY
    provision: Provision | None = None
    """The provision whose citation this paragraph is: a screen opens its article in the law library."""


@dataclass(frozen=True, slots=True)
class Section:
    """A headed group of paragraphs; `key` names it for tests and renderers (the heading is wording)."""

    key: str
    part: Part
    heading: str
    paragraphs: tuple[Paragraph, ...]


def opinion_sections(doc: OpinionDocument, tr: Texts, *, sources: bool = False,
                     short: bool = False) -> list[Section]:
    """The document's sections in reading order, empty ones left out: number and date; ways forward, deadlines,
    where to go, what to bring, legal aid; the facts, analysis, risks and the flow's own sections; the statutes;
    the closing. `sources` adds where each hand-checked regulation was compared (for content authors at the
    terminal). `short` is the opinion as a pocket slip prints it: each provision as its short citation and gist
    instead of its text, and without the analysis, which explains the ways forward and risks that stay (the
    screen, the terminal and a site's full-text slips carry it)."""
    strong, quiet = Emphasis.STRONG, Emphasis.QUIET
    today = doc.issued_at.date()
    aid = doc.legal_aid
    hotline_given = any(doc.hotline in place for place in doc.where_to_go)
    sections = [
        Section("head", Part.HEAD, "", (
            Paragraph(f"{tr('opinion.number')}：{doc.number} {chinese_date(today)}", quiet),)),
        Section("ways", Part.ACT, tr("opinion.ways"), tuple(
            p for n, w in enumerate(doc.ways_forward, 1)
            for p in (Paragraph(f"{n}. {tr(f'slip.way.{w.kind.value}')}：{w.body}", strong),
                      *([Paragraph(w.note)] if w.note else [])))),
        Section("deadlines", Part.ACT, tr("opinion.deadlines"), tuple(
            p for d in doc.deadlines
            for p in (Paragraph(d.label, strong), Paragraph(due_date(d.due, tr), Emphasis.DATE),
                      *([Paragraph(d.note)] if d.note else []),
                      Paragraph(time_left(d, today, tr)), Paragraph(d.basis, quiet)))),
        Section("where", Part.ACT, tr("opinion.where"), tuple(Paragraph(place) for place in (
            *doc.where_to_go, *([] if hotline_given else [tr("slip.hotline", hotline=doc.hotline)])))),
        Section("materials", Part.ACT, tr("opinion.materials"),
                tuple(Paragraph(f"{n}. {m}") for n, m in enumerate(doc.materials, 1))),
        Section("legal_aid", Part.ACT, tr("opinion.legal_aid"),
                () if aid.verdict is LegalAidVerdict.NOT_ASSESSED
                else (Paragraph(aid_label(aid.verdict, tr), strong), Paragraph(aid.reason))),
        Section("facts", Part.EXPLAIN, tr("opinion.facts"), tuple(
            Paragraph(f"{n}. {f.question}{'' if f.question[-1:] in ENDS_IN_PUNCTUATION else '：'}{f.answer}")
            for n, f in enumerate(doc.facts, 1))),
        Section("analysis", Part.EXPLAIN, tr("opinion.analysis"),
                () if short else tuple(Paragraph(t) for t in doc.analysis)),
        Section("risks", Part.EXPLAIN, tr("opinion.risks"), tuple(Paragraph(t) for t in doc.risks)),
        *[Section("extra", Part.EXPLAIN, heading, tuple(Paragraph(t) for t in paragraphs))
          for heading, paragraphs in doc.extra_sections],
        Section("provisions", Part.LAW, tr("opinion.provisions"), tuple(
            p for v in doc.provisions for p in _provision(v, tr, sources=sources, short=short))),
        Section("closing", Part.CLOSING, "", _closing(doc, tr)),
    ]
    return [section for section in sections if section.paragraphs]


def _provision(provision: Provision, tr: Texts, *, sources: bool, short: bool) -> tuple[Paragraph, ...]:
    """A cited provision: in short, 《short name》第N条 and its gist on one line; in full, the citation with its
    version, the gist and the text (and, for content authors, where a hand-checked text was compared). A
    provision without a gist is always given in full, so nothing is left out."""
    if short and provision.gist:
        return (Paragraph(f"{provision.short_citation}：{provision.gist}", provision=provision),)
    version = (f"（{tr('slip.version_in_force', date=chinese_date(provision.version_date))}）"
               if provision.version_date else "")
    return (Paragraph(provision.citation + version, Emphasis.STRONG, provision),
            *([Paragraph(provision.gist, Emphasis.QUIET)] if provision.gist else []),
            Paragraph(provision.text),
            *([Paragraph(f"{tr('terminal.source')}：{provision.hand_checked_source}", Emphasis.QUIET)]
              if sources and provision.hand_checked_source else []))


def _closing(doc: OpinionDocument, tr: Texts) -> tuple[Paragraph, ...]:
    """Where and for what the opinion was issued (its number and date head it), in one paragraph; then the
    verification code, the closing's one strong line (the paper prints its QR code under it); the disclaimer."""
    particulars = (f"{tr('slip.kiosk')}：{doc.kiosk_id}（{doc.site_name}）",
                   *([f"{tr('slip.id_number')}：{doc.masked_id_number}"] if doc.masked_id_number else []),
                   f"{tr('slip.topic')}：{doc.topic_title}",
                   f"{tr('slip.content_version')}：{doc.content_version}")
    return (Paragraph("；".join(particulars), Emphasis.QUIET),
            Paragraph(f"{tr('opinion.verification')}：{doc.verification_code}", Emphasis.STRONG),
            Paragraph(doc.disclaimer, Emphasis.QUIET))


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


def aid_label(verdict: LegalAidVerdict, tr: Texts) -> str:
    """The legal-aid pre-check result in a few words."""
    return tr(f"slip.aid.{verdict.value}")
