"""The content linter: structure, citations and reading ease of a content pack.

Why: content is written by bureau staff and lawyers, read by villagers and printed with the bureau's name on
it; `kiosk content lint` is the gate every pack passes before it reaches a kiosk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.consult.flow import Page, PageKind, YesNoWords
from kiosk.consult.library import flow_texts, loaded_citations
from kiosk.consult.loader import ContentError, load_pack
from kiosk.consult.yamlmarks import load_marked

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


def common_character(char: str) -> bool:
    """True for characters of GB2312 level 1 (the 3,755 most used hanzi)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


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
    report.errors.extend(problems)
    allowed = set(str((load_marked(root / "pack.yaml") or {}).get("allowed_rare", "")))
    for flow in pack.flows.values():
        for page in flow.pages.values():
            if len(page.text) > QUESTION_WARN_CHARS:
                report.warnings.append(f"{page.where}: question has {len(page.text)} characters "
                                       f"(aim for {QUESTION_WARN_CHARS} or fewer)")
            _answer_words(page, report)
            if page.unsure_reason:
                report.warnings.append(f"{page.where}: no 不清楚 on this page: {page.unsure_reason}")
        for text, where in flow_texts(flow):
            _reading_ease(text, where, allowed, report)
    return report


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


def _reading_ease(text: str, where: str, allowed: set[str], report: LintReport) -> None:
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(text))):
        if len(sentence) > SENTENCE_MAX_CHARS:
            report.errors.append(f"{where}: sentence of {len(sentence)} characters: {sentence[:20]}…")
        elif len(sentence) > SENTENCE_WARN_CHARS:
            report.warnings.append(f"{where}: long sentence ({len(sentence)} characters): {sentence[:20]}…")
    rare = sorted({c for c in _CJK.findall(text) if not common_character(c) and c not in allowed})
    if rare:
        report.warnings.append(f"{where}: rare characters {''.join(rare)}")
