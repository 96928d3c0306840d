"""Load and validate a content pack: `pack.yaml`, the statute library, regulations and the flows.

Why: a flaw in legal content (a page nobody can reach, a path that ends nowhere, a rule reading an answer that
may not exist, a citation with no text) must stop the pack from loading, with the file and line to fix, instead
of surfacing in front of a citizen. All problems of a pack are collected and reported together.

Content data a rule may read is loaded here too: the legal periods, the holiday calendar and the published rates
(pack.yaml `lpr`: the one-year LPR that lpr(d) reads, kiosk.legal.rates). An outcome's plain texts may carry
computed values, `{= expression}` (kiosk.legal.computed), checked like rules and like `{page}` placeholders.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from kiosk.legal.computed import COMPUTED, ComputedText, compile_text
from kiosk.legal.deadlines import Period
from kiosk.legal.document import LegalAidVerdict, OpinionWording, Provision, WayKind
from kiosk.legal.vocabulary import SPECIAL_GROUPS, TOPIC_ID, TOPIC_KINDS, Topic
from kiosk.legal.holidays import CalendarError, HolidayCalendar, load_calendar
from kiosk.legal.expressions import Expression, ExpressionError, parse
from kiosk.legal.gists import NO_GISTS, Gists, parse_gists
from kiosk.legal.flow import (UNSURE, AidRule, Conditional, ContentPack, DeadlineRule, Example, Flow, Location,
                                Option, Outcome, Page, PageKind, Review, Rule, WayRule, YesNoWords)
from kiosk.legal.rates import RateSeries, RatesError, load_rates
from kiosk.legal.yamlmarks import DuplicateKeyError, MarkedDict, line_of, load_marked
from kiosk.legal.errors import CONTENT_INVALID
from kiosk.core.errors import KioskError

KIOSK_PARAMS = frozenset({"hardship_income", "other_injuries_listed"})
"""`$names` a rule may read; the kiosk fills them from configuration (never from content)."""

_T = TypeVar("_T")
E = TypeVar("E", bound=Enum)
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PROVISION_REF = re.compile(r"^(?P<law>[^:：]+)[:：](?P<article>\d+)$")


@dataclass(frozen=True, slots=True)
class ContentIssue:
    """One problem in the content, at a file and line."""

    where: Location
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ContentError(KioskError):
    """The pack did not load; `issues` lists every problem found."""

    def __init__(self, issues: list[ContentIssue]) -> None:
        super().__init__(CONTENT_INVALID, "; ".join(str(i) for i in issues[:5])
                         + (f" (+{len(issues) - 5} more)" if len(issues) > 5 else ""))
        self.issues = issues


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Provision texts by (short law name, article): the statute library plus hand-checked regulations."""

    provisions: dict[tuple[str, int], Provision]
    hand_checked: tuple[str, ...]


class _Reader:
    """Collects issues while reading one file's marked YAML."""

    def __init__(self, file: Path, root: Path, issues: list[ContentIssue],
                 periods: dict[str, Period] | None = None, rates: RateSeries | None = None) -> None:
        self.periods = periods or {}
        """The pack's legal periods, by id, that rules and deadlines may name."""
        self.rates = rates
        """The pack's one-year LPR series that lpr(d) reads."""
        self.file = file
        self.name = str(file.relative_to(root.parent)) if file.is_relative_to(root.parent) else str(file)
        self.issues = issues

    def at(self, container: Any, key: Any = None) -> Location:
        return Location(self.name, line_of(container, key))

    def error(self, where: Location, message: str) -> None:
        self.issues.append(ContentIssue(where, message))

    def text(self, data: Any, key: str, *, required: bool = True) -> str:
        value = data.get(key, "") if isinstance(data, dict) else ""
        if not isinstance(value, str) or (required and not value.strip()):
            if required or not isinstance(value, str):
                self.error(self.at(data, key), f"{key!r} must be non-empty text")
            return ""
        return value.strip()

    def expression(self, data: Any, key: str) -> Expression | None:
        if not isinstance(data, dict) or key not in data:
            return None
        try:
            return parse(data[key], self.periods, self.rates)
        except ExpressionError as exc:
            self.error(self.at(data, key), f"rule {data[key]!r}: {exc}")
            return None


def load_pack(root: Path, *, with_library: bool = True) -> ContentPack:
    """Load and validate the pack under `root` (the directory holding pack.yaml); raise ContentError."""
    issues: list[ContentIssue] = []
    manifest_file = root / "pack.yaml"
    manifest = _load(manifest_file, root, issues)
    reader = _Reader(manifest_file, root, issues)
    if not isinstance(manifest, dict):
        raise ContentError(issues or [ContentIssue(reader.at(manifest), "pack.yaml must be a mapping")])
    version = str(manifest.get("version", "")).strip()
    if not version:
        reader.error(reader.at(manifest, "version"), "pack version missing")
    laws = manifest.get("laws") or {}
    topics = _topics(manifest, reader)
    opinion = _opinion_wording(manifest, reader)
    catalogue = _catalogue(root, manifest, reader, issues) if with_library else None
    periods = _periods(root, manifest, reader, issues, _holidays(root, manifest, reader, issues))
    rates = _rates(root, manifest, issues)
    flows: dict[str, Flow] = {}
    for index, flow_id in enumerate(manifest.get("flows") or []):
        flow_file = root / "flows" / f"{flow_id}.yaml"
        if not flow_file.exists():
            reader.error(reader.at(manifest.get("flows"), index), f"flow file flows/{flow_id}.yaml missing")
            continue
        flow = _FlowReader(flow_file, root, issues, laws, catalogue, periods, rates,
                           opinion.deadline_basis).read()
        if flow is not None:
            if flow.id != flow_id:
                issues.append(ContentIssue(flow.where, f"flow id {flow.id!r} differs from file name {flow_id!r}"))
            _check_topic(flow, topics, issues)
            flows[flow.id] = flow
    _check_legal_aid_matters(flows, issues)
    if issues:
        raise ContentError(issues)
    return ContentPack(version=version, flows=flows, periods=periods, topics=topics, opinion=opinion,
                       provisions=catalogue.provisions if catalogue else {},
                       hand_checked=catalogue.hand_checked if catalogue else ())


def load_topics(root: Path) -> dict[str, Topic]:
    """Only the topic list of the pack under `root` (the console's reports name topics by it); ContentError."""
    return _manifest_part(root, _topics)


def load_opinion_wording(root: Path) -> OpinionWording:
    """Only the opinion wording of the pack under `root` (hand-made sample opinions); ContentError."""
    return _manifest_part(root, _opinion_wording)


def _manifest_part(root: Path, read: Callable[[MarkedDict, _Reader], _T]) -> _T:
    """One declaration of pack.yaml read as load_pack reads it, for readers that need no flows."""
    issues: list[ContentIssue] = []
    manifest_file = root / "pack.yaml"
    manifest = _load(manifest_file, root, issues)
    reader = _Reader(manifest_file, root, issues)
    if not isinstance(manifest, dict):
        raise ContentError(issues or [ContentIssue(reader.at(manifest), "pack.yaml must be a mapping")])
    part = read(manifest, reader)
    if issues:
        raise ContentError(issues)
    return part


def _load(path: Path, root: Path, issues: list[ContentIssue]) -> Any:
    reader = _Reader(path, root, issues)
    try:
        return load_marked(path)
    except OSError as exc:
        reader.error(Location(reader.name, 0), f"unreadable: {exc.strerror}")
    except DuplicateKeyError as exc:
        reader.error(Location(reader.name, int(str(exc).split(":")[0].split()[-1])), str(exc).split(": ", 1)[1])
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        reader.error(Location(reader.name, line), f"YAML syntax: {exc.problem}")
    return None


def _catalogue(root: Path, manifest: MarkedDict, reader: _Reader, issues: list[ContentIssue]) -> Catalogue:
    """Provision texts from the built statute library (JSON) and the hand-checked regulations (YAML)."""
    provisions: dict[tuple[str, int], Provision] = {}
    laws = manifest.get("laws") or {}
    library_file = root / str(manifest.get("statutes", "statutes.json"))
    try:
        library = json.loads(library_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reader.error(reader.at(manifest, "statutes"), f"statute library unreadable ({exc}); run `kiosk content build`")
        library = {"laws": {}}
    full_to_short = {full: short for short, full in laws.items()}
    for full, entry in library.get("laws", {}).items():
        short = full_to_short.get(full)
        if short is None:
            continue
        version = date.fromisoformat(entry["version_date"]) if entry.get("version_date") else None
        for article, text in entry["articles"].items():
            provisions[(short, int(article))] = Provision(law=full, article=int(article), version_date=version,
                                                          text=text)
    hand_checked: list[str] = []
    regulations_file = root / str(manifest.get("regulations", "regulations.yaml"))
    regulations = _load(regulations_file, root, issues) or {}
    reg_reader = _Reader(regulations_file, root, issues)
    for short, entry in regulations.items():
        where = reg_reader.at(regulations, short)
        source = reg_reader.text(entry, "source")
        name = reg_reader.text(entry, "name")
        version = entry.get("version_date") if isinstance(entry, dict) else None
        if not isinstance(version, date):
            reg_reader.error(where, "version_date must be a date (YYYY-MM-DD)")
        articles = entry.get("articles") if isinstance(entry, dict) else None
        if not isinstance(articles, dict) or not articles:
            reg_reader.error(where, "articles missing")
            continue
        hand_checked.append(name)
        for article, text in articles.items():
            provisions[(short, int(article))] = Provision(law=name, article=int(article),
                                                          version_date=version if isinstance(version, date) else None,
                                                          text=str(text).strip(), hand_checked_source=source)
    gists = _gists(root, manifest, issues)
    return Catalogue({key: gists.apply(key[0], p) for key, p in provisions.items()}, tuple(hand_checked))


def _gists(root: Path, manifest: MarkedDict, issues: list[ContentIssue]) -> Gists:
    """The gists pack.yaml names (`gists:`), attached to the provisions; none when it names none (the linter
    then finds every cited provision without one)."""
    if not manifest.get("gists"):
        return NO_GISTS
    path = root / str(manifest["gists"])
    gists, problems = parse_gists(_load(path, root, issues) or {})
    reader = _Reader(path, root, issues)
    for line, message in problems:
        reader.error(Location(reader.name, line), message)
    return gists


_PERIOD_FLAGS = ("interruptible", "suspendable", "extendable")
_PERIOD_KEYS = frozenset({"law", "article", "length", "from", "after", "whose", "rule", "passed", "advance_aid",
                          *_PERIOD_FLAGS})
_LENGTH_UNITS = ("years", "months", "days", "working_days")
RESTARTS = "重新计算"
"""The words that tell a citizen a period starts again; said of a period only when the law lets it be interrupted."""
_CLAUSE = re.compile(r"[。；！？，,;!?\n]")


def says_restarts(text: str) -> bool:
    """Whether `text` tells the citizen a period starts again (重新计算 in a clause that does not deny it with 不)."""
    return any(RESTARTS in clause and "不" not in clause[:clause.index(RESTARTS)] for clause in _CLAUSE.split(text))


def _topics(manifest: MarkedDict, reader: _Reader) -> dict[str, Topic]:
    """pack.yaml `topics:`, the ids flows, telemetry and the bureau's reports count by: `id: {kind, name}`."""
    declared = manifest.get("topics")
    if not isinstance(declared, dict) or not declared:
        reader.error(reader.at(manifest, "topics"), "pack.yaml needs `topics:`, each `id: {kind: topic|service, "
                                                     "name: …}` (flows, telemetry and reports count by them)")
        return {}
    topics: dict[str, Topic] = {}
    for topic_id, entry in declared.items():
        where = reader.at(declared, topic_id)
        if not isinstance(topic_id, str) or not TOPIC_ID.match(topic_id):
            reader.error(where, f"topic id {topic_id!r} must be lower-case letters, digits and _ (at most 48)")
            continue
        kind = entry.get("kind") if isinstance(entry, dict) else None
        if kind not in TOPIC_KINDS:
            reader.error(where, f"topic {topic_id!r}: kind must be one of {list(TOPIC_KINDS)}")
            continue
        topics[topic_id] = Topic(topic_id, kind, reader.text(entry, "name"))
    return topics


def _check_topic(flow: Flow, topics: dict[str, Topic], issues: list[ContentIssue]) -> None:
    """A flow is a topic or service the pack declares, of the kind declared (telemetry and reports count by it)."""
    topic = topics.get(flow.id)
    if topic is None:
        issues.append(ContentIssue(flow.where, f"flow id {flow.id!r} is not a topic or service of pack.yaml "
                                               f"`topics:` (telemetry and reports count by that list)"))
    elif flow.kind != topic.kind:
        issues.append(ContentIssue(flow.where, f"flow {flow.id!r} is kind {flow.kind!r}, but pack.yaml declares "
                                               f"it a {topic.kind!r}"))


def _opinion_wording(manifest: MarkedDict, reader: _Reader) -> OpinionWording:
    """pack.yaml `opinion:`, the legal wording every opinion carries (no code holds a default)."""
    wording = manifest.get("opinion")
    if not isinstance(wording, dict):
        reader.error(reader.at(manifest, "opinion"), "pack.yaml needs `opinion:` with `disclaimer`, "
                                                      "`aid_not_assessed` and `deadline_basis`")
        wording = MarkedDict()
    result = OpinionWording(disclaimer=reader.text(wording, "disclaimer"),
                            aid_not_assessed=reader.text(wording, "aid_not_assessed"),
                            deadline_basis=reader.text(wording, "deadline_basis"))
    try:
        result.deadline_basis.format(law="", article="", start="", length="")
    except (KeyError, IndexError, ValueError) as exc:
        reader.error(reader.at(wording, "deadline_basis"), f"deadline_basis may use only {{law}}, {{article}}, "
                                                           f"{{start}} and {{length}} ({exc!r})")
    return result


def _check_legal_aid_matters(flows: dict[str, Flow], issues: list[ContentIssue]) -> None:
    """A flow's `legal_aid_matter` must be an answer of the legal-aid pre-check's matter page, or it prefills nothing."""
    matter = flows["legal_aid"].pages.get("matter") if "legal_aid" in flows else None
    if matter is None:
        return
    for flow in flows.values():
        if flow.legal_aid_matter and matter.option(flow.legal_aid_matter) is None:
            issues.append(ContentIssue(flow.where, f"legal_aid_matter {flow.legal_aid_matter!r} is not an option of "
                                                   f"legal_aid's matter page {[o.id for o in matter.options]}"))


def _holidays(root: Path, manifest: MarkedDict, reader: _Reader, issues: list[ContentIssue]) -> HolidayCalendar | None:
    """The official holiday calendar (holidays.yaml) that moves a last day off rest days (民法典 Art. 203)."""
    path = root / str(manifest.get("holidays", "holidays.yaml"))
    try:
        return load_calendar(path)
    except CalendarError as exc:
        name = _Reader(path, root, issues).name
        issues.extend(ContentIssue(Location(name, where.line), message) for where, message in exc.issues)
        return None


def _rates(root: Path, manifest: MarkedDict, issues: list[ContentIssue]) -> RateSeries | None:
    """The one-year LPR series of pack.yaml `lpr`, if the pack ships one; its problems become issues at their line."""
    if "lpr" not in manifest:
        return None
    path = root / str(manifest["lpr"])
    try:
        return load_rates(path)
    except RatesError as exc:
        name = _Reader(path, root, issues).name
        issues.extend(ContentIssue(Location(name, where.line), message) for where, message in exc.issues)
        return None


def _periods(root: Path, manifest: MarkedDict, reader: _Reader, issues: list[ContentIssue],
             holidays: HolidayCalendar | None) -> dict[str, Period]:
    """The pack's legal periods (periods.yaml): each declared whole, `after` resolved, the passed text checked,
    every last day moved off rest days by the pack's holiday calendar."""
    periods_file = root / str(manifest.get("periods", "periods.yaml"))
    data = _load(periods_file, root, issues)
    file_reader = _Reader(periods_file, root, issues)
    if not isinstance(data, dict):
        file_reader.error(file_reader.at(data), "periods.yaml must map period ids to their declarations")
        return {}
    declared: dict[str, Period] = {}
    for period_id, entry in data.items():
        period = _period(str(period_id), entry, file_reader, file_reader.at(data, period_id))
        if period is not None:
            declared[period.name] = period
    resolved: dict[str, Period | None] = {}

    def resolve(period_id: str, chain: tuple[str, ...]) -> Period | None:
        if period_id not in resolved:
            period = declared[period_id]
            if period.after is None:
                resolved[period_id] = replace(period, calendar=holidays)
            elif period.after.name in chain or period.after.name not in declared:
                file_reader.error(file_reader.at(data, period_id),
                                  f"`after: {period.after.name}` is not another declared period (or loops)")
                resolved[period_id] = None
            else:
                after = resolve(period.after.name, (*chain, period_id))
                resolved[period_id] = (replace(period, after=after, calendar=holidays) if after is not None
                                       else None)
        return resolved[period_id]

    return {pid: period for pid in declared if (period := resolve(pid, (pid,))) is not None}


def _period(period_id: str, entry: Any, reader: _Reader, where: Location) -> Period | None:
    """One declaration of periods.yaml, checked: every key known, every flag given, the passed text honest."""
    if not _ID.match(period_id) or not isinstance(entry, dict):
        reader.error(where, f"period {period_id!r}: an id of a-z0-9_ mapping to its declaration")
        return None
    unknown = sorted(set(entry) - _PERIOD_KEYS)
    if unknown:
        reader.error(where, f"period {period_id}: unknown keys {unknown}")
    flags = {flag: entry.get(flag) for flag in _PERIOD_FLAGS}
    for flag, value in flags.items():
        if not isinstance(value, bool):
            reader.error(reader.at(entry, flag) if flag in entry else where,
                         f"period {period_id}: `{flag}` must be true or false (say what the law says)")
    length = entry.get("length")
    if (not isinstance(length, dict) or not length or set(length) - set(_LENGTH_UNITS)
            or not all(isinstance(n, int) and n > 0 for n in length.values())
            or ("working_days" in length and len(length) > 1)):
        reader.error(reader.at(entry, "length") if "length" in entry else where,
                     f"period {period_id}: length is {{years|months|days: a positive whole number}}, or "
                     f"{{working_days: n}} alone")
        length = {}
    whose = entry.get("whose")
    if whose not in ("citizen", "other"):
        reader.error(reader.at(entry, "whose") if "whose" in entry else where,
                     f"period {period_id}: `whose` is citizen or other")
    article = entry.get("article")
    if not isinstance(article, int):
        reader.error(reader.at(entry, "article") if "article" in entry else where,
                     f"period {period_id}: article must be a number")
    passed = reader.text(entry, "passed")
    missing = sorted({"{label}", "{due}"} - {f"{{{name}}}" for name in _placeholders(passed)})
    if passed and missing:
        reader.error(reader.at(entry, "passed"), f"period {period_id}: the passed text must name {missing}")
    if flags["interruptible"] is True and passed and not says_restarts(passed):
        reader.error(reader.at(entry, "passed"), f"period {period_id} can be interrupted: its passed text must "
                                                 f"tell the citizen when it {RESTARTS}")
    if flags["interruptible"] is False and says_restarts(passed + "。" + reader.text(entry, "rule")):
        reader.error(reader.at(entry, "passed"), f"period {period_id} cannot be interrupted: its texts must not "
                                                 f"say it {RESTARTS}")
    advance_aid = entry.get("advance_aid", False)
    if not isinstance(advance_aid, bool):
        reader.error(reader.at(entry, "advance_aid"), f"period {period_id}: `advance_aid` must be true or false")
    after = entry.get("after")
    return Period(name=period_id, law=reader.text(entry, "law"), article=article if isinstance(article, int) else 0,
                  counted_from=reader.text(entry, "from"), **{unit: length.get(unit, 0) for unit in _LENGTH_UNITS},
                  after=Period(str(after), "", 0, "") if after is not None else None,
                  interruptible=flags["interruptible"] is True, suspendable=flags["suspendable"] is True,
                  extendable=flags["extendable"] is True, own=whose != "other", advance_aid=advance_aid is True,
                  rule=reader.text(entry, "rule"), passed=passed)


class _FlowReader(_Reader):
    """Reads one flow file and checks its graph."""

    def __init__(self, file: Path, root: Path, issues: list[ContentIssue], laws: dict[str, str],
                 catalogue: Catalogue | None, periods: dict[str, Period], rates: RateSeries | None = None,
                 deadline_basis: str = "") -> None:
        super().__init__(file, root, issues, periods, rates)
        self.deadline_basis = deadline_basis
        """The pack's wording of a deadline's basis where a flow gives none (pack.yaml `opinion`)."""
        self.laws = laws
        self.catalogue = catalogue

    def read(self) -> Flow | None:
        data = _load(self.file, self.file.parent.parent, self.issues)
        if not isinstance(data, dict):
            if data is not None:
                self.error(self.at(data), "a flow file must be a mapping")
            return None
        pages = {pid: self.page(pid, p, data["pages"]) for pid, p in (data.get("pages") or {}).items()}
        outcomes = {oid: self.outcome(oid, o, data["outcomes"]) for oid, o in (data.get("outcomes") or {}).items()}
        for clash in set(pages) & set(outcomes):
            self.error(self.at(data["outcomes"], clash), f"{clash!r} is both a page and an outcome")
        flow = Flow(id=self.text(data, "id"), title=self.text(data, "title"), intro=self.text(data, "intro"),
                    start=self.text(data, "start"), pages=pages, outcomes=outcomes,
                    examples=tuple(self.example(e, data["examples"], i)
                                   for i, e in enumerate(data.get("examples") or [])),
                    where=self.at(data), kind=str(data.get("kind", "topic")),
                    legal_aid_matter=str(data.get("legal_aid_matter", "")),
                    sensitive=bool(data.get("sensitive", False)),
                    first_steps=tuple(str(t).strip() for t in data.get("first_steps") or ()),
                    reviewed=self.review(data))
        if any(page.danger for page in pages.values()) and not flow.first_steps:
            self.error(self.at(data), "a flow with `danger` answers needs `first_steps` to show with 110")
        if not flow.examples:
            self.error(self.at(data), "a flow needs at least one example answer set")
        self.check_graph(flow, data)
        return flow

    def review(self, data: MarkedDict) -> Review | None:
        """The flow's `reviewed: {by, date, against, texts}` record, if it has one (lint reports a missing one)."""
        record = data.get("reviewed")
        if record is None:
            return None
        on = record.get("date") if isinstance(record, dict) else None
        texts = str(record.get("texts", "")) if isinstance(record, dict) else ""
        if not isinstance(on, date) or not re.fullmatch(r"[0-9a-f]{16}", texts):
            self.error(self.at(data, "reviewed"), "reviewed is {by, date: YYYY-MM-DD, against, texts: 16 hex digits}; "
                                                  "write it with `kiosk content review`")
            return None
        return Review(self.text(record, "by"), on, self.text(record, "against"), texts)

    def page(self, page_id: str, data: Any, parent: Any) -> Page:
        where = self.at(parent, page_id)
        if not _ID.match(str(page_id)):
            self.error(where, f"page id {page_id!r} must be lower_snake_case")
        if not isinstance(data, dict):
            self.error(where, "a page must be a mapping")
            data = MarkedDict()
        try:
            kind = PageKind(data.get("kind"))
        except ValueError:
            self.error(self.at(data, "kind"), f"unknown page kind {data.get('kind')!r}")
            kind = PageKind.TEXT
        options = tuple(self.option(o, data["options"], i) for i, o in enumerate(data.get("options") or []))
        if kind is PageKind.CHOICE and len(options) < 2:
            self.error(where, "a choice page needs at least two options")
        if kind is not PageKind.CHOICE and options:
            self.error(self.at(data, "options"), "only choice pages have options")
        if len({o.id for o in options}) != len(options):
            self.error(self.at(data, "options"), "option ids repeat")
        rules = tuple(self.rule(r, data["next"], i) for i, r in enumerate(data.get("next") or []))
        if not rules:
            self.error(where, "page has no `next` rules (dead end)")
        elif rules[-1].condition is not None or (isinstance(data["next"][-1], dict) and "if" in data["next"][-1]):
            self.error(rules[-1].where, "the last `next` rule must have no `if` (otherwise the path can dead-end)")
        for key in ("minimum", "maximum"):
            if key in data and not isinstance(data[key], (int, float)):
                self.error(self.at(data, key), f"{key} must be a number")
        if data.get("month_only") and kind is not PageKind.DATE:
            self.error(self.at(data, "month_only"), "only date pages can ask for a month only")
        page = Page(id=str(page_id), kind=kind, text=self.text(data, "text"), help=self.text(data, "help"),
                    fact=self.text(data, "fact"), rules=rules, where=where, options=options,
                    unit=str(data.get("unit", "")), minimum=data.get("minimum"), maximum=data.get("maximum"),
                    integer=bool(data.get("integer", False)), allow_future=bool(data.get("allow_future", False)),
                    month_only=bool(data.get("month_only", False)), max_length=int(data.get("max_length", 60)),
                    prefill=str(data.get("prefill", "")),
                    danger=tuple(str(a) for a in data.get("danger") or ()), words=self.words(data, kind),
                    unsure=data.get("unsure") is not False,
                    unsure_reason=self.text(data, "unsure_reason", required=data.get("unsure") is False))
        self.check_unsure(page, data)
        for answer in set(page.danger) - set(page.choice_ids):
            self.error(self.at(data, "danger"), f"danger answer {answer!r} is not an answer of this page")
        return page

    def words(self, data: Any, kind: PageKind) -> YesNoWords:
        """The `answers` words of a yes/no page (default 是 / 不是)."""
        if "answers" not in data:
            return YesNoWords.YESNO
        if kind is not PageKind.YESNO:
            self.error(self.at(data, "answers"), "only yes/no pages choose their `answers` words")
        try:
            return YesNoWords(data["answers"])
        except ValueError:
            self.error(self.at(data, "answers"), f"answers must be one of {[w.value for w in YesNoWords]}")
            return YesNoWords.YESNO

    def check_unsure(self, page: Page, data: Any) -> None:
        """`unsure: false` needs a reason and a page that would otherwise offer 不清楚."""
        if not isinstance(data.get("unsure", True), bool):
            self.error(self.at(data, "unsure"), "unsure must be true or false")
        elif page.unsure:
            if page.unsure_reason:
                self.error(self.at(data, "unsure_reason"), "`unsure_reason` explains `unsure: false` only")
        elif not replace(page, unsure=True).offers_unsure:
            self.error(self.at(data, "unsure"), "this page offers no 不清楚 to opt out of")
        elif page.option(UNSURE) is not None:
            self.error(self.at(data, "unsure"), "a page with an option 'unsure' cannot opt out of 不清楚")

    def option(self, data: Any, parent: Any, index: int) -> Option:
        if not isinstance(data, dict):
            self.error(self.at(parent, index), "an option must be a mapping with id and label")
            return Option("", "")
        option_id = self.text(data, "id")
        if option_id and not _ID.match(option_id):
            self.error(self.at(data, "id"), f"option id {option_id!r} must be lower_snake_case")
        return Option(option_id, self.text(data, "label"), self.text(data, "help", required=False))

    def rule(self, data: Any, parent: Any, index: int) -> Rule:
        where = self.at(parent, index)
        if isinstance(data, str):
            return Rule(goto=data, condition=None, where=where)
        if not isinstance(data, dict) or "goto" not in data:
            self.error(where, "a rule is a page id or {if: ..., goto: ...}")
            return Rule(goto="", condition=None, where=where)
        return Rule(goto=str(data["goto"]), condition=self.expression(data, "if"), where=where)

    def conditionals(self, data: Any, key: str, make) -> tuple[Conditional, ...]:
        items = (data.get(key) or []) if isinstance(data, dict) else []
        out = []
        for index, item in enumerate(items):
            where = self.at(items, index)
            condition = self.expression(item, "if") if isinstance(item, dict) else None
            value = make(item, where)
            if value is not None:
                out.append(Conditional(condition, value, where))
        return tuple(out)

    def plain(self, item: Any, where: Location) -> str | None:
        text = item if isinstance(item, str) else item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            self.error(where, "expected text or {text: ..., if: ...}")
            return None
        try:
            return compile_text(text.strip(), self.periods, self.rates)
        except ExpressionError as exc:
            self.error(where, f"computed value in {text.strip()[:20]!r}: {exc}")
            return None

    def member(self, item: Any, key: str, kind: type[E], what: str, where: Location) -> E | None:
        """`item[key]` as a member of the enum `kind`, or None with an error naming the allowed values."""
        try:
            return kind(item.get(key))
        except (AttributeError, ValueError):
            self.error(where, f"{what} must be one of {[member.value for member in kind]}")
            return None

    def way(self, item: Any, where: Location) -> WayRule | None:
        kind = self.member(item, "kind", WayKind, "way kind", where)
        if kind is None:
            return None
        return WayRule(kind, self.text(item, "body"), self.text(item, "note", required=False))

    def deadline(self, item: Any, where: Location) -> DeadlineRule | None:
        if not isinstance(item, dict):
            self.error(where, "a deadline is {label, period, from, basis (default: the period's own)}")
            return None
        period = self.periods.get(str(item.get("period")))
        if period is None:
            self.error(self.at(item, "period"),
                       f"unknown period {item.get('period')!r}; periods.yaml declares: {sorted(self.periods)}")
            return None
        basis = self.text(item, "basis", required=False)
        if says_restarts(basis) and not period.interruptible:
            self.error(self.at(item, "basis"), f"period {period.name} cannot be interrupted (periods.yaml): the basis "
                                               f"must not say it {RESTARTS}")
        return DeadlineRule(self.text(item, "label"), period, self.text(item, "from"),
                            basis or period.basis(self.deadline_basis))

    def provision(self, item: Any, where: Location) -> Provision | None:
        ref = item.get("ref") if isinstance(item, dict) else item
        match = _PROVISION_REF.match(str(ref).strip())
        if match is None:
            self.error(where, f"provision {ref!r} must read 'short law name:article number'")
            return None
        key = (match["law"].strip(), int(match["article"]))
        if self.catalogue is None:
            return Provision(law=key[0], article=key[1], version_date=None, text="")
        provision = self.catalogue.provisions.get(key)
        if provision is None:
            self.error(where, f"missing citation data for {key[0]} Art. {key[1]}: not in the statute library "
                              "(rebuild with `kiosk content build`) nor in regulations.yaml")
        return provision

    def aid(self, item: Any, where: Location) -> AidRule | None:
        verdict = self.member(item, "verdict", LegalAidVerdict, "legal_aid verdict", where)
        if verdict is None:
            return None
        group = str(item.get("group", ""))
        if group and group not in SPECIAL_GROUPS:
            self.error(self.at(item, "group"), f"special group {group!r} is not one of {list(SPECIAL_GROUPS)} "
                                               f"(kiosk.legal.vocabulary; '' for none)")
        return AidRule(verdict, self.text(item, "reason"), group)

    def outcome(self, outcome_id: str, data: Any, parent: Any) -> Outcome:
        where = self.at(parent, outcome_id)
        if not isinstance(data, dict):
            self.error(where, "an outcome must be a mapping")
            data = MarkedDict()
        sections = tuple((self.text(s, "heading"), self.conditionals(s, "items", self.plain))
                         for s in data.get("sections") or [])
        outcome = Outcome(id=str(outcome_id), title=self.text(data, "title"), where=where,
                          analysis=self.conditionals(data, "analysis", self.plain),
                          risks=self.conditionals(data, "risks", self.plain),
                          ways=self.conditionals(data, "ways", self.way),
                          deadlines=self.conditionals(data, "deadlines", self.deadline),
                          materials=self.conditionals(data, "materials", self.plain),
                          provisions=self.conditionals(data, "provisions", self.provision),
                          legal_aid=self.conditionals(data, "legal_aid", self.aid),
                          places=self.conditionals(data, "places", self.plain), sections=sections)
        for key in ("analysis", "ways", "provisions"):
            if not getattr(outcome, key):
                self.error(where, f"outcome {outcome_id!r} needs {key}")
        return outcome

    def example(self, data: Any, parent: Any, index: int) -> Example:
        where = self.at(parent, index)
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            self.error(where, "an example is {name, today, answers: {...}, outcome, deadlines}")
            return Example("", {}, date.today(), "", {}, where)
        today = data.get("today")
        if not isinstance(today, date):
            self.error(self.at(data, "today"), "example `today` must be a date")
            today = date(2026, 1, 1)
        deadlines = data.get("deadlines") or {}
        return Example(self.text(data, "name"), dict(data["answers"]), today, self.text(data, "outcome"),
                       {str(k): v for k, v in deadlines.items()}, where)

    def check_graph(self, flow: Flow, data: Any) -> None:
        """Unknown targets, cycles, unreachable pages, rules over answers not given on every path."""
        nodes = set(flow.pages) | set(flow.outcomes)
        if flow.start not in flow.pages:
            self.error(self.at(data, "start"), f"start page {flow.start!r} is not a page")
            return
        edges: dict[str, list[str]] = {pid: [] for pid in nodes}
        for page in flow.pages.values():
            for rule in page.rules:
                if rule.goto not in nodes:
                    self.error(rule.where, f"unknown page {rule.goto!r}")
                elif rule.goto not in edges[page.id]:
                    edges[page.id].append(rule.goto)
        order = self.topological(flow.start, edges, flow)
        if order is None:
            return
        for node in sorted(nodes - set(order)):
            item = flow.pages.get(node) or flow.outcomes[node]
            self.error(item.where, f"unreachable: no path from {flow.start!r} leads to {node!r}")
        dominators = _dominators(flow.start, order, edges)
        for page in flow.pages.values():
            known = dominators.get(page.id, set())
            for rule in page.rules:
                if rule.condition is not None:
                    self.check_reads(rule.condition, rule.where, flow, known)
        for outcome in flow.outcomes.values():
            known = dominators.get(outcome.id, set())
            for item in _all_conditionals(outcome):
                if item.condition is not None:
                    self.check_reads(item.condition, item.where, flow, set(flow.pages))
                for text in _texts(item.value):
                    computed = text.expressions if isinstance(text, ComputedText) else ()
                    if COMPUTED.search(text) and not computed:
                        self.error(item.where, "a computed value {= …} may stand only in analysis, risks, "
                                               "materials, places and sections")
                    for expression in computed:
                        self.check_reads(expression, item.where, flow, set(flow.pages))
                    for name in _placeholders(text) + sorted(set().union(*(e.answers_read for e in computed))):
                        guarded = item.condition is not None and name in item.condition.answers_read
                        if name not in known and not guarded:
                            self.error(item.where, f"placeholder {{{name}}} is not answered on every path here")
                        elif (name in flow.pages and flow.pages[name].offers_unsure
                              and (item.condition is None or name not in set(_values_read(item.condition.tree)))):
                            self.error(item.where, f"placeholder {{{name}}} may read 不清楚: give the text an `if` "
                                                   f"over its value (e.g. {name} != 'unsure')")
                if isinstance(item.value, DeadlineRule):
                    start = flow.pages.get(item.value.start)
                    if start is None or start.kind is not PageKind.DATE:
                        self.error(item.where, f"deadline `from` {item.value.start!r} is not a date page")
                    elif item.value.start not in known and (item.condition is None or item.value.start
                                                            not in item.condition.answers_read):
                        self.error(item.where, f"deadline from {item.value.start!r}, not answered on every path")

    def check_reads(self, expr: Expression, where: Location, flow: Flow, known: set[str]) -> None:
        """Pages read must exist and be answered on every path here, unless the rule guards with answered()."""
        guarded = set(_guarded(expr.tree))
        for name in sorted(expr.answers_read):
            if name not in flow.pages:
                self.error(where, f"rule reads undefined answer {name!r} (no such page)")
            elif name not in known and name not in guarded:
                self.error(where, f"rule reads {name!r}, which is not answered on every path to here "
                                  f"(guard it with answered({name}))")
        for name in sorted(expr.params_read - KIOSK_PARAMS):
            self.error(where, f"rule reads unknown kiosk parameter ${name}")
        for page_id, value in _option_comparisons(expr.tree):
            page = flow.pages.get(page_id)
            if page is not None and page.kind is not PageKind.TEXT and value not in page.choice_ids:
                self.error(where, f"{page_id!r} has no answer {value!r} (answers: {list(page.choice_ids)})")

    def topological(self, start: str, edges: dict[str, list[str]], flow: Flow) -> list[str] | None:
        """Reachable nodes in topological order, or None after reporting a cycle."""
        order: list[str] = []
        state: dict[str, int] = {}
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack.pop()
            if index == 0:
                if state.get(node) == 2:
                    continue
                state[node] = 1
            targets = [t for t in edges.get(node, []) if t in edges]
            if index < len(targets):
                stack.append((node, index + 1))
                target = targets[index]
                if state.get(target) == 1:
                    page = flow.pages[node]
                    self.error(page.where, f"loop: {node!r} leads back to {target!r}")
                    return None
                if state.get(target) != 2:
                    stack.append((target, 0))
            else:
                state[node] = 2
                order.append(node)
        order.reverse()
        return order


def _dominators(start: str, order: list[str], edges: dict[str, list[str]]) -> dict[str, set[str]]:
    """For each node, the pages that lie on every path from start to it (the node itself included)."""
    preds: dict[str, list[str]] = {node: [] for node in order}
    for node in order:
        for target in edges.get(node, []):
            if target in preds:
                preds[target].append(node)
    dom: dict[str, set[str]] = {}
    for node in order:
        incoming = [dom[p] for p in preds[node] if p in dom]
        dom[node] = (set.intersection(*incoming) if incoming else set()) | {node}
    return dom


def _all_conditionals(outcome: Outcome):
    for key in ("analysis", "risks", "ways", "deadlines", "materials", "provisions", "legal_aid", "places"):
        yield from getattr(outcome, key)
    for _heading, items in outcome.sections:
        yield from items


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, WayRule):
        return [value.body, value.note]
    if isinstance(value, AidRule):
        return [value.reason]
    if isinstance(value, DeadlineRule):
        return [value.label, value.basis]
    return []


def _placeholders(text: str) -> list[str]:
    """The `{page}` placeholders of a text (its computed `{= …}` parts aside)."""
    return [name for _lit, name, _spec, _conv in string.Formatter().parse(COMPUTED.sub("", text)) if name]


def _children(node: tuple):
    """The sub-expressions of a parsed expression node (held directly or in a list, e.g. a call's arguments)."""
    for part in node[1:]:
        for item in part if isinstance(part, list) else [part]:
            if isinstance(item, tuple):
                yield item


def _guarded(node: tuple):
    """Page ids the expression tests with answered()."""
    if node[0] == "call" and node[1] == "answered":
        yield node[2][0][1]
    for child in _children(node):
        yield from _guarded(child)


def _values_read(node: tuple):
    """Page ids whose answer the expression looks at, beyond asking whether it was answered()."""
    if node[0] == "call" and node[1] == "answered":
        return
    if node[0] == "ans":
        yield node[1]
    for child in _children(node):
        yield from _values_read(child)


def _option_comparisons(node: tuple):
    """(page id, literal) pairs compared with == / != / in, to catch misspelt option ids."""
    if node[0] == "cmp" and node[2][0] == "ans":
        right = node[3]
        if right[0] == "lit" and isinstance(right[1], str):
            yield node[2][1], right[1]
        elif right[0] == "list":
            for item in right[1]:
                if item[0] == "lit" and isinstance(item[1], str):
                    yield node[2][1], item[1]
    for child in _children(node):
        yield from _option_comparisons(child)
