"""The opinion on screen: the same OpinionDocument the printer prints, as headed sections the citizen can scroll."""

from __future__ import annotations

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.consult.answers import chinese_date
from kiosk.consult.document import LegalAidVerdict, OpinionDocument
from kiosk.core.events import OpinionQrShown
from kiosk.services.legal_aid_application import can_apply
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.qr import qr_texture
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
    """Shows the issued opinion; prints it, or when the printer cannot, says so calmly and offers the QR code."""

    print_message = StringProperty("")
    printing_busy = BooleanProperty(False)
    can_print = BooleanProperty(False)
    retry_job = StringProperty("")
    """Id of a failed slip the recovered printer can print again ("" when none)."""
    qr_shown = BooleanProperty(False)
    qr = ObjectProperty(None, allownone=True)
    code_text = StringProperty("")

    def on_kv_post(self, base_widget) -> None:
        if self.app.services.printing is None:
            return
        from kiosk.services.printing import PrintJobFailed, PrintJobPrinted, PrintJobsOffered

        self.app.bridge.on(PrintJobPrinted, self._on_printed)
        self.app.bridge.on(PrintJobFailed, self._on_print_failed)
        self.app.bridge.on(PrintJobsOffered, self._on_offered)

    def on_pre_enter(self, *args) -> None:
        doc = self.app.services.citizen.opinion
        body = self.ids.body
        body.clear_widgets()
        self.print_message, self.printing_busy, self.retry_job, self.qr_shown = "", False, "", False
        self.can_print = self.app.services.printing is not None
        if doc is None:
            return
        self.code_text = f"{self.app._('opinion.number')}：{doc.number}\n{self.app._('opinion.verification')}：" \
                         f"{doc.verification_code}"
        self.qr = qr_texture(doc.verify_url) if doc.verify_url else None
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
        self.ids.to_apply.opacity = 1 if can_apply(doc) else 0
        self.ids.to_apply.disabled = not can_apply(doc)

    def print_slip(self) -> None:
        """Send the slip to the printer (rendering runs off the UI thread); the outcome arrives as an event."""
        doc = self.app.services.citizen.opinion
        if doc is None or self.printing_busy:
            return
        self.tap("print")
        self.printing_busy = True
        self.print_message = self.app._("printing.printing")
        run_off_ui(lambda: self.app.services.printing.submit(doc), self._on_submitted)

    def _on_submitted(self, _job_id, error) -> None:
        if error is not None:
            self.printing_busy = False
            self.print_message = self.app._("printing.error")

    def _is_mine(self, event) -> bool:
        """Whether a print event is about this opinion's slip (a pre-application prints under its own number)."""
        doc = self.app.services.citizen.opinion
        return doc is not None and event.number == doc.number

    def _on_printed(self, event) -> None:
        if not self._is_mine(event):
            return
        self.printing_busy = False
        self.retry_job = ""
        self.print_message = self.app._("printing.done")
        self.app.services.citizen.printed = True

    def _on_print_failed(self, event) -> None:
        if not self._is_mine(event):
            return
        self.printing_busy = False
        self.print_message = self.app._(event.citizen_key)
        self.retry_job = ""
        self.show_qr()

    def _on_offered(self, event) -> None:
        if event.job_ids and self.manager is not None and self.manager.current == self.name:
            self.retry_job = event.job_ids[-1]
            self.print_message = self.app._("printing.recovered")

    def retry(self) -> None:
        """Print the kept slip again now that the printer recovered."""
        self.tap("retry")
        job_id, self.retry_job = self.retry_job, ""
        self.printing_busy = True
        self.print_message = self.app._("printing.printing")
        run_off_ui(lambda: self.app.services.printing.retry(job_id), self._on_submitted)

    def show_qr(self) -> None:
        """Show the QR code (or the number and code to write down) to take the opinion away by phone."""
        doc = self.app.services.citizen.opinion
        if doc is None:
            return
        self.tap("qr")
        self.qr_shown = True
        self.app.services.bus.publish(OpinionQrShown(doc.topic_id))

    def to_legal_aid(self) -> None:
        """Go on to the legal-aid pre-check, prefilled from this consultation."""
        self.tap("to_legal_aid")
        self.app.services.citizen.begin_legal_aid()
        self.app.show("consult")

    def to_apply(self) -> None:
        """Go on to submit a legal-aid pre-application (offered when the pre-check says likely or exempt)."""
        self.tap("to_apply")
        self.app.show("legal_aid_apply")

    def finish(self) -> None:
        """Done: ask for the satisfaction rating, which ends the session (as printed, if it was)."""
        self.tap("finish")
        self.app.show("rating")
