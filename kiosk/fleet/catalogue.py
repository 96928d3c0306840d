"""The telemetry event catalogue: every event type the kiosk may record, its stream and its allowed fields.

Why: the bureau's figures are counted from these events, and telemetry must never carry personal data or
free text. Each field has a closed vocabulary, a strict identifier pattern or a bounded number, and unknown
event types or fields are refused, so a name, an ID number or a typed sentence cannot be recorded.

| event type          | stream | fields (all required unless marked ?)                                        |
|---------------------|--------|------------------------------------------------------------------------------|
| ui.tap              | ui     | screen: ident, control: ident                                                |
| ui.view             | ui     | screen: ident                                                                |
| session.start       | usage  | session: hex id, trigger: touch/card                                         |
| session.end         | usage  | session, duration_s: 0–86400, reason: finish/print/idle/maintenance/exit     |
| consult.started     | usage  | session, topic: topic/service id (see below)                                 |
| consult.completed   | usage  | session, topic, outcome: ident                                               |
| triage.choice       | usage  | session, topic, rank: 1–20, via: text/voice/menu                             |
| opinion.generated   | usage  | session, topic                                                               |
| opinion.printed     | usage  | session, topic, ok: bool                                                     |
| opinion.qr_taken    | usage  | session, topic                                                               |
| legal_aid.precheck  | usage  | session, result: likely/possible/unlikely/referral, group: special group     |
| legal_aid.applied   | usage  | session, result, group (as legal_aid.precheck): a pre-application submitted  |
| satisfaction        | usage  | session, level: 1–5 (the five-level government-service rating), topic?       |
| library.search      | usage  | session, found: 0–20 (results shown; never the words typed)                  |
| library.article     | usage  | session, law: law key, article: 0–9999, via: search/browse/opinion/step, rank?: 1–20 |
| library.printed     | usage  | session, law, article, ok: bool                                              |
| pufa.read           | usage  | session, card: ident (the 普法 card's content id), topic                      |
| card.read           | hw     | result: ok/no_card/unreadable/lifted/timeout/error, card?: resident/permit_j/foreign_i/foreign_y |
| device.fault        | hw     | device: printer/idcard/screen/network/storage/audio, code: `AAA-NNN`, active: bool |
| printer.paper       | hw     | state: ok/near_end/out/cover_open/offline                                    |
| maintenance.action  | audit  | action: ident, ok: bool                                                      |

`ident` = `[a-z][a-z0-9_.-]{0,47}` (screen, control, outcome and action ids from the code, never user input).
A law key is `law-` and ten hex digits naming a law of the law library (kiosk.legal.library_usage.law_key);
article 0 is a text without articles (a legislative interpretation in one piece).
Special groups: migrant_worker, women, elderly, minor, disabled, military, none.

A topic is one of the installed content pack's `topics:` (kiosk.legal.vocabulary), passed to `check` by the
kiosk's outbox, so the usage of a flow a content job added is recorded; the console, which counts topics of
packs it may not have, checks only that a topic is an `ident`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.legal import vocabulary
from kiosk.legal.library_usage import LAW_KEY_HEX, LAW_KEY_PREFIX, VIAS

SPECIAL_GROUPS = (*vocabulary.SPECIAL_GROUPS, "none")
"""Legal-aid special groups counted in the bureau's report (`none` = no special group), as content names them."""

Check = Callable[[Any], bool]

_IDENT = re.compile(r"^[a-z][a-z0-9_.-]{0,47}$")
_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
_ERROR_CODE = re.compile(r"^[A-Z]{2,4}-\d{3}$")
_LAW_KEY = re.compile(rf"^{LAW_KEY_PREFIX}[0-9a-f]{{{LAW_KEY_HEX}}}$")


def _ident(value: Any) -> bool:
    return type(value) is str and _IDENT.match(value) is not None


def _hex_id(value: Any) -> bool:
    return type(value) is str and _HEX_ID.match(value) is not None


def _error_code(value: Any) -> bool:
    return type(value) is str and _ERROR_CODE.match(value) is not None


def _law_key(value: Any) -> bool:
    return type(value) is str and _LAW_KEY.match(value) is not None


def _one_of(*choices: str) -> Check:
    allowed = frozenset(choices)
    return lambda value: type(value) is str and value in allowed


def _int_range(low: int, high: int) -> Check:
    return lambda value: type(value) is int and low <= value <= high


def _number_range(low: float, high: float) -> Check:
    return lambda value: type(value) in (int, float) and low <= value <= high


def _bool(value: Any) -> bool:
    return type(value) is bool


_TOPIC = _ident
"""A topic's shape; whether the installed pack declares it is `check`'s `topics`."""


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event type: its stream, required fields and optional fields, each with its check."""

    stream: str
    required: Mapping[str, Check]
    optional: Mapping[str, Check]


def _spec(stream: str, optional: Mapping[str, Check] | None = None, **required: Check) -> EventSpec:
    return EventSpec(stream, required, optional or {})


_SESSION = {"session": _hex_id}
_AID_RESULT = _one_of("likely", "possible", "unlikely", "referral")
_ARTICLE = {"law": _law_key, "article": _int_range(0, 9999)}

CATALOGUE: dict[str, EventSpec] = {
    "ui.tap": _spec("ui", screen=_ident, control=_ident),
    "ui.view": _spec("ui", screen=_ident),
    "session.start": _spec("usage", **_SESSION, trigger=_one_of("touch", "card")),
    "session.end": _spec("usage", **_SESSION, duration_s=_number_range(0, 86400),
                         reason=_one_of("finish", "print", "idle", "maintenance", "exit")),
    "consult.started": _spec("usage", **_SESSION, topic=_TOPIC),
    "consult.completed": _spec("usage", **_SESSION, topic=_TOPIC, outcome=_ident),
    "triage.choice": _spec("usage", **_SESSION, topic=_TOPIC, rank=_int_range(1, 20),
                           via=_one_of("text", "voice", "menu")),
    "opinion.generated": _spec("usage", **_SESSION, topic=_TOPIC),
    "opinion.printed": _spec("usage", **_SESSION, topic=_TOPIC, ok=_bool),
    "opinion.qr_taken": _spec("usage", **_SESSION, topic=_TOPIC),
    "legal_aid.precheck": _spec("usage", **_SESSION, result=_AID_RESULT, group=_one_of(*SPECIAL_GROUPS)),
    "legal_aid.applied": _spec("usage", **_SESSION, result=_AID_RESULT, group=_one_of(*SPECIAL_GROUPS)),
    "satisfaction": _spec("usage", {"topic": _TOPIC}, **_SESSION, level=_int_range(1, 5)),
    "library.search": _spec("usage", **_SESSION, found=_int_range(0, 20)),
    "library.article": _spec("usage", {"rank": _int_range(1, 20)}, **_SESSION, **_ARTICLE,
                             via=_one_of(*VIAS)),
    "library.printed": _spec("usage", **_SESSION, **_ARTICLE, ok=_bool),
    "pufa.read": _spec("usage", **_SESSION, card=_ident, topic=_TOPIC),
    "card.read": _spec("hw", {"card": _one_of("resident", "permit_j", "foreign_i", "foreign_y")},
                       result=_one_of("ok", "no_card", "unreadable", "lifted", "timeout", "error")),
    "device.fault": _spec("hw", device=_one_of("printer", "idcard", "screen", "network", "storage", "audio"),
                          code=_error_code, active=_bool),
    "printer.paper": _spec("hw", state=_one_of("ok", "near_end", "out", "cover_open", "offline")),
    "maintenance.action": _spec("audit", action=_ident, ok=_bool),
}


class UnknownEvent(ValueError):
    """An event type or field outside the catalogue, or a value that fails its check."""


def check(stream: str, event_type: str, fields: Mapping[str, Any], topics: Container[str] | None = None) -> None:
    """Refuse anything the catalogue does not allow; cheap enough to run on the UI thread (a few µs). `topics`:
    the ids a `topic` field must be one of (the installed pack's); None checks only its shape (the console)."""
    spec = CATALOGUE.get(event_type)
    if spec is None:
        raise UnknownEvent(f"unknown event type {event_type!r}")
    if spec.stream != stream:
        raise UnknownEvent(f"{event_type} belongs to stream {spec.stream!r}, not {stream!r}")
    for name, value in fields.items():
        test = spec.required.get(name) or spec.optional.get(name)
        if test is None:
            raise UnknownEvent(f"{event_type}: field {name!r} is not allowed")
        if not test(value):
            raise UnknownEvent(f"{event_type}: value of {name!r} is not allowed")
    if len(fields) - sum(name in fields for name in spec.optional) != len(spec.required):
        missing = sorted(set(spec.required) - set(fields))
        raise UnknownEvent(f"{event_type}: missing {', '.join(missing)}")
    if topics is not None and "topic" in fields and fields["topic"] not in topics:
        raise UnknownEvent(f"{event_type}: topic {fields['topic']!r} is not one of the installed pack's")


def stream_of(event_type: str) -> str:
    """The stream an event type is recorded on."""
    spec = CATALOGUE.get(event_type)
    if spec is None:
        raise UnknownEvent(f"unknown event type {event_type!r}")
    return spec.stream
