"""The legal opinion document (法律意见书, kiosk style): one model for the printer, the screen and the counters.

Why: the slip, the on-screen preview and the bureau's "opinions issued" counter must describe the same thing.
Everything here is plain data; rendering lives in `kiosk.services.printing` (paper) and `kiosk.ui` (screen).
Personal data appears only as the masked ID number the citizen allowed to be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class WayKind(str, Enum):
    """The ways forward a citizen can take, in the usual order of cost and formality."""

    NEGOTIATION = "negotiation"      # 协商
    MEDIATION = "mediation"          # 人民调解 / 行政调解
    ARBITRATION = "arbitration"      # 劳动人事争议仲裁 / 商事仲裁
    COMPLAINT = "complaint"          # 投诉举报（劳动监察、市场监管）
    LITIGATION = "litigation"        # 诉讼
    RECONSIDERATION = "reconsideration"  # 行政复议
    LEGAL_AID = "legal_aid"          # 法律援助
    NOTARIZATION = "notarization"    # 公证
    POLICE = "police"                # 报警：110、派出所
    REFERRAL = "referral"            # 找有关部门：民政、救助站、12348、律师 …


class LegalAidVerdict(str, Enum):
    """Result of the legal-aid pre-check (Legal Aid Law 2022)."""

    LIKELY = "likely"                # 可能符合条件
    EXEMPT_FROM_MEANS_TEST = "exempt"  # 免予核查经济困难状况
    UNLIKELY = "unlikely"            # 可能不符合条件
    NOT_ASSESSED = "not_assessed"    # 未做预审


@dataclass(frozen=True, slots=True)
class Fact:
    """One question and the citizen's answer, in the words shown on screen."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Provision:
    """A cited provision: 《law》第article条, the version in force, and its text or a faithful short form."""

    law: str
    article: int
    version_date: date | None
    text: str
    hand_checked_source: str = ""
    """For regulations not in the statute library: where the text was checked by hand."""
    short: str = ""
    """The law's short name as the content cites it (劳动合同法, 工伤保险条例); '' = the full name."""
    gist: str = ""
    """What the article says in one plain line (content: gists.yaml), printed in place of its text."""
    law_code: str = ""
    """The law's stable ASCII code (gists.yaml) that names it in the verification URL; '' = none."""

    @property
    def citation(self) -> str:
        """The citation as printed, e.g. 《中华人民共和国劳动合同法》第三十条."""
        from kiosk.legal.numerals import chinese_number

        return f"《{self.law}》第{chinese_number(self.article)}条"

    @property
    def short_citation(self) -> str:
        """The citation in short, as a slip prints it beside the gist: 《劳动合同法》第30条."""
        return f"《{self.short or self.law}》第{self.article}条"


@dataclass(frozen=True, slots=True)
class WayForward:
    """One way forward with the competent body and a plain note."""

    kind: WayKind
    body: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date computed from the answers, with what it is and the rule behind it."""

    label: str
    due: date
    basis: str
    note: str = ""
    """How the rest-day rule touched the date (moved from a holiday, or the year's holidays not yet published)."""
    own: bool = True
    """False for someone else's period (the employer's, the creditor's): never shown as the citizen's to keep."""


@dataclass(frozen=True, slots=True)
class LegalAidResult:
    """Outcome of the pre-check with the reason in plain words and the special group, if any."""

    verdict: LegalAidVerdict
    reason: str
    special_group: str = ""
    """Stable id of the group for reports: one of kiosk.legal.vocabulary.SPECIAL_GROUPS, or '' for none."""


HOTLINE = "12348"
"""The national public legal service hotline: the same number everywhere."""


@dataclass(frozen=True, slots=True)
class OpinionWording:
    """Legal wording every opinion of a pack carries, which the bureau reviews with the flows (pack.yaml
    `opinion:`), so a content job can change it and no code holds it."""

    disclaimer: str
    """Printed at the end of every opinion: reference information, not a lawyer's formal opinion."""
    aid_not_assessed: str
    """The legal-aid line of an outcome that made no pre-check: where free legal help can be asked for."""
    deadline_basis: str
    """The basis of a deadline whose flow gives none: `{law}`, `{article}`, `{start}`, `{length}` of its period."""


@dataclass(frozen=True, slots=True)
class OpinionDocument:
    """A complete opinion ready to print, preview or count."""

    number: str
    """Kiosk id + date + daily sequence, e.g. `dev-0001-20261122-0007`."""
    issued_at: datetime
    kiosk_id: str
    service_name: str
    site_name: str
    topic_id: str
    topic_title: str
    outcome_id: str
    title: str
    facts: tuple[Fact, ...]
    provisions: tuple[Provision, ...]
    analysis: tuple[str, ...]
    risks: tuple[str, ...]
    ways_forward: tuple[WayForward, ...]
    deadlines: tuple[Deadline, ...]
    materials: tuple[str, ...]
    where_to_go: tuple[str, ...]
    legal_aid: LegalAidResult
    verification_code: str
    verify_url: str
    content_version: str
    disclaimer: str
    """That the opinion is reference information, not a lawyer's formal opinion: the pack's `opinion.disclaimer`."""
    hotline: str = HOTLINE
    masked_id_number: str = ""
    """First 6 and last 4 characters of the ID number when the citizen allowed the card to be read."""
    extra_sections: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)
    """Further titled sections a flow adds (heading, paragraphs)."""
