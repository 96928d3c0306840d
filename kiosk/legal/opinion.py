"""Turn a finished consultation into the opinion document the printer, the screen and the counters share.

Why: the number, the places to go, the legal aid centre and the verification code come from the kiosk (its
identity, configuration and key), not from content; this is the one place where the two meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.legal.answers import Texts
from kiosk.legal.document import HOTLINE, OpinionDocument
from kiosk.legal.engine import InterviewResult, packaged_texts
from kiosk.legal.verification import sign


@dataclass(frozen=True, slots=True)
class Issuer:
    """Who issues opinions: the kiosk's identity, the legal aid centre it refers to, and its MAC key."""

    kiosk_id: str
    service_name: str
    site_name: str
    centre_name: str
    centre_address: str
    centre_hours: str
    centre_phone: str
    key: bytes
    verify_url_base: str = ""

    def centre_lines(self, words: Texts) -> tuple[str, ...]:
        """The legal aid centre as printed under 'where to go', in the catalogue's words."""
        return (words("opinion.centre", name=self.centre_name, address=self.centre_address),
                words("opinion.centre_hours", hours=self.centre_hours, phone=self.centre_phone))


def opinion_number(kiosk_id: str, issued_at: datetime, sequence: int) -> str:
    """Kiosk id + date + daily sequence, e.g. `dev-0001-20261122-0007`."""
    if not 1 <= sequence <= 9999:
        raise ValueError(f"daily sequence out of range: {sequence}")
    return f"{kiosk_id}-{issued_at:%Y%m%d}-{sequence:04d}"


def build_opinion(consultation: InterviewResult, issuer: Issuer, *, issued_at: datetime, sequence: int,
                  masked_id_number: str = "", words: Texts | None = None) -> OpinionDocument:
    """The signed opinion document for `consultation`, numbered with today's `sequence`; `words` is the screens'
    catalogue lookup (None: the packaged one)."""
    words = words or packaged_texts()
    flow, outcome = consultation.flow, consultation.outcome
    document = OpinionDocument(
        number=opinion_number(issuer.kiosk_id, issued_at, sequence), issued_at=issued_at,
        kiosk_id=issuer.kiosk_id, service_name=issuer.service_name, site_name=issuer.site_name,
        topic_id=flow.id, topic_title=flow.title, outcome_id=outcome.id, title=outcome.title,
        facts=consultation.facts, provisions=consultation.provisions, analysis=consultation.analysis,
        risks=consultation.risks, ways_forward=consultation.ways, deadlines=consultation.deadlines,
        materials=consultation.materials,
        where_to_go=(*consultation.places, *issuer.centre_lines(words), words("slip.hotline", hotline=HOTLINE)),
        legal_aid=consultation.legal_aid, verification_code="", verify_url="",
        content_version=consultation.pack_version, disclaimer=consultation.disclaimer,
        masked_id_number=masked_id_number,
        extra_sections=tuple(section for section in consultation.sections if section[1]))
    return sign(document, issuer.key, issuer.verify_url_base)
