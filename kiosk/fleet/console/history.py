"""Each terminal's health over time: a sample every five minutes of what `health.current` holds (presence, paper,
device faults, backlog, clock offset, versions), folded into hourly samples after two days, kept thirty days.

Why: an operator asked about a terminal wants to see since when it has been out of paper, whether its backlog keeps
growing, whether it drops offline every evening; the store keeps only the latest state. Samples are taken by the
ingest workers' watch (`watch`): every worker samples the same five-minute slot, the first one's rows stand
(INSERT … ON CONFLICT DO NOTHING), so samples neither go missing while one worker is down nor double. Folding keeps
what an hour held at its worst (paper state, faults, the largest backlog and clock offset) and how many of its
samples were online, so a short fault is not lost to the downsampling.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, and_, bindparam, delete, select

from kiosk.fleet.console import health
from kiosk.fleet.console.dialect import once
from kiosk.fleet.console.schema import health_samples

SAMPLE_MS = 5 * 60_000
HOUR_MS = 3_600_000
FINE_KEPT_MS = 2 * 86_400_000
"""Five-minute samples are kept this long, then folded into hourly ones."""
KEPT_MS = 30 * 86_400_000
"""Samples older than this are deleted."""
PAPER_SEVERITY = ("ok", "near_end", "cover_open", "out", "offline")
"""Paper states from the least to the most serious (an hour keeps its worst)."""

FIELDS = ("samples", "online", "paper", "faults", "backlog", "clock_offset_ms", "sw", "applied_version",
          "desired_version", "content_version")


def _faults(devices: dict[str, tuple[str, str | None]]) -> str:
    """The devices at fault with their codes, as `device:code` sorted and comma-joined ("" when none)."""
    return ",".join(sorted(f"{device}:{code or ''}" for device, (state, code) in devices.items()
                           if state == health.FAULT_STATE))


def _sample_statement(insert_for):
    return insert_for(health_samples).values(
        kid=bindparam("kid"), at_ms=bindparam("at_ms"), span_ms=bindparam("span_ms"),
        **{name: bindparam(name) for name in FIELDS}).on_conflict_do_nothing(
        index_elements=[health_samples.c.kid, health_samples.c.at_ms])


_SAMPLE = once(_sample_statement)


def sample(c: Connection, now_ms: int) -> int:
    """Take the five-minute slot of `now_ms` for every kiosk that has none yet; returns the slot's start (ms)."""
    slot = now_ms - now_ms % SAMPLE_MS
    rows = [{"kid": row["kid"], "at_ms": slot, "span_ms": SAMPLE_MS, "samples": 1, "online": row["online"],
             "paper": row["devices"].get(health.PAPER, (None, None))[0], "faults": _faults(row["devices"]),
             "backlog": row["backlog"], "clock_offset_ms": row["clock_offset_ms"], "sw": row["sw"],
             "applied_version": row["applied_version"], "desired_version": row["desired_version"],
             "content_version": row["content_version"]} for row in health.current(c)]
    if rows:
        c.execute(_SAMPLE(c), rows)
    return slot


def _worst_paper(states: Iterable[str | None]) -> str | None:
    known = [state for state in states if state is not None]
    return max(known, key=lambda state: PAPER_SEVERITY.index(state) if state in PAPER_SEVERITY else
               len(PAPER_SEVERITY), default=None)


def _fold_hour(kid: str, hour_ms: int, fine: list[dict]) -> dict:
    """One hourly sample from an hour's five-minute ones (in time order): its worst and its last."""
    offsets = [row["clock_offset_ms"] for row in fine if row["clock_offset_ms"] is not None]
    last = fine[-1]
    return {"kid": kid, "at_ms": hour_ms, "span_ms": HOUR_MS, "samples": sum(row["samples"] for row in fine),
            "online": sum(row["online"] for row in fine), "paper": _worst_paper(row["paper"] for row in fine),
            "faults": ",".join(sorted({f for row in fine for f in row["faults"].split(",") if f})),
            "backlog": max(row["backlog"] for row in fine),
            "clock_offset_ms": max(offsets, key=abs, default=None), "sw": last["sw"],
            "applied_version": last["applied_version"], "desired_version": last["desired_version"],
            "content_version": last["content_version"]}


def fold(c: Connection, now_ms: int) -> int:
    """Fold the five-minute samples of whole hours older than FINE_KEPT_MS into hourly ones and delete samples
    older than KEPT_MS; returns the hourly samples written. Two workers folding at once write the same rows."""
    h = health_samples.c
    before = now_ms - FINE_KEPT_MS
    before -= before % HOUR_MS
    hours: dict[tuple[str, int], list[dict]] = {}
    for row in c.execute(select(health_samples).where(h.span_ms == SAMPLE_MS, h.at_ms < before)
                         .order_by(h.kid, h.at_ms)).mappings():
        hours.setdefault((row["kid"], row["at_ms"] - row["at_ms"] % HOUR_MS), []).append(dict(row))
    c.execute(delete(health_samples).where(h.span_ms == SAMPLE_MS, h.at_ms < before))
    folded = [_fold_hour(kid, hour_ms, fine) for (kid, hour_ms), fine in hours.items()]
    if folded:
        c.execute(_SAMPLE(c), folded)
    c.execute(delete(health_samples).where(h.at_ms < now_ms - KEPT_MS))
    return len(folded)


def rows(c: Connection, kid: str, since_ms: int) -> list[dict]:
    """The kiosk's samples from `since_ms` on, oldest first."""
    h = health_samples.c
    return [dict(row) for row in c.execute(select(health_samples).where(and_(h.kid == kid, h.at_ms >= since_ms))
                                           .order_by(h.at_ms)).mappings()]
