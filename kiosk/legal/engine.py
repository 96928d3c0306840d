"""The interview: one citizen walking one flow of one pinned content pack, page by page.

Why: the screen, the terminal runner and the tests must drive consultations the same way. The interview keeps
every answer ever given (Back never loses one), reads only the answers on the current path (an answer on an
abandoned branch never leaks into the result), and ends with a review page where any answer can be changed;
after a change, the later pages are re-evaluated and only pages that are new on the path are asked.

不清楚 (UNSURE) is kept as the answer: rules may test for it (`page == 'unsure'`), every other comparison with
it is false, a deadline counted from an unsure date is not computed but replaced by a warning to find the
date out quickly, and it reads as 不清楚 in the review and in the opinion's facts.

An outcome's texts are filled at the end: `{page_id}` with the answer as the citizen saw it, `{= expression}` with
the value computed from the answers (kiosk.legal.computed), e.g. an interest cap from the LPR on the loan date.

    interview = Interview(pack, "labor", today=clock.today(), params={"hardship_income": 1200}, texts=texts)
    while interview.state is InterviewState.ASKING:
        page = interview.page            # show page.text, page.help, page.options, page.answer_keys() …
        interview.answer(value)          # AnswerError carries a Chinese message
    interview.review()                   # facts to show; interview.change(page_id) to edit one
    consultation = interview.finish()    # → kiosk.legal.opinion.build_opinion(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Mapping

from kiosk.legal.answers import Texts, check, chinese_date, show
from kiosk.legal.computed import ComputedText
from kiosk.legal.deadlines import Period
from kiosk.legal.document import (Deadline, Fact, LegalAidResult, LegalAidVerdict, OpinionWording, Provision,
                                    WayForward)
from kiosk.legal.flow import UNSURE, Conditional, ContentPack, DeadlineRule, Flow, Outcome, Page

URGENT_DAYS = 7
"""Legal Aid Law Art. 44(1): fewer than this many days to a time limit allows legal aid to be given first."""
_URGENT_WORDING = {
    (True, False): "consult.deadline.urgent_if_eligible", (True, True): "consult.deadline.urgent_if_eligible_today",
    (False, False): "consult.deadline.urgent_act", (False, True): "consult.deadline.urgent_act_today",
}
"""Catalogue key of the warning for a period about to end, by (Art. 44 help-first applies, the last day is today):
"只剩0天" would read as already over. Art. 44 help is for an applicant the office may aid (a matter of Art. 31, or
one the province adds), so the text offers it on that condition: a lender's or a buyer's three years are a period
to sue, but their matter is not one the law lists."""


class InterviewState(str, Enum):
    """Where the interview stands."""

    ASKING = "asking"      # a page is waiting for an answer
    REVIEW = "review"      # an outcome is reached; the citizen checks the answers
    FINISHED = "finished"  # the consultation is assembled


class InterviewError(RuntimeError):
    """A call that does not fit the interview's state (a programming error of the caller)."""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One line of the review page."""

    page_id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class InterviewResult:
    """The assembled result of a finished interview: what the opinion document is built from."""

    flow: Flow
    outcome: Outcome
    pack_version: str
    today: date
    facts: tuple[Fact, ...]
    analysis: tuple[str, ...]
    risks: tuple[str, ...]
    ways: tuple[WayForward, ...]
    deadlines: tuple[Deadline, ...]
    materials: tuple[str, ...]
    provisions: tuple[Provision, ...]
    legal_aid: LegalAidResult
    places: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    disclaimer: str
    """The pack's `opinion.disclaimer`, which the opinion prints last."""


class Interview:
    """State of one consultation; construct with the pack the session pinned."""

    def __init__(self, pack: ContentPack, flow_id: str, *, today: date,
                 params: Mapping[str, Any] | None = None, prefill: Mapping[str, Any] | None = None,
                 texts: Texts | None = None) -> None:
        self.pack = pack
        self.flow = pack.flow(flow_id)
        self.today = today
        self.params = dict(params or {})
        self.texts = texts or packaged_texts()
        """Words of the catalogue-worded answers and of the deadline warnings (the screen's own catalogue)."""
        self._answers: dict[str, Any] = {}
        self._defaults = {page.id: (prefill or {})[page.prefill] for page in self.flow.pages.values()
                          if page.prefill and page.prefill in (prefill or {})}
        self._path: list[str] = [self.flow.start]
        self._outcome: str | None = None
        self._fast_forward = False
        self._finished = False

    @property
    def pack_version(self) -> str:
        """Version of the content pack this interview is pinned to."""
        return self.pack.version

    @property
    def state(self) -> InterviewState:
        if self._finished:
            return InterviewState.FINISHED
        return InterviewState.REVIEW if self._outcome is not None else InterviewState.ASKING

    @property
    def page(self) -> Page:
        """The page waiting for an answer (only while ASKING)."""
        self._require(InterviewState.ASKING)
        return self.flow.pages[self._path[-1]]

    @property
    def value(self) -> Any:
        """The answer to preselect on the current page: the earlier answer, else a prefilled value, else None."""
        page_id = self.page.id
        return self._answers.get(page_id, self._defaults.get(page_id))

    def answer_of(self, page_id: str) -> Any:
        """The answer to `page_id` on the current path (None when it is not on it or not answered yet)."""
        return self._path_answers().get(page_id)

    @property
    def path(self) -> tuple[str, ...]:
        """Page ids from the start to the current page."""
        return tuple(self._path)

    @property
    def step(self) -> int:
        """1-based number of the current page on the path (for '第 3 题')."""
        return len(self._path)

    @property
    def total(self) -> int:
        """Questions this interview asks at most (for '共 10 题'): the pages on the path so far plus the longest way
        from the current page to an outcome over the rules that can still fire.

        An honest upper bound rather than a guess: a rule that reads only answers already on the path is decided
        (true: the later rules of its page cannot fire; false: its target is out), the others may go either way.
        So the total shrinks as answers cut branches and never grows going forward, since each answer only
        decides more rules; Back shows again the total that page had. After the last answer it is the step count.
        """
        if self._outcome is not None:
            return len(self._path)
        known = {pid: self._answers[pid] for pid in self._path[:-1] if pid in self._answers}
        longest: dict[str, int] = {}

        def remaining(node: str) -> int:
            if node in self.flow.outcomes:
                return 0
            if node not in longest:
                longest[node] = 1 + max(remaining(target) for target in self._open_targets(node, known))
            return longest[node]

        return len(self._path) - 1 + remaining(self._path[-1])

    @property
    def outcome(self) -> Outcome:
        """The outcome reached (REVIEW and FINISHED)."""
        if self._outcome is None:
            raise InterviewError("no outcome reached yet")
        return self.flow.outcomes[self._outcome]

    @property
    def can_go_back(self) -> bool:
        return not self._finished and (self._outcome is not None or len(self._path) > 1)

    def answer(self, value: Any) -> None:
        """Record the answer to the current page (AnswerError if it does not fit) and move on."""
        page = self.page
        self._answers[page.id] = check(page, value, today=self.today)
        self._advance()
        while self._fast_forward and self._outcome is None and self._path[-1] in self._answers:
            self._advance()
        if self._outcome is not None:
            self._fast_forward = False

    def back(self) -> bool:
        """Go to the previous page keeping every answer; False at the first page."""
        if not self.can_go_back:
            return False
        self._fast_forward = False
        if self._outcome is not None:
            self._outcome = None
        else:
            self._path.pop()
        return True

    def review(self) -> tuple[ReviewItem, ...]:
        """The questions on the current path with their answers, for the review page."""
        answers = self._path_answers()
        return tuple(ReviewItem(pid, self.flow.pages[pid].fact, show(self.flow.pages[pid], answers[pid], self.texts))
                     for pid in self._path if pid in answers)

    def change(self, page_id: str) -> None:
        """From the review page, reopen one answered page; after it, only new pages are asked."""
        self._require(InterviewState.REVIEW)
        if page_id not in self._path:
            raise InterviewError(f"{page_id!r} is not on the current path")
        del self._path[self._path.index(page_id) + 1:]
        self._outcome = None
        self._fast_forward = True

    def finish(self) -> InterviewResult:
        """Assemble the consultation for the outcome reached; the interview is then closed."""
        self._require(InterviewState.REVIEW)
        self._finished = True
        return _assemble(self.flow, self.outcome, self._path_answers(), self.pack.version, self.pack.opinion,
                         self.today, self.params, tuple(self.review()), self.texts)

    def _require(self, state: InterviewState) -> None:
        if self.state is not state:
            raise InterviewError(f"interview is {self.state.value}, not {state.value}")

    def _path_answers(self) -> dict[str, Any]:
        return {pid: self._answers[pid] for pid in self._path if pid in self._answers}

    def _open_targets(self, page_id: str, known: Mapping[str, Any]) -> list[str]:
        """Where page `page_id` may lead, given only the `known` answers: rules up to the first that surely fires."""
        targets = []
        for rule in self.flow.pages[page_id].rules:
            condition = rule.condition
            decided = condition is None or condition.answers_read <= known.keys()
            if decided and condition is not None and not condition.holds(known, today=self.today,
                                                                          params=self.params):
                continue
            targets.append(rule.goto)
            if decided:
                break
        return targets

    def _advance(self) -> None:
        page = self.flow.pages[self._path[-1]]
        answers = self._path_answers()
        target = next(rule.goto for rule in page.rules
                      if rule.condition is None or rule.condition.holds(answers, today=self.today,
                                                                       params=self.params))
        if target in self.flow.outcomes:
            self._outcome = target
        else:
            self._path.append(target)


def packaged_texts() -> Texts:
    """The kiosk's own catalogue, for callers that hand in no lookup (tools, examples)."""
    from kiosk.ui.i18n import Translator

    return Translator()


def _assemble(flow: Flow, outcome: Outcome, answers: dict[str, Any], version: str, wording: OpinionWording,
              today: date, params: Mapping[str, Any], review: tuple[ReviewItem, ...], words: Texts) -> InterviewResult:
    texts = _TextFiller(flow, answers, words, today, params)

    def pick(items: tuple[Conditional, ...]) -> list[Any]:
        return [item.value for item in items
                if item.condition is None or item.condition.holds(answers, today=today, params=params)]

    rules = [rule for rule in pick(outcome.deadlines) if rule.start in answers]
    counted = [(rule.period, _deadline(rule, answers[rule.start], texts, words))
               for rule in rules if answers[rule.start] != UNSURE]
    deadlines = tuple(deadline for _period, deadline in counted)
    risks = ([texts(t) for t in pick(outcome.risks)] + _deadline_warnings(counted, today, words)
             + _unknown_start_warnings([r for r in rules if answers[r.start] == UNSURE], flow, texts, words))
    aid = next(iter(pick(outcome.legal_aid)), None)
    legal_aid = (LegalAidResult(aid.verdict, texts(aid.reason), aid.group) if aid is not None else
                 LegalAidResult(LegalAidVerdict.NOT_ASSESSED, wording.aid_not_assessed))
    return InterviewResult(
        flow=flow, outcome=outcome, pack_version=version, today=today,
        facts=tuple(Fact(item.question, item.answer) for item in review),
        analysis=tuple(texts(t) for t in pick(outcome.analysis)), risks=tuple(risks),
        ways=tuple(WayForward(w.kind, texts(w.body), texts(w.note)) for w in pick(outcome.ways)),
        deadlines=deadlines, materials=tuple(texts(t) for t in pick(outcome.materials)),
        provisions=tuple(dict.fromkeys(pick(outcome.provisions))), legal_aid=legal_aid,
        places=tuple(texts(t) for t in pick(outcome.places)),
        sections=tuple((heading, tuple(texts(t) for t in pick(items))) for heading, items in outcome.sections),
        disclaimer=wording.disclaimer)


def _deadline(rule: DeadlineRule, start: date, texts: _TextFiller, words: Texts) -> Deadline:
    """The deadline of `rule` counted from `start`, saying when a rest day moved it (民法典 Art. 203) or when the
    year's holidays are not yet in the pack's calendar."""
    period = rule.period
    due, unmoved = period.due(start), period.unmoved_due(start)
    notes = [words("consult.deadline.moved", date=chinese_date(unmoved), due=chinese_date(due))] if due != unmoved else []
    if period.calendar is not None and not period.calendar.covers(due.year):
        notes.append(words("consult.deadline.calendar_unknown", year=due.year))
    return Deadline(texts(rule.label), due, texts(rule.basis), "".join(notes), period.own)


def _deadline_warnings(counted: list[tuple[Period, Deadline]], today: date, words: Texts) -> list[str]:
    """Plain warnings for deadlines already passed (in the period's own words: only some can start again) or about
    to pass (offering the legal-aid office's help first only where Legal Aid Law Art. 44 allows it: a period to sue or
    to apply for arbitration or 复议); someone else's period is never presented as the citizen's to keep."""
    warnings = []
    for period, deadline in counted:
        days = (deadline.due - today).days
        if days < 0:
            warnings.append(period.passed.format(label=deadline.label, due=chinese_date(deadline.due)))
        elif days < URGENT_DAYS and period.own:
            key = _URGENT_WORDING[(period.advance_aid, days == 0)]
            warnings.append(words(key, label=deadline.label, days=days, due=chinese_date(deadline.due)))
    return warnings


def _unknown_start_warnings(rules: list[DeadlineRule], flow: Flow, texts: _TextFiller, words: Texts) -> list[str]:
    """For a deadline counted from a date the citizen was not sure of: no date is printed (a guessed one could
    be wrong either way), but a warning that the time may be running and the date must be found out quickly."""
    return [words("consult.deadline.unknown_start", label=texts(rule.label), start=flow.pages[rule.start].fact)
            for rule in rules]


class _TextFiller:
    """Fills `{= expression}` parts with their computed values and `{page_id}` placeholders with the answer as the
    citizen saw it."""

    def __init__(self, flow: Flow, answers: dict[str, Any], words: Texts, today: date,
                 params: Mapping[str, Any]) -> None:
        self.values = {pid: show(page, answers.get(pid), words) for pid, page in flow.pages.items()}
        self.answers, self.today, self.params = answers, today, params
        self.none = words("consult.answer.none")

    def __call__(self, text: str) -> str:
        if isinstance(text, ComputedText):
            text = text.fill(self.answers, today=self.today, params=self.params, none=self.none)
        return text.format_map(self.values) if "{" in text else text
