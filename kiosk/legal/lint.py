"""The content linter: structure, citations, plain language and reading ease of a content pack.

Why: content is written by bureau staff and lawyers, read by villagers and printed with the bureau's name on
it; `kiosk content lint` is the gate every pack passes before it reaches a kiosk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.legal.flow import Flow, Page, PageKind, YesNoWords
from kiosk.legal.gists import gist_findings
from kiosk.legal.library import flow_texts, loaded_citations
from kiosk.legal.loader import ContentError, load_pack
from kiosk.legal.review import review_findings
from kiosk.legal.yamlmarks import line_of, load_marked

SENTENCE_WARN_CHARS = 45
"""A sentence longer than this many characters is hard for a low-literacy reader: warning."""
SENTENCE_MAX_CHARS = 80
"""A sentence longer than this many characters is an error."""
QUESTION_WARN_CHARS = 30
"""A question longer than this does not fit one glance: warning."""
WORD_CUES = (
    (YesNoWords.KNOW, re.compile(r"知道.*吗"), True),
    (YesNoWords.CAN, re.compile(r"能.*吗"), False),
    (YesNoWords.SIGNED, re.compile(r"签.*吗"), False),
    (YesNoWords.HAVE, re.compile(r"有没有|有.*吗"), False),
)
"""(words, question cue, whether a mismatch is an error): the first cue a yes/no question matches names the
words it should answer with. 您知道…吗 answered 是 / 不是 is an error; the other pairs are advice."""
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

EXPLAIN_GAP_CHARS = 2
"""At most this many quote marks or commas may stand between a glossary term and the cue that explains it."""
EXPLAIN_PAREN_MIN_HANZI = 3
"""A parenthesis right after a term explains it when it holds at least this many Chinese characters and is not a
remark on how a date was counted (按…, 从…, 已…, 见…)."""
_GAP = "”’」』\"'，、：:"
_CUE_AFTER = re.compile(r"(?:就是|也就是|意思是|是指|指(?![导定派引示望])|即(?![可使将时刻日])|[（(])")
_CUE_BEFORE = re.compile(r"(?:叫|叫做|称为|也就是|(?<![立随])即)$")
_PAREN_BODY = re.compile(r"(?![按从已见])[^）)]*")
_CITATION = r"《[^》]*》(?:第[零一二三四五六七八九十百千]+条[、，和及]?)+(?:规定|写明)?"
_EXEMPT = re.compile(rf"{_CITATION}[：:]?\s*“[^”]*”|{_CITATION}[：:][^。！？；!?;\n]*|《[^》]*》")
"""Spans the glossary check skips: names in 《》 and a statute's own words after its citation (in “…”, or after
： up to the end of the sentence)."""


def common_character(char: str) -> bool:
    """True for characters of GB2312 level 1 (the 3,755 most used hanzi)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry: the term, its spellings, the plain sentence that explains it and accepted paraphrases."""

    term: str
    plain: str
    forms: tuple[str, ...] = ()
    also: tuple[str, ...] = ()

    def explained_by_words(self, text: str) -> bool:
        """Whether `text` carries the glossary's own explanation or one of its paraphrases."""
        return self.plain in text or any(words in text for words in self.also)


class Glossary:
    """The pack's legal terms, with one pattern that finds any spelling of any of them (longest first)."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        spellings = sorted(((s, t) for t in terms for s in (t.term, *t.forms)), key=lambda pair: -len(pair[0]))
        self._by_spelling = dict(spellings)
        self._pattern = re.compile("|".join(re.escape(s) for s, _term in spellings) or "(?!)")

    def used(self, text: str) -> list[tuple[Term, re.Match]]:
        """Each occurrence of a term in `text` outside the exempt spans (names in 《》, statute words)."""
        masked = _EXEMPT.sub(lambda m: "\0" * len(m.group()), text)
        return [(self._by_spelling[m.group()], m) for m in self._pattern.finditer(masked)]

    def unexplained(self, text: str) -> list[Term]:
        """The terms `text` uses without a plain explanation beside any of their occurrences."""
        explained: dict[Term, bool] = {}
        for term, match in self.used(text):
            explained[term] = explained.get(term, False) or _explained_here(text, match) \
                or term.explained_by_words(text)
        return [term for term, ok in explained.items() if not ok]


def _explained_here(text: str, match: re.Match) -> bool:
    """A cue right after (就是, 即, 是指, a parenthesis of real words) or right before (叫, 称为) the occurrence."""
    after = match.end()
    while after < len(text) and after - match.end() < EXPLAIN_GAP_CHARS and text[after] in _GAP:
        after += 1
    cue = _CUE_AFTER.match(text, after)
    if cue and cue.group() in "（(":
        body = _PAREN_BODY.match(text, cue.end())
        if body and len(_CJK.findall(body.group())) >= EXPLAIN_PAREN_MIN_HANZI:
            return True
    elif cue:
        return True
    before = match.start()
    while before > 0 and match.start() - before < EXPLAIN_GAP_CHARS and text[before - 1] in _GAP + "“‘「『":
        before -= 1
    return bool(_CUE_BEFORE.search(text, 0, before))


@dataclass(frozen=True, slots=True)
class FlowReading:
    """How hard one flow is to read: its sentences, their length, rare characters and legal terms."""

    flow: str
    sentences: int
    mean_chars: float
    max_chars: int
    rare_share: float
    """Share of the Chinese characters outside GB2312 level 1 (0..1)."""
    glossary_terms: int
    """Distinct glossary terms the flow's texts use (outside 《》 names and statute words)."""


@dataclass
class LintReport:
    """What the linter found; `ok` when there is no error (warnings do not fail)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    statute_citations: int = 0
    hand_checked_citations: int = 0
    hand_checked_regulations: tuple[str, ...] = ()
    flows: int = 0
    version: str = ""
    reading: list[FlowReading] = field(default_factory=list)
    stale_reviews: list[str] = field(default_factory=list)
    """Flows whose cited texts or counted periods changed after their last legal review (kiosk.legal.review)."""

    @property
    def ok(self) -> bool:
        return not self.errors


def lint(root: Path) -> LintReport:
    """Lint the pack under `root`."""
    report = LintReport()
    try:
        pack = load_pack(root)
    except ContentError as exc:
        report.errors.extend(str(issue) for issue in exc.issues)
        return report
    report.version = pack.version
    report.flows = len(pack.flows)
    report.hand_checked_regulations = pack.hand_checked
    report.statute_citations, report.hand_checked_citations, problems = loaded_citations(pack, root)
    unreviewed, report.stale_reviews = review_findings(pack)
    report.errors.extend(unreviewed)
    report.errors.extend(problems)
    manifest = load_marked(root / "pack.yaml") or {}
    gist_errors, gist_warnings = gist_findings(pack, root, manifest)
    report.errors.extend(gist_errors)
    report.warnings.extend(gist_warnings)
    allowed = set(str(manifest.get("allowed_rare", "")))
    glossary = _glossary(root, manifest, report)
    for flow in pack.flows.values():
        for page in flow.pages.values():
            if len(page.text) > QUESTION_WARN_CHARS:
                report.warnings.append(f"{page.where}: question has {len(page.text)} characters "
                                       f"(aim for {QUESTION_WARN_CHARS} or fewer)")
            _answer_words(page, report)
            if page.unsure_reason:
                report.warnings.append(f"{page.where}: no 不清楚 on this page: {page.unsure_reason}")
        for text, where in dict.fromkeys(flow_texts(flow)):  # a YAML alias repeats its anchor's text and line
            _reading_ease(text, where, allowed, report)
            for term in glossary.unexplained(text):
                report.errors.append(f"{where}: {term.term} without a plain explanation beside it in "
                                     f"“{text[:20]}{'…' if len(text) > 20 else ''}”; e.g. {term.term}（{term.plain}）")
        report.reading.append(reading(flow, glossary))
    _lint_pufa(root, set(pack.flows), allowed, glossary, report)
    return report


def _lint_pufa(root: Path, flows: set[str], allowed: set[str], glossary: Glossary, report: LintReport) -> None:
    """The 普法 cards: their structure and citations (against the pack's law library), and plain language."""
    from kiosk.legal.law_library import LawLibrary
    from kiosk.legal.pufa import card_problems, card_texts
    from kiosk.core.errors import KioskError

    library = LawLibrary(lambda: root)
    try:
        errors, warnings = card_problems(root, library, flows)
    except KioskError as exc:
        errors, warnings = [f"pufa.yaml: citations not checked: {exc}"], []
    finally:
        library.close()
    report.errors.extend(errors)
    report.warnings.extend(warnings)
    for text, where in card_texts(root):
        _reading_ease(text, where, allowed, report)
        for term in glossary.unexplained(text):
            report.errors.append(f"{where}: {term.term} without a plain explanation beside it in “{text[:20]}…”")


def reading(flow: Flow, glossary: Glossary) -> FlowReading:
    """The reading-difficulty figures of `flow`, over every text `flow_texts` yields (repeats counted)."""
    lengths: list[int] = []
    hanzi = rare = 0
    terms: set[str] = set()
    for text, _where in flow_texts(flow):
        lengths += [len(s) for s in _sentences(text)]
        chars = _CJK.findall(text)
        hanzi += len(chars)
        rare += sum(not common_character(c) for c in chars)
        terms.update(term.term for term, _match in glossary.used(text))
    return FlowReading(flow.id, len(lengths), sum(lengths) / len(lengths) if lengths else 0.0,
                       max(lengths, default=0), rare / hanzi if hanzi else 0.0, len(terms))


def _glossary(root: Path, manifest: Any, report: LintReport) -> Glossary:
    """The glossary the manifest names (`glossary:`), its own mistakes reported; empty when there is none."""
    if not manifest.get("glossary"):
        report.warnings.append("pack.yaml names no glossary: legal terms are not checked for plain explanations")
        return Glossary(())
    path = root / str(manifest["glossary"])
    name = f"{root.name}/{manifest['glossary']}"
    try:
        data = load_marked(path)
    except (OSError, yaml.YAMLError) as exc:
        report.errors.append(f"{name}: glossary unreadable: {exc}")
        return Glossary(())
    if not isinstance(data, dict):
        report.errors.append(f"{name}: the glossary must map each term to its `plain` explanation")
        return Glossary(())
    terms = []
    for key, entry in data.items():
        where = f"{name}:{line_of(data, key)}"
        entry = entry if isinstance(entry, dict) else {}
        plain = str(entry.get("plain") or "").strip()
        if not plain:
            report.errors.append(f"{where}: glossary term {key} needs `plain`, one short sentence")
            continue
        if len(plain) > SENTENCE_WARN_CHARS or _SENTENCE_END.search(plain):
            report.errors.append(f"{where}: the explanation of {key} must be one sentence of at most "
                                 f"{SENTENCE_WARN_CHARS} characters")
        terms.append(Term(str(key), plain, tuple(map(str, entry.get("forms") or ())),
                          tuple(map(str, entry.get("also") or ()))))
    glossary = Glossary(tuple(terms))
    for term in terms:
        for words in (term.plain, *term.also):
            for other, _match in glossary.used(words):
                if other is not term:
                    report.errors.append(f"{name}:{line_of(data, term.term)}: the explanation of {term.term} "
                                         f"uses the term {other.term}")
    return glossary


def _answer_words(page: Page, report: LintReport) -> None:
    """A yes/no question answered in words that do not fit it (您知道…吗 with 是 / 不是)."""
    if page.kind is not PageKind.YESNO:
        return
    for words, cue, required in WORD_CUES:
        if cue.search(page.text):
            if page.words is not words:
                (report.errors if required else report.warnings).append(
                    f"{page.where}: {page.text} is answered {page.words.value}; give it `answers: {words.value}`")
            return


def _sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


def _reading_ease(text: str, where: str, allowed: set[str], report: LintReport) -> None:
    for sentence in _sentences(text):
        if len(sentence) > SENTENCE_MAX_CHARS:
            report.errors.append(f"{where}: sentence of {len(sentence)} characters: {sentence[:20]}…")
        elif len(sentence) > SENTENCE_WARN_CHARS:
            report.warnings.append(f"{where}: long sentence ({len(sentence)} characters): {sentence[:20]}…")
    rare = sorted({c for c in _CJK.findall(text) if not common_character(c) and c not in allowed})
    if rare:
        report.warnings.append(f"{where}: rare characters {''.join(rare)}")
