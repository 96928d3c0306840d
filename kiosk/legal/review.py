"""The review record of a flow: who checked it against which legal texts, and whether those texts changed since.

Why: a flow is right only against the texts its reviewer read. When the statute library or a regulation is
updated (a law amended, an article renumbered, a period's declaration changed), every flow that cites a changed
text must be read again. Each flow carries `reviewed: {by, date, against, texts}` where `texts` is a digest of every
text it relies on — the provisions it cites (as references or written inline as 《法》第N条) with the one-line gists the slip prints
for them, and the declarations of
the periods it counts — so `kiosk content lint` can list the flows whose texts changed after their review, and
`kiosk content review FLOW --by NAME --against TEXTS` records a new review.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from kiosk.legal.deadlines import Period
from kiosk.legal.document import Provision
from kiosk.legal.flow import ContentPack, DeadlineRule, Flow
from kiosk.legal.library import INLINE_CITATION, flow_texts, parse_chinese_number

DIGEST_CHARS = 16
"""Hex characters of the SHA-256 digest kept in a review record (64 bits: a changed text is never missed)."""


def relied_on(pack: ContentPack, flow: Flow) -> tuple[list[Provision], list[Period]]:
    """The provisions `flow` cites (references and inline 《法》第N条) and the periods its deadlines count."""
    by_name = {**{key: p for key, p in pack.provisions.items()},
               **{(p.law, p.article): p for p in pack.provisions.values()}}
    cited: dict[tuple[str, int], Provision] = {}
    periods: dict[str, Period] = {}
    for outcome in flow.outcomes.values():
        for item in outcome.provisions:
            cited[(item.value.law, item.value.article)] = item.value
        for item in outcome.deadlines:
            rule: DeadlineRule = item.value
            period: Period | None = rule.period
            while period is not None:
                periods[period.name] = period
                period = period.after
    for text, _where in flow_texts(flow):
        for match in INLINE_CITATION.finditer(text):
            key = (match["law"], parse_chinese_number(match["article"]))
            if key in by_name:
                cited[(by_name[key].law, by_name[key].article)] = by_name[key]
    return sorted(cited.values(), key=lambda p: (p.law, p.article)), sorted(periods.values(), key=lambda p: p.name)


def texts_digest(pack: ContentPack, flow: Flow) -> str:
    """Digest of every text `flow` relies on: changes when any cited article, its printed gist or a counted period
    changes."""
    provisions, periods = relied_on(pack, flow)
    digest = hashlib.sha256()
    for provision in provisions:
        digest.update(f"{provision.law}\x1f{provision.article}\x1f{provision.version_date}\x1f{provision.text}"
                      f"\x1f{provision.gist}\x1e".encode())
    for period in periods:
        digest.update(f"{period.name}\x1f{period.law}\x1f{period.article}\x1f{period.years}-{period.months}-"
                      f"{period.days}\x1f{period.after.name if period.after else ''}\x1f{period.interruptible}"
                      f"{period.suspendable}{period.extendable}{period.own}{period.advance_aid}\x1f{period.rule}"
                      f"\x1f{period.passed}\x1e"
                      .encode())
    return digest.hexdigest()[:DIGEST_CHARS]


def review_findings(pack: ContentPack) -> tuple[list[str], list[str]]:
    """(errors, stale): flows with no review record, and flows whose relied-on texts changed after their review."""
    errors, stale = [], []
    for flow in pack.flows.values():
        if flow.reviewed is None:
            errors.append(f"{flow.where}: flow {flow.id} has no `reviewed:` record "
                          f"(kiosk content review {flow.id} --by NAME --against TEXTS)")
        elif flow.reviewed.texts != texts_digest(pack, flow):
            newer = [f"{p.law}第{p.article}条" for p in relied_on(pack, flow)[0]
                     if p.version_date is not None and p.version_date > flow.reviewed.on]
            stale.append(f"{flow.where}: flow {flow.id}: texts it cites changed after its review of "
                         f"{flow.reviewed.on.isoformat()} by {flow.reviewed.by}"
                         + (f" (newer versions: {'、'.join(newer)})" if newer else "") + "; review it again")
    return errors, stale


_RECORD = re.compile(r"^reviewed:.*\n", re.MULTILINE)


def record_review(root: Path, pack: ContentPack, flow_id: str, *, by: str, against: str, on: date) -> str:
    """Write the one-line `reviewed:` record of `flow_id` (replacing the old one, else after `title:`); return it."""
    flow = pack.flow(flow_id)
    line = (f"reviewed: {{by: \"{by}\", date: {on.isoformat()}, against: \"{against}\", "
            f"texts: \"{texts_digest(pack, flow)}\"}}\n")
    path = root / "flows" / f"{flow_id}.yaml"
    text = path.read_text(encoding="utf-8")
    if _RECORD.search(text):
        text = _RECORD.sub(lambda _m: line, text, count=1)
    else:
        text = re.sub(r"^(title:.*\n)", lambda m: m.group(1) + line, text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    return line.strip()
