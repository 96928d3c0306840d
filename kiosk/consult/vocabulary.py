"""The closed vocabularies content, the opinion, telemetry and the bureau's reports share: one list each.

Why: an id spelled two ways (`woman` in one place, `women` in another) silently drops a count from the bureau's
report or a telemetry event at the broker. The content loader rejects any id not listed here, and the telemetry
catalogue and reports import these very lists. Way-forward kinds are `kiosk.consult.document.WayKind`; legal
periods are declared in the pack's periods.yaml.
"""

from __future__ import annotations

TOPICS = (
    "labor", "work_injury", "marriage_family", "inheritance", "domestic_violence", "debt", "contract",
    "consumer", "traffic_accident", "medical", "personal_injury", "property", "land_demolition", "criminal",
    "administrative", "social_security", "legal_aid", "mediation", "notarization", "referral",
)
"""Topic and service ids of DESIGN §5 (stable across content, triage, telemetry and reports)."""

SPECIAL_GROUPS = ("migrant_worker", "women", "elderly", "minor", "disabled", "military")
"""Legal-aid special groups (法律援助法 Art. 42 and the bureau's report); content writes `group: ""` for none."""
