"""The flow model: a consultation as an explicit graph of pages that ends in outcomes.

Why: bureau staff must be able to read and audit a flow, so a flow is plain data (loaded from YAML by
`kiosk.legal.loader`) and the interview logic (`kiosk.legal.engine`) is the same for every topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from kiosk.legal.deadlines import Period
from kiosk.legal.document import LegalAidVerdict, OpinionWording, Provision, WayKind
from kiosk.legal.expressions import Expression
from kiosk.legal.vocabulary import Topic


class PageKind(str, Enum):
    """What a page asks for; each kind has its own big-target widget on screen."""

    CHOICE = "choice"    # one of several big buttons
    YESNO = "yesno"      # two buttons worded by YesNoWords, and 不清楚
    NUMBER = "number"    # a whole or decimal number with a unit
    MONEY = "money"      # an amount in yuan
    DATE = "date"        # a calendar date
    TEXT = "text"        # a short typed text


class YesNoWords(str, Enum):
    """The pairs of words a yes/no page may answer with (page field `answers`), chosen by the question's verb.

    A villager answers 您知道…吗 with 知道 / 不知道, not with the official form's 是 / 否. The stored answers stay
    `yes` and `no` whichever words the buttons show, so rules and examples never depend on the wording; the
    words themselves are the catalogue's `consult.yesno.<words>.yes|no`.
    """

    YESNO = "yesno"      # 是 / 不是: 您是…吗 (the default)
    KNOW = "know"        # 知道 / 不知道: 您知道…吗; 不知道 already says "I am not sure", so no 不清楚 is added
    HAVE = "have"        # 有 / 没有: 有…吗, 有没有…, …过…吗, …了吗
    CAN = "can"          # 能 / 不能: 能…吗
    SIGNED = "signed"    # 签了 / 没签: 签过…合同吗


UNSURE = "unsure"
"""The answer id of 不清楚, on every page that offers it; rules test for it as `page == 'unsure'`."""
UNSURE_KEY = "consult.answer.unsure"
"""Catalogue key of the words of an UNSURE answer that the content does not word as an option of its own."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of content was written, for error messages: file and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class Option:
    """One button of a choice page: a stable id (read by rules) and its label."""

    id: str
    label: str
    help: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    """`goto` target when `condition` holds; a rule without condition is the fallback."""

    goto: str
    condition: Expression | None
    where: Location


@dataclass(frozen=True, slots=True)
class Page:
    """One question on one screen, with plain-language help and the rules that pick the next step."""

    id: str
    kind: PageKind
    text: str
    help: str
    fact: str
    """Short label of this question in the 'facts as given' section of the opinion."""
    rules: tuple[Rule, ...]
    where: Location
    options: tuple[Option, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    allow_future: bool = False
    month_only: bool = False
    """A date page that asks only which month (从哪个月开始): no day to pick; the answer is the month's first day."""
    max_length: int = 60
    prefill: str = ""
    """Name of a value the kiosk may prefill (e.g. `age_group` from the ID card); the citizen still confirms."""
    danger: tuple[str, ...] = ()
    """Answer ids that mean the citizen is in danger now: the screen shows 110 and what to do first at once."""
    words: YesNoWords = YesNoWords.YESNO
    """The words of a yes/no page's two buttons."""
    unsure: bool = True
    """False where the content opts out of 不清楚, saying why in `unsure_reason` (the linter lists these)."""
    unsure_reason: str = ""

    def option(self, option_id: str) -> Option | None:
        """The option with that id, if this page has it."""
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def offers_unsure(self) -> bool:
        """Whether the citizen can answer 不清楚 here: on every page that asks for a choice, a number or a date,
        unless the content opted out or the page's own words already say it (不知道)."""
        if self.kind is PageKind.TEXT or (self.kind is PageKind.YESNO and self.words is YesNoWords.KNOW):
            return False
        return self.unsure

    def answer_keys(self) -> tuple[tuple[str, str], ...]:
        """(answer id, catalogue key) of the buttons the screen words from the catalogue: a yes/no page's pair,
        then 不清楚 where it is offered and the content did not write it as an option (`id: unsure`) itself."""
        keys = []
        if self.kind is PageKind.YESNO:
            keys = [(answer, f"consult.yesno.{self.words.value}.{answer}") for answer in ("yes", "no")]
        if self.offers_unsure and self.option(UNSURE) is None:
            keys.append((UNSURE, UNSURE_KEY))
        return tuple(keys)

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """Every answer id a button of this page gives: its options, then its catalogue-worded answers."""
        return tuple(o.id for o in self.options) + tuple(answer for answer, _key in self.answer_keys())


@dataclass(frozen=True, slots=True)
class Conditional:
    """A piece of outcome content that appears only when `condition` holds (always when None)."""

    condition: Expression | None
    value: Any
    where: Location


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A deadline computed from a date answer: `period` counted from the answer of page `start`."""

    label: str
    period: Period
    start: str
    basis: str


@dataclass(frozen=True, slots=True)
class WayRule:
    """A way forward as written in content."""

    kind: WayKind
    body: str
    note: str


@dataclass(frozen=True, slots=True)
class AidRule:
    """A legal-aid verdict for this outcome, with the reason in plain words and the special group."""

    verdict: LegalAidVerdict
    reason: str
    group: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a path ends: the content of the opinion, each item possibly conditional on the answers."""

    id: str
    title: str
    where: Location
    analysis: tuple[Conditional, ...]
    risks: tuple[Conditional, ...]
    ways: tuple[Conditional, ...]          # value: WayRule
    deadlines: tuple[Conditional, ...]     # value: DeadlineRule
    materials: tuple[Conditional, ...]
    provisions: tuple[Conditional, ...]    # value: Provision
    legal_aid: tuple[Conditional, ...]     # value: AidRule; the first that holds wins
    places: tuple[Conditional, ...]
    sections: tuple[tuple[str, tuple[Conditional, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    """A stored answer set: the path test and the example opinion use it."""

    name: str
    answers: dict[str, Any]
    today: date
    outcome: str
    deadlines: dict[str, date]
    where: Location


@dataclass(frozen=True, slots=True)
class Review:
    """Who reviewed a flow, when, against which texts (in words), and the digest of those texts then
    (kiosk.legal.review)."""

    by: str
    on: date
    against: str
    texts: str


@dataclass(frozen=True, slots=True)
class Flow:
    """A whole consultation for one topic or service."""

    id: str
    title: str
    intro: str
    start: str
    pages: dict[str, Page]
    outcomes: dict[str, Outcome]
    examples: tuple[Example, ...]
    where: Location
    kind: str = "topic"
    """`topic` (a dispute area) or `service` (legal aid, mediation, notarisation, referral)."""
    legal_aid_matter: str = ""
    """The matter id to prefill in the legal-aid pre-check when the citizen goes there from this flow."""
    params: tuple[str, ...] = field(default_factory=tuple)
    """Kiosk parameters (`$name`) its rules read."""
    sensitive: bool = False
    """A topic a citizen may not want seen by others (domestic violence, criminal, medical): a neutral header,
    an opaque countdown and a shorter idle time for the rest of the session."""
    first_steps: tuple[str, ...] = ()
    """What to do first when a `danger` answer is given, shown at once with 110 (plain sentences)."""
    reviewed: Review | None = None
    """The last legal review of this flow; `kiosk content lint` lists it when the texts it relies on changed."""


@dataclass(frozen=True, slots=True)
class ContentPack:
    """One loaded, validated content pack; a session keeps a reference, so it is pinned to this version."""

    version: str
    flows: dict[str, Flow]
    provisions: dict[tuple[str, int], Provision]
    hand_checked: tuple[str, ...]
    """Names of regulations whose text was checked by hand (not in the statute library)."""
    topics: dict[str, Topic]
    """The topic and service ids this pack declares (pack.yaml `topics:`): every flow is one of them, and the
    installed pack's list is what the kiosk's telemetry accepts."""
    opinion: OpinionWording
    """The legal wording every opinion carries (pack.yaml `opinion:`)."""
    periods: dict[str, Period] = field(default_factory=dict)
    """The legal periods of periods.yaml, by id."""

    def flow(self, flow_id: str) -> Flow:
        """The flow with that id; KeyError names the id when it is not in this pack."""
        return self.flows[flow_id]
