"""The closed vocabularies content, the opinion, telemetry and the bureau's reports share: one list each.

Why: an id spelled two ways (`woman` in one place, `women` in another) silently drops a count from the bureau's
report or a telemetry event at the broker. Special groups are fixed by law and counted by the bureau's report, so
their list is here, in code. Topics and services are declared by the content pack (pack.yaml `topics:`, read into
`Topic`s by the loader), so that a content job can add one with its flow: the loader checks flows against the
pack's own list, the kiosk's telemetry gate against the installed pack's, and the console counts any topic id,
naming the ones its pack declares. Way-forward kinds are `kiosk.legal.document.WayKind`; legal periods are
declared in the pack's periods.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOPIC_KINDS = ("topic", "service")
"""A topic is a legal problem area; a service (legal aid, mediation, notarisation, referral) is a flow too."""

TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
"""A topic id: stable, never renamed, and an `ident` of the telemetry catalogue (at most 48 characters)."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic or service a pack declares: its id, its kind and its name in the bureau's report."""

    id: str
    kind: str
    name: str


SPECIAL_GROUPS = ("migrant_worker", "women", "elderly", "minor", "disabled", "military")
"""Legal-aid special groups (法律援助法 Art. 42 and the bureau's report); content writes `group: ""` for none."""
