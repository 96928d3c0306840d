"""The consultation service: holds the current content pack and starts interviews pinned to it.

Why: a content update over the fleet must never change a consultation under a citizen's finger; sessions take
the pack that was current when they started, and a new pack only replaces `current` once it loaded cleanly.

    service = ConsultationService(content_root, clock, config)   # no I/O
    service.start()                                               # loads and validates the pack, reads the key
    interview = service.interview("labor", prefill=service.prefill(minor=False, elderly=True))
    document = service.opinion(interview.finish(), sequence=n)

The engine, the pack loader and the opinion builder are imported where they are first used (on the starter
thread, which loads the pack after the first frame), so building the kiosk's object graph stays cheap.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config.schema import KioskConfig, LegalAidConfig
from kiosk.legal.errors import CONTENT_FLOW_UNKNOWN
from kiosk.core.errors import KioskError

if TYPE_CHECKING:
    from kiosk.legal.answers import Texts
    from kiosk.legal.document import OpinionDocument
    from kiosk.legal.engine import InterviewResult, Interview
    from kiosk.legal.flow import ContentPack, Example
    from kiosk.legal.opinion import Issuer
    from kiosk.legal.vocabulary import Topic
    from kiosk.core.clock import Clock

DEFAULT_CONTENT_ROOT = Path(__file__).resolve().parent.parent / "content"
KEY_BYTES = 32
"""Length of a kiosk's opinion MAC key."""


def load_or_create_key(path: Path) -> bytes:
    """The kiosk's MAC key from `path`; a new random key (mode 0600) when the file does not exist yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(KEY_BYTES)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(key)
        return key


def age_group_prefill(*, minor: bool, elderly: bool) -> dict[str, str]:
    """The `age_group` prefill from what the ID card showed (only when the citizen allowed reading it)."""
    return {"age_group": "minor" if minor else "elderly" if elderly else "adult"}


class ConsultationService:
    """Current content pack, interviews pinned to it, and signed opinions."""

    def __init__(self, content_root: Path, clock: Clock, config: KioskConfig, *, texts: Texts | None = None) -> None:
        self._root = content_root
        self._clock = clock
        self._config = config
        self._texts = texts
        """The screens' catalogue lookup, so answers and warnings read as on screen (None: the packaged one)."""
        self._pack: ContentPack | None = None
        self._key = b""
        self._lock = threading.Lock()

    def start(self) -> None:
        """Load the pack (ContentError with file:line on a bad pack) and the opinion key."""
        from kiosk.legal.loader import load_pack

        pack = load_pack(self._root)
        self._key = load_or_create_key(Path(self._config.legal_aid.verification_key_file))
        with self._lock:
            self._pack = pack

    def stop(self) -> None:
        """Nothing runs in the background; kept for the lifecycle contract."""
        with self._lock:
            self._key = b""

    @property
    def pack(self) -> ContentPack:
        """The pack new sessions start on."""
        with self._lock:
            if self._pack is None:
                raise RuntimeError("ConsultationService not started")
            return self._pack

    @property
    def root(self) -> Path:
        """The directory of the pack new sessions start on (its triage model and keyboard words are read there)."""
        with self._lock:
            return self._root

    def topics(self) -> Mapping[str, Topic] | None:
        """The topic and service ids of the pack in force, None before one loaded: what telemetry may count.
        Lock-free (one attribute read) because the telemetry gate asks on the UI thread for every event."""
        pack = self._pack
        return None if pack is None else pack.topics

    def install(self, content_root: Path, accept: Callable[[ContentPack], None] = lambda _pack: None) -> ContentPack:
        """Load another pack and make it current only if it is valid and `accept` (the caller's check of what
        else the pack brings) does not raise; running interviews keep theirs."""
        from kiosk.legal.loader import load_pack

        pack = load_pack(content_root)
        accept(pack)
        with self._lock:
            self._root, self._pack = content_root, pack
        return pack

    def params(self) -> dict[str, Any]:
        """Kiosk parameters the rules may read, from this kiosk's configuration."""
        return rule_params(self._config.legal_aid)

    def interview(self, flow_id: str, *, prefill: dict[str, Any] | None = None) -> Interview:
        """A new interview on the current pack (KioskError CNT-002 for an unknown flow)."""
        from kiosk.legal.engine import Interview

        pack = self.pack
        if flow_id not in pack.flows:
            raise KioskError(CONTENT_FLOW_UNKNOWN, flow_id)
        return Interview(pack, flow_id, today=self._clock.today(), params=self.params(), prefill=prefill,
                         texts=self._texts)

    def legal_aid_prefill(self, consultation: InterviewResult, identity_prefill: dict[str, str]) -> dict[str, str]:
        """Prefill for the legal-aid pre-check started from a topic's outcome."""
        matter = consultation.flow.legal_aid_matter
        return {**identity_prefill, **({"matter": matter} if matter else {})}

    def issuer(self) -> Issuer:
        """This kiosk as the issuer of opinions."""
        return issuer_for(self._config, self._key)

    def opinion(self, consultation: InterviewResult, *, sequence: int, masked_id_number: str = "") -> OpinionDocument:
        """The signed opinion for a finished consultation, issued now with today's `sequence`."""
        from kiosk.legal.opinion import build_opinion

        return build_opinion(consultation, self.issuer(), issued_at=self._clock.now(), sequence=sequence,
                             masked_id_number=masked_id_number, words=self._texts)


def run_example(pack: ContentPack, flow_id: str, example: Example, params: dict[str, Any]) -> InterviewResult:
    """The consultation a stored example answer set produces (path tests, example opinions)."""
    from kiosk.legal.engine import Interview

    interview = Interview(pack, flow_id, today=example.today, params=params)
    while interview.state.value == "asking":
        interview.answer(example.answers[interview.page.id])
    return interview.finish()


EXAMPLE_KEY = b"kiosk-example-opinion-key-not-secret"
"""Key of example opinions (`kiosk opinion render --example`); they are samples, never verifiable slips."""


def rule_params(legal_aid: LegalAidConfig) -> dict[str, Any]:
    """Kiosk parameters the rules may read (`$hardship_income`, `$other_injuries_listed`), from configuration."""
    return {"hardship_income": legal_aid.hardship_income_per_person_yuan_month,
            "other_injuries_listed": legal_aid.other_injuries_listed}


def example_document(flow_id: str, *, kiosk_id: str, issued_at: datetime, root: Path = DEFAULT_CONTENT_ROOT,
                     params: dict[str, Any] | None = None, verify_url_base: str = "") -> OpinionDocument:
    """The opinion of the flow's first stored example answer set, as a sample for rendering and previews; with
    the kiosk's `params` and verification URL it is the slip that kiosk would print (QR code included). It is
    issued on the example's own day (at `issued_at`'s time), the day its answers and warnings are counted from, so
    the slip never says both 只剩4天 and 已经过了 of one deadline."""
    from kiosk.legal.loader import load_pack
    from kiosk.legal.opinion import build_opinion

    pack = load_pack(root)
    if flow_id not in pack.flows:
        raise KioskError(CONTENT_FLOW_UNKNOWN, flow_id)
    flow = pack.flow(flow_id)
    example = flow.examples[0]
    consultation = run_example(pack, flow_id, example, params if params is not None else rule_params(LegalAidConfig()))
    issuer = replace(issuer_for(KioskConfig(), EXAMPLE_KEY), kiosk_id=kiosk_id, verify_url_base=verify_url_base)
    on_its_day = issued_at.replace(year=example.today.year, month=example.today.month, day=example.today.day)
    return build_opinion(consultation, issuer, issued_at=on_its_day, sequence=1)


def issuer_for(config: KioskConfig, key: bytes) -> Issuer:
    """The kiosk of `config` as the issuer of opinions, signing with `key`: the one place an Issuer is made, so a
    kiosk, its example slips and the terminal runner name the service, the site and the legal aid centre the
    same way (the schema's defaults where nothing is configured)."""
    from kiosk.legal.opinion import Issuer

    centre = config.legal_aid.centre
    return Issuer(kiosk_id=config.kiosk.id, service_name=config.kiosk.service_name,
                  site_name=config.kiosk.site_name, centre_name=centre.name, centre_address=centre.address,
                  centre_hours=centre.hours, centre_phone=centre.phone, key=key,
                  verify_url_base=config.legal_aid.verify_url)
