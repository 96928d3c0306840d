"""The opinion as a citizen hears it: the short spoken summary, in the order the screen and the slip show it.

Why: the read-aloud must follow the eye. The sections, their order, numbering and dates are laid out once in
`kiosk.legal.opinion_layout` (shared with the slip and the terminal runner) and re-exported here for the screen;
this module adds only what is spoken. Wording comes from the i18n catalogue (`tr`) and the document; nothing here
knows Kivy.
"""

from __future__ import annotations

from kiosk.legal.document import LegalAidVerdict, OpinionDocument
from kiosk.legal.opinion_layout import (Emphasis, Paragraph, Part, Section, Texts, aid_label, due_date,
                                          opinion_sections, time_left)

__all__ = ["Emphasis", "Paragraph", "Part", "Section", "due_date", "opinion_sections", "opinion_summary",
           "time_left"]


def opinion_summary(doc: OpinionDocument, tr: Texts) -> list[str]:
    """The short spoken summary as pieces read in turn, in the slip's order: the conclusion, the first thing to do
    (and how many other ways there are), by when, where to go, what to bring, and the legal-aid pre-check.

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
    pieces.extend(tr("opinion.say.deadline", label=d.label, date=due_date(d.due, tr),
                     left=time_left(d, today, tr)) for d in doc.deadlines)
    if doc.where_to_go:
        pieces += [tr("opinion.say.where"), doc.where_to_go[0]]
    if doc.materials:
        pieces += [tr("opinion.say.materials"), *doc.materials]
    if doc.legal_aid.verdict is not LegalAidVerdict.NOT_ASSESSED:
        pieces += [tr("opinion.legal_aid"), aid_label(doc.legal_aid.verdict, tr)]
    return pieces
