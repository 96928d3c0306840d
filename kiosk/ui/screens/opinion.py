"""The opinion on screen: the same OpinionDocument the printer prints, as headed sections the citizen can scroll."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp

from kiosk.consult.answers import chinese_date
from kiosk.consult.document import LegalAidVerdict, OpinionDocument
from kiosk.ui.screens.base import KioskScreen


def opinion_sections(doc: OpinionDocument, tr) -> list[tuple[str, list[str]]]:
    """The document as (heading, paragraphs) in reading order; headings come from the i18n catalogue."""
    sections = [
        (tr("opinion.facts"), [f"{f.question}：{f.answer}" for f in doc.facts]),
        (tr("opinion.analysis"), list(doc.analysis)),
        (tr("opinion.risks"), list(doc.risks)),
        (tr("opinion.ways"), [f"{w.body}：{w.note}" if w.note else w.body for w in doc.ways_forward]),
        (tr("opinion.deadlines"), [f"{d.label}：{chinese_date(d.due)}（{d.basis}）" for d in doc.deadlines]),
        (tr("opinion.legal_aid"), [doc.legal_aid.reason] if doc.legal_aid.verdict is not LegalAidVerdict.NOT_ASSESSED
         else []),
        (tr("opinion.materials"), list(doc.materials)),
        (tr("opinion.where"), list(doc.where_to_go)),
        (tr("opinion.provisions"), [f"{p.citation}：{p.text}" for p in doc.provisions]),
        *[(heading, list(paragraphs)) for heading, paragraphs in doc.extra_sections],
    ]
    return [(heading, paragraphs) for heading, paragraphs in sections if paragraphs]


class OpinionScreen(KioskScreen):
    """Shows the issued opinion with its number and verification code; offers the legal-aid pre-check."""

    def on_pre_enter(self, *args) -> None:
        doc = self.app.services.citizen.opinion
        body = self.ids.body
        body.clear_widgets()
        if doc is None:
            return
        self.ids.header.text = f"{doc.title}\n{self.app._('opinion.number')}：{doc.number}"
        for heading, paragraphs in opinion_sections(doc, self.app._):
            body.add_widget(Factory.SectionHeading(text=heading))
            for paragraph in paragraphs:
                body.add_widget(Factory.KioskLabel(text=paragraph, font_size=dp(self.app.theme.font_hint_px * 1.15)))
        body.add_widget(Factory.HintLabel(
            text=f"{self.app._('opinion.verification')}：{doc.verification_code}    "
                 f"{self.app._('opinion.hotline', hotline=doc.hotline)}\n{doc.disclaimer}"))
        self.ids.to_legal_aid.opacity = 0 if doc.topic_id == "legal_aid" else 1
        self.ids.to_legal_aid.disabled = doc.topic_id == "legal_aid"

    def to_legal_aid(self) -> None:
        """Go on to the legal-aid pre-check, prefilled from this consultation."""
        self.tap("to_legal_aid")
        self.app.services.citizen.begin_legal_aid()
        self.app.show("consult")

    def finish(self) -> None:
        """Done: ask for the satisfaction rating, which ends the session."""
        self.tap("finish")
        self.app.show("rating")
