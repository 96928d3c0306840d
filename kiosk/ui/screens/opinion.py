"""The opinion on screen: the same OpinionDocument the printer prints, what to act on first, the statutes folded.

Why: a citizen reads from the top and may stop early, so the ways forward, deadlines, places and materials come
first (order from kiosk.ui.opinion_text, shared with the read-aloud); the statutes unfold on request, and a
tap on a citation opens that article in the law library (coming back, the statutes are unfolded again). Every
visitor's opinion opens at the top with the statutes folded: nothing of the previous reading carries over.
"""

from __future__ import annotations

from collections import deque

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.legal.document import OpinionDocument, Provision
from kiosk.core.events import OpinionQrShown
from kiosk.services.legal_aid_application import can_apply
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.cjk_label import CjkLabel  # noqa: F401  (registers the kv class)
from kiosk.ui.opinion_text import Emphasis, Part, Section, opinion_sections
from kiosk.ui.qr import pixels_texture, qr_pixels, qr_texture
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.slices import FIRST_SLICE_S, build_slice

PARAGRAPH_CLASS = {Emphasis.STRONG: "OpinionStrong", Emphasis.BODY: "OpinionText", Emphasis.DATE: "OpinionDate",
                   Emphasis.QUIET: "OpinionQuiet"}
"""The kv class (opinion.kv) that sets each kind of paragraph."""
CITATION_CLASS = "OpinionCitation"
"""The kv class of a provision's citation: a button that opens the article in the law library."""


class OpinionCitation(ButtonBehavior, BoxLayout):
    """A provision's citation (`paragraph`, as the other paragraphs have theirs), a button onto its article."""

    paragraph = StringProperty("")


class OpinionScreen(KioskScreen):
    """Shows the issued opinion; prints it, or when the printer cannot, says so calmly and offers the QR code."""

    notices = ("print_message",)
    print_message = StringProperty("")
    printing_busy = BooleanProperty(False)
    can_print = BooleanProperty(False)
    retry_job = StringProperty("")
    """Id of a failed slip the recovered printer can print again ("" when none)."""
    qr_shown = BooleanProperty(False)
    qr = ObjectProperty(None, allownone=True)
    code_text = StringProperty("")
    conclusion = StringProperty("")
    """The opinion's one-line conclusion, above the scrolled body."""
    has_law = BooleanProperty(False)
    law_open = BooleanProperty(False)
    """Whether the cited statutes are unfolded (folded again for every visitor)."""
    laid_out = BooleanProperty(False)
    """Whether every heading and paragraph asked for is on the screen (they are built a screenful a frame)."""

    def on_kv_post(self, base_widget) -> None:
        self._law: Section | None = None
        # (box, kv class, text, the provision a citation names) still to build, in order
        self._pending: deque[tuple[object, str, str, Provision | None]] = deque()
        self._law_reopens = False   # whether the statutes unfold again on entering (back from a cited article)
        self._scroll_to_law = False   # whether the view moves to them once laid out
        self._building = Clock.create_trigger(self._build_some)
        self._qr_due: OpinionDocument | None = None
        self._scrolled_px = 0.0   # how far the reader has scrolled down the body, from its top
        self._laid_out_height = 0.0   # the body's height when that was noted
        self.ids.scroll.bind(scroll_y=self._note_scrolled)
        self.ids.body.bind(height=self._keep_scrolled)
        if self.app.services.printing is None:
            return
        from kiosk.services.printing import PrintJobFailed, PrintJobPrinted, PrintJobsOffered

        self.app.bridge.on(PrintJobPrinted, self._on_printed)
        self.app.bridge.on(PrintJobFailed, self._on_print_failed)
        self.app.bridge.on(PrintJobsOffered, self._on_offered)

    def on_pre_enter(self, *args) -> None:
        doc = self.app.services.citizen.opinion
        self.print_message, self.printing_busy, self.retry_job, self.qr_shown = "", False, "", False
        self.qr = None
        self.can_print = self.app.services.printing is not None
        self._show(doc)
        if doc is None:
            return
        if self._law_reopens:
            self._law_reopens, self._scroll_to_law = False, True
            self._set_law_open(True)
        self.code_text = f"{self.app._('opinion.number')}：{doc.number}\n{self.app._('opinion.verification')}：" \
                         f"{doc.verification_code}"
        self.ids.to_legal_aid.opacity = 0 if doc.topic_id == "legal_aid" else 1
        self.ids.to_legal_aid.disabled = doc.topic_id == "legal_aid"
        self.ids.to_apply.opacity = 1 if can_apply(doc) else 0
        self.ids.to_apply.disabled = not can_apply(doc)

    def on_leave(self, *args) -> None:
        self._show(None)   # the opinion's facts are the citizen's: keep no widgets of them once gone

    def _show(self, doc: OpinionDocument | None) -> None:
        """Lay `doc` out at the top of the body, the statutes folded (None: empty)."""
        scroll = self.ids.scroll
        scroll.effect_y.velocity = 0   # a flick of the last reader must not carry on
        self._scrolled_px = 0.0
        scroll.scroll_y = 1
        self._pending.clear()
        self._scroll_to_law = False
        for box in (self.ids.main, self.ids.law, self.ids.closing):
            box.clear_widgets()
        self.law_open = False
        sections = opinion_sections(doc, self.app._) if doc is not None else []
        self._law = next((s for s in sections if s.part is Part.LAW), None)
        self.has_law = self._law is not None
        self.conclusion = doc.title if doc is not None else ""
        self._qr_due = doc if doc is not None and doc.verify_url else None   # encoded once laid out (_encode_qr)
        for section in sections:
            if section.part is not Part.LAW:
                self._plan(self.ids.closing if section.part is Part.CLOSING else self.ids.main, section)
        self._build_some()

    def _plan(self, box, section: Section, *, heading: bool = True) -> None:
        """Queue the section's heading and paragraphs for `box`."""
        if heading and section.heading:
            self._pending.append((box, "OpinionHeading", section.heading, None))
        self._pending.extend((box, CITATION_CLASS if p.provision else PARAGRAPH_CLASS[p.emphasis], p.text,
                              p.provision) for p in section.paragraphs)

    def _build_some(self, dt=None) -> None:
        """Build queued widgets, from the top, for a slice of this frame (a shorter one in the frame of the tap,
        dt None) and the rest in the frames after (kiosk.ui.slices; none once the app has stopped: the widgets'
        kv rules need the running app)."""
        if self.app is None:
            return
        more = build_slice(self._pending, self._build_one, FIRST_SLICE_S if dt is None else None)
        self.laid_out = not more
        if more:
            self._building()
            return
        self._encode_qr()
        if self._scroll_to_law:   # once the layout, due before the next frame, has placed the button
            self._scroll_to_law = False
            Clock.schedule_once(self._back_at_law)

    def _build_one(self, item: tuple[object, str, str, Provision | None]) -> None:
        box, kv_class, text, provision = item
        widget = getattr(Factory, kv_class)(paragraph=text)
        if provision is not None:
            widget.bind(on_release=lambda _w: self.open_provision(provision))
        box.add_widget(widget)

    def toggle_law(self) -> None:
        """Unfold the cited statutes under their button (the button is their heading), which moves to the top
        of the view so they are seen at once; or fold them again, the button staying where it is."""
        if self._law is None:
            return
        self.tap("hide_law" if self.law_open else "show_law")
        self._set_law_open(not self.law_open)

    def _set_law_open(self, law_open: bool) -> None:
        if self._law is None:
            return
        self.law_open = law_open
        self._pending = deque(item for item in self._pending if item[0] is not self.ids.law)
        self.ids.law.clear_widgets()
        if self.law_open:
            self._law_at_top()
            self._scroll_to_law = True   # and again once they are laid out: what is above may have moved meanwhile
            self._plan(self.ids.law, self._law, heading=False)
        self._build_some()

    def _law_at_top(self) -> None:
        """The statutes' button at the top of the view, applied as the body grows (_keep_scrolled)."""
        body, button = self.ids.body, self.ids.law_toggle
        self._scrolled_px = max(0.0, body.top - button.top - body.spacing)

    def _back_at_law(self, _dt) -> None:
        """Back from a cited article and laid out again: the statutes' button at the top of the view."""
        self._law_at_top()
        self._keep_scrolled()

    def open_provision(self, provision: Provision) -> None:
        """A citation tapped: its article in the law library (looked up off the UI thread), whose 返回 comes back
        here with the statutes unfolded; a provision the library lacks leaves the opinion as it is."""
        self.tap("provision")
        library = self.app.services.library

        def find():
            law = library.find_law(provision.law)
            return library.article(law, provision.article) if law is not None else None

        def found(article, error) -> None:
            if error is None and article is not None and self.manager.current == self.name:
                self.app.screen("library_article").show_article(article, back_to="opinion", via="opinion")
                self._law_reopens = True
                self.app.show("library_article")

        run_off_ui(find, found)

    def _overflow_px(self) -> float:
        """How much taller the body is than the view."""
        return max(0.0, self.ids.body.height - self.ids.scroll.height)

    def _note_scrolled(self, *_args) -> None:
        if self.ids.body.height == self._laid_out_height:   # else ScrollView is adjusting to a new height
            self._scrolled_px = (1 - self.ids.scroll.scroll_y) * self._overflow_px()

    def _keep_scrolled(self, *_args) -> None:
        """The body grew or shrank (an opinion laid out, the statutes unfolded or folded): keep the reader's
        place in pixels from the top, so a new opinion stays at its top and unfolded statutes where they open."""
        self._laid_out_height = self.ids.body.height
        overflow = self._overflow_px()
        self.ids.scroll.scroll_y = 1 - min(self._scrolled_px, overflow) / overflow if overflow else 1

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
        if self.qr is None and doc.verify_url:  # asked before the worker finished: encode it now
            self.qr = qr_texture(doc.verify_url)
        self.qr_shown = True
        self.app.services.bus.publish(OpinionQrShown(doc.topic_id))

    def _encode_qr(self) -> None:
        """Encode the QR code off the UI thread (tens of ms of pure Python), ready before anyone asks for it; only
        once the opinion is laid out, since the encoder holds the interpreter's lock for most of that time and
        frames built meanwhile waited for it (the opinion's first frame: 7 ms of work, 15 ms held)."""
        doc, self._qr_due = self._qr_due, None
        if doc is not None:
            run_off_ui(lambda: qr_pixels(doc.verify_url), lambda encoded, error: self._qr_ready(doc, encoded, error))

    def _qr_ready(self, doc: OpinionDocument, encoded, error) -> None:
        """The QR code of `doc` encoded; kept only if that opinion is still the one on screen."""
        if self.app is None:  # the app stopped meanwhile
            return
        if error is None and self.qr is None and doc is self.app.services.citizen.opinion:
            self.qr = pixels_texture(encoded)

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
