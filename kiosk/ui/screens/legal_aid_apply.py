"""Submitting a legal-aid pre-application: says what is stored, for how long and who sees it; asks consent.

Why a screen of its own: it is the one place the kiosk keeps personal data past the session (DESIGN §7), so
the citizen sees exactly what goes to the legal-aid centre before tapping 同意提交. The name and number come
from the ID card (read through the consent screen) or the name is typed on the pinyin keyboard; the phone is
typed on a keypad. Storing and printing run off the UI thread; what was typed leaves the screen on leaving it.
"""

from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.services.legal_aid_application import LegalAidApplications, assemble, can_apply
from kiosk.services.printing import PrintJobFailed, PrintJobPrinted
from kiosk.services.slip_layout import application_layout
from kiosk.ui.bridge import run_off_ui
from kiosk.ui.ime.keyboard import PinyinKeyboard
from kiosk.ui.screens.base import KioskScreen

NAME_MAX_CHARS = 30
PHONE_DIGITS = range(7, 13)
"""Accepted phone lengths in digits (a landline with area code up to a mobile number)."""
MOBILE_DIGITS = 11


def phone_ok(phone: str) -> bool:
    """A mobile number (11 digits starting with 1) or a landline of 7–12 digits starting with 0 or 2–9."""
    if not phone.isdigit() or len(phone) not in PHONE_DIGITS:
        return False
    return len(phone) == MOBILE_DIGITS if phone.startswith("1") else True


class LegalAidApplyScreen(KioskScreen):
    """Applicant from the card or typed, phone on a keypad, consent, then stored (encrypted) and printed."""

    mode = StringProperty("phone")
    """Which input is open: "name" (pinyin keyboard), "phone" (keypad) or "" (none)."""
    applicant_text = StringProperty("")
    has_identity = BooleanProperty(False)
    typed_name = StringProperty("")
    phone = StringProperty("")
    notices = ("message",)
    message = StringProperty("")
    busy = BooleanProperty(False)
    submitted = StringProperty("")
    """Reference of the stored pre-application ("" before)."""

    def on_kv_post(self, base_widget) -> None:
        self._keypad = Factory.PhoneKeypad()
        self._keyboard = PinyinKeyboard(target=self.ids.name_input)
        self.on_mode(self, self.mode)
        self.app.bridge.on(PrintJobPrinted, self._on_printed)
        self.app.bridge.on(PrintJobFailed, self._on_print_failed)

    @property
    def applications(self) -> LegalAidApplications:
        """The kiosk's store of pre-applications (built by the composition root)."""
        return self.app.services.legal_aid_applications

    def explanation(self) -> str:
        """What is stored, for how long and who sees it, with this kiosk's centre and retention."""
        config = self.app.services.config.legal_aid
        return self.app._("apply.explain", centre=config.centre.name, days=config.application_retention_days)

    def on_pre_enter(self, *args) -> None:
        self.message, self.busy, self.submitted = "", False, ""
        self.ids.explain.text = self.explanation()
        identity = self._identity()
        self.has_identity = identity is not None
        if identity is not None:
            self.applicant_text = self.app._("apply.applicant", name=identity.record.name,
                                             masked=identity.masked_number)
            self.mode = "phone"
        else:
            self.applicant_text = self.app._("apply.no_card")
            self.mode = "name" if self.typed_name else ""

    def on_leave(self, *args) -> None:
        """Forget what was typed here (the stored copy is sealed; the screen keeps nothing)."""
        self.typed_name = self.phone = self.applicant_text = self.message = self.submitted = ""
        self.ids.name_input.text = ""
        self.mode = "phone"

    def on_mode(self, _screen, mode: str) -> None:
        """Only the open input is in the layout (a folded keyboard's keys would still swallow touches)."""
        for slot, widget, wanted in ((self.ids.name_slot, self._keyboard, "name"),
                                     (self.ids.keypad_slot, self._keypad, "phone")):
            if mode == wanted and widget.parent is None:
                slot.add_widget(widget)
            elif mode != wanted and widget.parent is not None:
                slot.remove_widget(widget)

    def _identity(self):
        identity_service = self.app.services.identity
        return identity_service.identity if identity_service is not None else None

    # ---- inputs ------------------------------------------------------------------------------------------

    def read_card(self) -> None:
        """Read the ID card through the consent screen, which comes back here."""
        self.tap("read_card")
        consent = self.app.screen("consent")
        consent.return_screen = self.name
        self.app.show("consent")

    def type_name(self) -> None:
        """Open the pinyin keyboard for the name."""
        self.tap("type_name")
        self.mode = "name"

    def open_phone(self) -> None:
        """Open the keypad for the phone number."""
        self.mode = "phone"

    def press_phone(self, key: str) -> None:
        """One keypad key: a digit, 删除 or 清空."""
        self.message = ""
        if key == self.app._("apply.delete"):
            self.phone = self.phone[:-1]
        elif key == self.app._("apply.clear"):
            self.phone = ""
        elif key.isdigit() and len(self.phone) < max(PHONE_DIGITS):
            self.phone += key

    # ---- submit ------------------------------------------------------------------------------------------

    def agree(self) -> None:
        """同意提交: check the inputs, then store (sealed) and print off the UI thread."""
        self.tap("agree")
        citizen = self.app.services.citizen
        opinion, identity = citizen.opinion, self._identity()
        name = identity.record.name if identity is not None else self.ids.name_input.text.strip()
        if self.busy or self.submitted or not can_apply(opinion):
            return
        if not name or len(name) > NAME_MAX_CHARS:
            self.message = self.app._("apply.need_name")
            return
        if not phone_ok(self.phone):
            self.message = self.app._("apply.need_phone")
            self.mode = "phone"
            return
        interview = citizen.interview
        answers = ({item.page_id: item.answer for item in interview.review()}
                   if interview is not None and interview.flow.id == "legal_aid" else {})
        record = assemble(opinion, answers, name=name,
                          id_number=identity.record.id_number if identity is not None else "",
                          phone=self.phone, address=identity.record.address if identity is not None else "",
                          from_id_card=identity is not None, created_at=self.app.services.clock.now())
        self.busy, self.mode = True, ""
        self.message = self.app._("apply.saving")
        run_off_ui(lambda: self._store_and_print(record), self._on_stored)

    def _store_and_print(self, record) -> str:
        """Worker thread: store first (the application counts even if the printer fails), then queue the slip."""
        reference = self.applications.store(record)
        printing = self.app.services.printing
        if printing is not None:
            config = self.app.services.config.legal_aid
            blocks = application_layout(record, reference, config.centre,
                                        retention_days=config.application_retention_days, columns=printing.columns,
                                        texts=printing.texts)
            printing.submit_blocks(reference, blocks)
        return reference

    def _on_stored(self, reference, error) -> None:
        self.busy = False
        if error is not None:
            self.message = self.app._("apply.failed")
            return
        self.submitted = reference
        self.message = self.app._("apply.done", reference=reference)
        if self.app.services.printing is None:
            self.message = self.app._("apply.print_failed", reference=reference)

    def _on_printed(self, event) -> None:
        if self.submitted and event.number == self.submitted:
            self.message = self.app._("apply.printed", reference=self.submitted)
            self.app.services.citizen.printed = True

    def _on_print_failed(self, event) -> None:
        if self.submitted and event.number == self.submitted:
            self.message = self.app._("apply.print_failed", reference=self.submitted)

    def back(self) -> None:
        """Back to the opinion."""
        self.tap("back")
        self.app.show("opinion")
