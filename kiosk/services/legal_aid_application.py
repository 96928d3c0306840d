"""Legal-aid pre-applications: the one place the kiosk keeps personal data, encrypted, until the office takes it.

Why: a citizen whose pre-check says legal aid is likely may ask the kiosk to pass their application on to the
legal-aid centre (DESIGN §7). Only then is a record assembled (from the ID card or typed name, the phone they
typed and the pre-check's answers); it is sealed with AES-256-GCM under a per-kiosk key file before it reaches
SQLite, handed over by `kiosk legal-aid export` (which then drops the sealed record), and deleted unread after
`application_retention_days`. Logs and events carry the reference, verdict and counts, never the person.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.config.schema import LegalAidConfig
from kiosk.legal.service import load_or_create_key
from kiosk.core.clock import Clock
from kiosk.core.errors import ErrorCode, KioskError
from kiosk.core.events import Event, EventBus
from kiosk.storage import legal_aid_applications as rows
from kiosk.storage.db import Database

if TYPE_CHECKING:
    from kiosk.legal.document import OpinionDocument

logger = logging.getLogger(__name__)

NONCE_BYTES = 12
"""AES-GCM nonce length (random per record, stored in front of the ciphertext)."""
STORE_TIMEOUT_S = 5.0
"""Seconds a submit waits for the storage thread."""
EXPORT_FORMAT = "kiosk.legal_aid.preapplications/1"

LA_KEY_INVALID = ErrorCode("LAA-001", "legal-aid application key file unusable (must hold 32 bytes)", "apply.failed")
LA_UNREADABLE = ErrorCode("LAA-002", "a stored pre-application cannot be decrypted with this kiosk's key",
                          "apply.failed")
LA_NOT_ELIGIBLE = ErrorCode("LAA-003", "the opinion is not a legal-aid pre-check that allows applying",
                            "apply.failed")


@dataclass(frozen=True, slots=True, repr=False)
class PreApplication:
    """What the legal-aid centre receives; personal, so its repr hides it."""

    name: str
    id_number: str
    phone: str
    address: str
    household_size: str
    household_income: str
    matter: str
    verdict: str
    verdict_reason: str
    special_group: str
    opinion_number: str
    kiosk_id: str
    created_at: str
    materials: tuple[str, ...] = field(default_factory=tuple)
    from_id_card: bool = False
    """Whether name and number were read from the card (True) or typed by the citizen (False)."""

    def __repr__(self) -> str:
        return f"<PreApplication {self.opinion_number}, personal fields hidden>"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class LegalAidApplicationStored(Event):
    """A pre-application was sealed and stored (reference and pre-check result only); the telemetry recorder
    counts it as `legal_aid.applied` with the result and group, never the reference."""

    reference: str
    verdict: str
    special_group: str


def can_apply(opinion: OpinionDocument | None) -> bool:
    """Whether the screen offers to submit a pre-application for `opinion`: a likely or means-test-exempt verdict."""
    from kiosk.legal.document import LegalAidVerdict  # the opinion model loads with the first consultation

    return (opinion is not None and opinion.topic_id == "legal_aid"
            and opinion.legal_aid.verdict in (LegalAidVerdict.LIKELY, LegalAidVerdict.EXEMPT_FROM_MEANS_TEST))


def assemble(opinion: OpinionDocument, answers: Mapping[str, str], *, name: str, id_number: str, phone: str,
             address: str, from_id_card: bool, created_at: datetime) -> PreApplication:
    """The record from the legal-aid opinion, the pre-check's shown answers (page id → text) and the applicant."""
    if not can_apply(opinion):
        raise KioskError(LA_NOT_ELIGIBLE, opinion.number if opinion else "no opinion")
    return PreApplication(
        name=name.strip(), id_number=id_number.strip().upper(), phone=phone.strip(), address=address.strip(),
        household_size=answers.get("household_size", ""), household_income=answers.get("household_income", ""),
        matter=answers.get("matter", ""), verdict=opinion.legal_aid.verdict.value,
        verdict_reason=opinion.legal_aid.reason, special_group=opinion.legal_aid.special_group,
        opinion_number=opinion.number, kiosk_id=opinion.kiosk_id, created_at=created_at.isoformat(),
        materials=opinion.materials, from_id_card=from_id_card)


class Sealer:
    """AES-256-GCM over the record's JSON; the reference is the associated data, so rows cannot be swapped."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise KioskError(LA_KEY_INVALID, f"{len(key)} bytes")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # on first use, off the start-up path

        self._aead = AESGCM(key)

    def seal(self, application: PreApplication, reference: str) -> bytes:
        """Nonce followed by ciphertext and tag."""
        nonce = os.urandom(NONCE_BYTES)
        plain = json.dumps(asdict(application), ensure_ascii=False).encode("utf-8")
        return nonce + self._aead.encrypt(nonce, plain, reference.encode("ascii"))

    def open(self, sealed: bytes, reference: str) -> dict:
        """The record as a plain mapping; raises KioskError LAA-002 if the key or reference does not match."""
        from cryptography.exceptions import InvalidTag

        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], reference.encode("ascii"))
        except InvalidTag:
            raise KioskError(LA_UNREADABLE, reference) from None
        return json.loads(plain)


class LegalAidApplications:
    """Stores sealed pre-applications, exports them to the office, deletes them after retention.

    Construct (no I/O); the key file is read (or created, mode 0600) on first use. Every store purges
    expired rows first; `purge_expired()` can also be scheduled by the owner.
    """

    def __init__(self, config: LegalAidConfig, kiosk_id: str, database: Database, clock: Clock,
                 bus: EventBus | None = None) -> None:
        self._key_file = Path(config.application_key_file)
        self._retention = timedelta(days=config.application_retention_days)
        self._kiosk_id = kiosk_id
        self._db = database
        self._clock = clock
        self._bus = bus
        self._sealer: Sealer | None = None

    def _sealer_now(self) -> Sealer:
        if self._sealer is None:
            self._sealer = Sealer(load_or_create_key(self._key_file))
        return self._sealer

    def reference_for(self, sequence: int) -> str:
        """Application reference: `LA-<kiosk>-<YYYYMMDD>-<NNNN>` (today's sequence)."""
        return f"LA-{self._kiosk_id}-{self._clock.today():%Y%m%d}-{sequence:04d}"

    def store(self, application: PreApplication) -> str:
        """Seal and store `application`; returns its reference (waits on storage: never on the UI thread)."""
        sealer = self._sealer_now()
        now = self._clock.now()
        self.purge_expired()
        reference = self._db.call(rows.insert(self.reference_for, lambda ref: sealer.seal(application, ref),
                                              day=self._clock.today(), created_at=now.isoformat(),
                                              expires_at=(now + self._retention).isoformat()),
                                  timeout_s=STORE_TIMEOUT_S)
        logger.info("legal-aid pre-application %s stored (%s)", reference, application.verdict)
        if self._bus is not None:
            self._bus.publish(LegalAidApplicationStored(reference, application.verdict, application.special_group))
        return reference

    def export(self, out: Path) -> int:
        """Write every waiting pre-application (decrypted) to `out` as JSON, then mark them handed over and drop
        their sealed records; returns how many. The file is complete and synced before anything is dropped."""
        sealer = self._sealer_now()
        waiting = self._db.call(rows.pending())
        applications = [{"reference": ref, **sealer.open(sealed, ref)} for ref, sealed in waiting]
        document = {"format": EXPORT_FORMAT, "kiosk_id": self._kiosk_id,
                    "exported_at": self._clock.now().isoformat(), "applications": applications}
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        partial.replace(out)
        handed = self._db.call(rows.hand_over([ref for ref, _ in waiting], self._clock.now().isoformat()))
        logger.info("legal-aid pre-applications handed over: %d", handed)
        return handed

    def purge_expired(self) -> int:
        """Delete rows whose retention ended; returns how many."""
        purged = self._db.call(rows.purge_expired(self._clock.now().isoformat()))
        if purged:
            logger.info("legal-aid pre-applications past retention deleted: %d", purged)
        return purged

    def counts(self) -> dict[str, int]:
        """Waiting and handed-over counts: the only figures the health board or telemetry may show."""
        return self._db.call(rows.counts())
