"""The consultation of the citizen at the screen: one interview at a time, its opinion, wiped with the session.

Why a separate holder: the answers are personal data. They live here, in memory only, and `wipe()` (called
by the session service at its end) drops them; the UI asks this object, never the engine directly, so no
answer outlives the session in a screen's property.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.legal.service import ConsultationService, age_group_prefill
from kiosk.core.clock import Clock
from kiosk.core.events import ConsultationStarted, EventBus, OpinionIssued
from kiosk.storage.db import Database
from kiosk.storage.sequences import next_daily_sequence

if TYPE_CHECKING:
    from kiosk.legal.document import OpinionDocument
    from kiosk.legal.engine import InterviewResult, Interview

OPINION_SEQUENCE = "opinion"
SEQUENCE_TIMEOUT_S = 5.0


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """What the citizen asked in 智能咨询 and what it offered, to show again when they come back to it."""

    text: str = field(repr=False)
    """The citizen's own words (personal: never logged, wiped with the session)."""
    via: str
    """`text` (typed) or `menu` (a common question tapped)."""
    offered: tuple[str, ...]
    """Topic ids offered, best first."""
    referral: bool
    """Whether the question looked like none of the topics (the screen then suggests a person or 12348)."""


class CitizenConsultation:
    """Holds the current interview and the last finished consultation/opinion of this session."""

    def __init__(self, consultations: ConsultationService, db: Database, clock: Clock, bus: EventBus) -> None:
        self._consultations = consultations
        self._bus = bus
        self._db = db
        self._clock = clock
        self._lock = threading.Lock()
        self.interview: Interview | None = None
        self.consultation: InterviewResult | None = None
        self.opinion: OpinionDocument | None = None
        self.identity_prefill: dict[str, str] = {}
        """Age group from the ID card, set only when the citizen allowed reading it."""
        self.masked_id_number = ""
        self.card_offered = False
        """Whether this session was already asked about the ID card (asked once, never pressed)."""
        self.printed = False
        """Whether a slip came out in this session (the session then ends as `printed`)."""
        self.asked: AskedQuestion | None = None
        """The 智能咨询 question of this visit, kept while the citizen follows one of its topics, so 返回 on the
        card offer and 上一步 on the first question come back to it."""
        self._before_aid: tuple[InterviewResult, OpinionDocument] | None = None
        """The consultation and opinion a legal-aid pre-check was begun from, while it runs (上一步 on its first
        question returns to them)."""
        self._paused_aid: Interview | None = None
        """That pre-check, kept with its answers when the citizen went back to the opinion."""

    def _flows(self) -> dict:
        """The current pack's flows; none when the pack failed to load (the kiosk then offers 12348)."""
        try:
            return self._consultations.pack.flows
        except RuntimeError:
            return {}

    def topics(self) -> list[tuple[str, str]]:
        """(flow id, title) of the dispute topics in the current pack, in pack order."""
        return [(f.id, f.title) for f in self._flows().values() if f.kind == "topic"]

    def has_flow(self, flow_id: str) -> bool:
        """Whether the current pack has this flow (a tile for a missing one says so instead)."""
        return flow_id in self._flows()

    def is_sensitive(self, flow_id: str) -> bool:
        """Whether the pack marks this topic as one a passer-by must not see (a neutral, discreet screen)."""
        flow = self._flows().get(flow_id)
        return flow is not None and flow.sensitive

    def begin(self, flow_id: str) -> Interview:
        """Start `flow_id` on the current pack; an earlier unfinished interview is dropped."""
        with self._lock:
            self.interview = self._consultations.interview(flow_id, prefill=dict(self.identity_prefill))
            self.consultation = None
            self.opinion = None
            self._before_aid = self._paused_aid = None
        self._bus.publish(ConsultationStarted(flow_id))
        return self.interview

    def begin_legal_aid(self) -> Interview:
        """The legal-aid pre-check, prefilled from the finished topic and the card's age group; the topic's opinion
        is kept aside meanwhile, and a pre-check the citizen stepped back from resumes with its answers."""
        prefill = (self._consultations.legal_aid_prefill(self.consultation, self.identity_prefill)
                   if self.consultation is not None else dict(self.identity_prefill))
        with self._lock:
            resumed, self._paused_aid = self._paused_aid, None
            self.interview = resumed or self._consultations.interview("legal_aid", prefill=prefill)
            if self.opinion is not None:
                self._before_aid = (self.consultation, self.opinion)
            self.opinion = None
        if resumed is None:
            self._bus.publish(ConsultationStarted("legal_aid"))
        return self.interview

    def back_to_opinion(self) -> bool:
        """Leave a legal-aid pre-check for the opinion it was begun from, as it was; False when there is none."""
        with self._lock:
            if self._before_aid is None:
                return False
            self.consultation, self.opinion = self._before_aid
            self._paused_aid, self.interview, self._before_aid = self.interview, None, None
        return True

    def set_identity(self, *, minor: bool, elderly: bool, masked_id_number: str) -> None:
        """What the ID card contributes, after consent: the age group and the masked number for the slip."""
        self.identity_prefill = age_group_prefill(minor=minor, elderly=elderly)
        self.masked_id_number = masked_id_number

    def issue_opinion(self) -> OpinionDocument:
        """Finish the interview and sign its opinion with today's next number (waits on storage: not on the UI thread)."""
        with self._lock:
            if self.interview is None:
                raise RuntimeError("no interview to finish")
            consultation = self.interview.finish()
        today = self._clock.today()
        sequence = self._db.call(lambda db: next_daily_sequence(db, OPINION_SEQUENCE, today),
                                 timeout_s=SEQUENCE_TIMEOUT_S)
        opinion = self._consultations.opinion(consultation, sequence=sequence,
                                              masked_id_number=self.masked_id_number)
        with self._lock:
            self.consultation, self.opinion = consultation, opinion
            self.asked = None
            self._before_aid = self._paused_aid = None
        self._bus.publish(OpinionIssued(opinion.topic_id, opinion.outcome_id, opinion.legal_aid.verdict.value,
                                        opinion.legal_aid.special_group, opinion.number))
        return opinion

    def wipe(self) -> None:
        """Forget everything the citizen answered (session end)."""
        with self._lock:
            self.interview = None
            self.consultation = None
            self.opinion = None
            self.identity_prefill = {}
            self.masked_id_number = ""
            self.card_offered = False
            self.printed = False
            self.asked = None
            self._before_aid = self._paused_aid = None
