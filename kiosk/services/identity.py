"""The citizen's identity from the ID card: read only after consent, held only in memory, wiped at session end.

Why: the consultation needs the citizen's age group and region, and the slip a masked number, but the kiosk is
shared and public. Reading starts only after `consent_given()`; the record is kept in this object's memory and
nowhere else; `wipe()` (a session wiper) drops it and stops reading. Events on the bus carry the record's
kind and result codes only, and their `telemetry()` form is what the fleet outbox may record.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from firmware_bridge.idcard import errors as idr
from firmware_bridge.idcard import idnumber
from firmware_bridge.idcard.card import BLOCKING_ISSUES, CardKind, CardRecord, validate
from firmware_bridge.idcard.driver import DriverTimings, IdCardDriver, ReaderCallbacks
from firmware_bridge.idcard.status import COMMUNICATION_FAULT_CODE, UNKNOWN_RESULT_CODE, Sw3
from firmware_bridge.idcard.status import result_code as sam
from firmware_bridge.transport.base import Transport
from kiosk.config.schema import IdCardConfig
from kiosk.core.clock import Clock
from kiosk.core.errors import ErrorCode
from kiosk.core.events import Event, EventBus, SubsystemFailed, SubsystemRecovered

logger = logging.getLogger(__name__)

SUBSYSTEM = "idcard"
"""Name of the reader on the health board and in `device.fault` telemetry."""
MINOR_AGE_YEARS = 18
"""Below this age a citizen is a minor (Civil Code Art. 17)."""

# ---- error catalogue (the reader's codes are firmware_bridge.idcard's, the kiosk's own are here) -------------

NO_CARD_IN_TIME = ErrorCode("IDR-071", "no card presented within the time allowed", "consent.place_card")
"""`kiosk idcard read` gave up waiting for a card."""
IDR_CODES: dict[str, ErrorCode] = {e.code: e for e in (
    ErrorCode(idr.READER_OFFLINE, "reader offline (port missing or cable pulled)", "consent.reader_offline"),
    ErrorCode(idr.NO_REPLY, "reader did not answer within the command timeout", "consent.reader_offline"),
    ErrorCode(idr.MALFORMED_REPLY, "reader reply malformed or unexpected", "consent.read_failed"),
    ErrorCode(idr.BAD_CHECKSUM, "reader reply checksum wrong", "consent.read_failed"),
    ErrorCode(idr.BAD_LENGTH, "reader reply length out of range", "consent.read_failed"),
    ErrorCode(sam(Sw3.HOST_CHECKSUM_ERROR), "SAM: checksum error in data from the host", "consent.read_failed"),
    ErrorCode(sam(Sw3.HOST_LENGTH_ERROR), "SAM: length error in data from the host", "consent.read_failed"),
    ErrorCode(sam(Sw3.COMMAND_ERROR), "SAM: command error", "consent.read_failed"),
    ErrorCode(sam(Sw3.UNAUTHORISED_OPERATION), "SAM: unauthorised operation", "consent.reader_offline"),
    ErrorCode(sam(Sw3.UNRECOGNISED_ERROR), "SAM: unrecognised error", "consent.read_failed"),
    ErrorCode(sam(Sw3.CARD_REJECTED_SAM), "card failed to authenticate the SAM", "consent.read_failed"),
    ErrorCode(sam(Sw3.SAM_REJECTED_CARD), "SAM failed to authenticate the card", "consent.read_failed"),
    ErrorCode(sam(Sw3.VERIFICATION_ERROR), "card information verification error", "consent.read_failed"),
    ErrorCode(sam(Sw3.UNKNOWN_CARD_TYPE), "unrecognised card type", "consent.read_failed"),
    ErrorCode(sam(Sw3.READ_FAILED), "reading the card failed (chip unreadable or card lifted)", "consent.read_failed"),
    ErrorCode(sam(Sw3.RANDOM_NUMBER_FAILED), "SAM could not get a random number from the card", "consent.read_failed"),
    ErrorCode(sam(Sw3.SAM_SELF_TEST_FAILED), "SAM self-test failed, reader cannot accept commands",
              "consent.reader_offline"),
    ErrorCode(sam(Sw3.SAM_NOT_AUTHORISED), "SAM not authorised", "consent.reader_offline"),
    ErrorCode(sam(Sw3.NO_CARD), "no card in the field (or already read)", "consent.place_card"),
    ErrorCode(sam(Sw3.SELECT_FAILED), "selecting the card failed", "consent.read_failed"),
    ErrorCode(UNKNOWN_RESULT_CODE, "SAM returned an unknown result code", "consent.read_failed"),
    ErrorCode(COMMUNICATION_FAULT_CODE, "SAM reported a communication fault", "consent.read_failed"),
    ErrorCode(idr.CARD_DATA_INVALID, "card data invalid (number, check digit or birth date)", "consent.read_failed"),
    NO_CARD_IN_TIME,
)}
"""Every IDR code with its title and the i18n key of the citizen's message."""


def title_of(code: str) -> str:
    """The English title of an IDR code, for logs and the health board."""
    error = IDR_CODES.get(code)
    return error.title if error else "unknown reader code"


CARD_KIND_IDS = {
    CardKind.RESIDENT: "resident", CardKind.GAT_RESIDENCE_PERMIT: "permit_j",
    CardKind.FOREIGN_PERMANENT_2017: "foreign_i", CardKind.FOREIGN_PERMANENT_2023: "foreign_y",
}
"""Stable ids of the card kinds, for telemetry and the technician's test."""
_TELEMETRY_RESULT = {sam(Sw3.READ_FAILED): "unreadable", sam(Sw3.NO_CARD): "no_card", sam(Sw3.SELECT_FAILED): "lifted",
                     idr.NO_REPLY: "timeout"}

Telemetry = tuple[str, str, dict[str, Any]]
"""(stream, event type, fields) as `kiosk.fleet.outbox.Outbox.record` takes them."""


# ---- events -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IdCardPresented(Event):
    """A card entered the field after consent; the UI asks the citizen to hold it still."""


@dataclass(frozen=True, slots=True)
class IdCardReadSucceeded(Event):
    """A card was read and validated; the identity is available from `IdentityService.identity`."""

    kind: CardKind

    def telemetry(self) -> Telemetry:
        """The outbox record: the kind only."""
        return ("hw", "card.read", {"result": "ok", "card": CARD_KIND_IDS[self.kind]})


@dataclass(frozen=True, slots=True)
class IdCardReadFailed(Event):
    """Reading a presented card failed; `code` is its IDR code (see IDR_CODES for the citizen message)."""

    code: str

    def telemetry(self) -> Telemetry:
        """The outbox record: the result class only."""
        return ("hw", "card.read", {"result": _TELEMETRY_RESULT.get(self.code, "error")})


@dataclass(frozen=True, slots=True)
class IdCardTestRead(Event):
    """The result of a technician's test read: the card's kind id, or the IDR code it failed with; nothing of the
    card itself, and not a citizen's read, so it is not reported to the bureau."""

    kind_id: str = ""
    code: str = ""


@dataclass(frozen=True, slots=True)
class IdCardReaderOffline(Event):
    """The reader cannot be used; `code` says why (IDR-001 link, IDR-002 silent, IDR-060 SAM self-test)."""

    code: str

    def telemetry(self) -> Telemetry:
        """The outbox record: an active device fault."""
        return ("hw", "device.fault", {"device": SUBSYSTEM, "code": self.code, "active": True})


@dataclass(frozen=True, slots=True)
class IdCardReaderOnline(Event):
    """The reader answers; `cleared_code` is the fault this ends ("" at first contact)."""

    cleared_code: str = ""

    def telemetry(self) -> Telemetry | None:
        """The outbox record clearing the fault, or None when there was none."""
        if not self.cleared_code:
            return None
        return ("hw", "device.fault", {"device": SUBSYSTEM, "code": self.cleared_code, "active": False})


# ---- identity -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, repr=False)
class Identity:
    """The record and what the consultation derives from it; personal, so its repr hides everything."""

    record: CardRecord
    age_years: int
    minor: bool
    elderly: bool
    expired: bool
    region_code: str
    """Administrative region of the number (first 6 digits); empty for the 2017 foreign card."""

    @property
    def masked_number(self) -> str:
        """The number as printed on slips: first 6 and last 4 characters."""
        return idnumber.mask(self.record.id_number)

    def __repr__(self) -> str:
        return f"<Identity {self.record.kind.name}, personal fields hidden>"

    __str__ = __repr__


def age_on(birth: date, today: date) -> int:
    """Completed years of age on `today` (a 29 February birthday counts from 1 March in common years)."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def derive(record: CardRecord, today: date, *, elderly_age_years: int) -> Identity:
    """Age, minor, elderly, expiry and region of `record` on `today`."""
    age = age_on(record.birth_date, today)
    region = "" if record.kind is CardKind.FOREIGN_PERMANENT_2017 else idnumber.region_code(record.id_number)
    return Identity(record=record, age_years=age, minor=age < MINOR_AGE_YEARS, elderly=age >= elderly_age_years,
                    expired=record.valid_to is not None and record.valid_to < today, region_code=region)


# ---- service ------------------------------------------------------------------------------------------------


def driver_timings(config: IdCardConfig) -> DriverTimings:
    """The driver's intervals and timeouts from configuration."""
    return DriverTimings(poll_interval_s=config.poll_interval_s, status_interval_s=config.status_interval_s,
                         reconnect_interval_s=config.reconnect_interval_s,
                         quick_timeout_s=config.quick_command_timeout_s, read_timeout_s=config.command_timeout_s)


class IdentityService:
    """Turns the reader driver's callbacks into bus events and keeps the current citizen's identity in memory."""

    def __init__(self, bus: EventBus, clock: Clock, config: IdCardConfig, transport: Transport | None) -> None:
        self._bus = bus
        self._clock = clock
        self._elderly_age_years = config.elderly_age_years
        self._lock = threading.Lock()
        self._identity: Identity | None = None
        self._consent = False
        self._testing = False
        self._generation = 0
        self._presented_generation = -1
        self._fault_code = ""
        callbacks = ReaderCallbacks(card_presented=self._on_presented, card_read=self._on_read,
                                    card_read_failed=self._on_failed, reader_online=self._on_online,
                                    reader_offline=self._on_offline)
        self._driver = IdCardDriver(transport, callbacks, driver_timings(config)) if transport else None

    # ---- lifecycle ---------------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether a reader is configured (kind != none); without one the UI offers manual or anonymous use."""
        return self._driver is not None

    def start(self) -> None:
        """Start the reader's driver thread (reading stays off until consent)."""
        if self._driver is not None:
            self._driver.start()

    def stop(self) -> None:
        """Wipe, then stop the driver and close the port."""
        self.wipe()
        if self._driver is not None:
            self._driver.stop()

    # ---- session ---------------------------------------------------------------------------------------

    def consent_given(self) -> None:
        """The citizen agreed on screen: start polling for a card for this session."""
        with self._lock:
            self._consent = True
        if self._driver is not None:
            self._driver.set_reading(True)

    def wipe(self) -> None:
        """Forget the identity and the consent (or a pending test), stop reading (register as the session's wiper)."""
        if self._driver is not None:
            self._driver.set_reading(False)
        with self._lock:
            self._identity = None
            self._consent = False
            self._testing = False
            self._generation += 1

    def test_read(self) -> bool:
        """A technician's test from the maintenance menu: read the next card presented and publish only its kind
        or failure code (`IdCardTestRead`); nothing is kept. False when no reader is fitted."""
        if self._driver is None:
            return False
        with self._lock:
            self._identity = None
            self._consent = False
            self._testing = True
            self._generation += 1
        self._driver.set_reading(True)
        return True

    @property
    def identity(self) -> Identity | None:
        """The current citizen's identity, None before a read or after the wipe."""
        with self._lock:
            return self._identity

    @property
    def consent(self) -> bool:
        """Whether the current session has consented to reading."""
        with self._lock:
            return self._consent

    # ---- driver callbacks (driver thread) ----------------------------------------------------------------

    def _on_presented(self) -> None:
        with self._lock:
            if not (self._consent or self._testing):
                return
            self._presented_generation = self._generation
            testing = self._testing
        if not testing:
            self._bus.publish(IdCardPresented())

    def _take_test(self) -> bool:
        """Under the lock: whether the card just handled answers a pending test (which it then ends)."""
        testing = self._testing and self._presented_generation == self._generation
        if testing:
            self._testing = False
        return testing

    def _finish_test(self, result: IdCardTestRead) -> None:
        if self._driver is not None:
            self._driver.set_reading(False)
        self._bus.publish(result)

    def _on_read(self, record: CardRecord) -> None:
        today = self._clock.today()
        issues = validate(record, today)
        blocked = bool(issues & BLOCKING_ISSUES)
        with self._lock:
            testing = self._take_test()
            current = self._consent and self._presented_generation == self._generation
            if current and not blocked:
                self._identity = derive(record, today, elderly_age_years=self._elderly_age_years)
        if testing:
            self._finish_test(IdCardTestRead(code=idr.CARD_DATA_INVALID) if blocked
                              else IdCardTestRead(kind_id=CARD_KIND_IDS[record.kind]))
            return
        if not current:
            return
        if blocked:
            logger.warning("ID card data rejected: %s", ", ".join(sorted(i.value for i in issues)))
            self._bus.publish(IdCardReadFailed(idr.CARD_DATA_INVALID))
        else:
            self._bus.publish(IdCardReadSucceeded(record.kind))

    def _on_failed(self, code: str) -> None:
        with self._lock:
            testing = self._take_test()
            current = self._consent and self._presented_generation == self._generation
        if testing:
            self._finish_test(IdCardTestRead(code=code))
        elif current:
            self._bus.publish(IdCardReadFailed(code))

    def _on_online(self) -> None:
        cleared, self._fault_code = self._fault_code, ""
        self._bus.publish(IdCardReaderOnline(cleared))
        if cleared:
            self._bus.publish(SubsystemRecovered(SUBSYSTEM))

    def _on_offline(self, code: str) -> None:
        self._fault_code = code
        logger.warning("ID card reader offline: %s %s", code, title_of(code))
        self._bus.publish(IdCardReaderOffline(code))
        self._bus.publish(SubsystemFailed(SUBSYSTEM, code, title_of(code)))

