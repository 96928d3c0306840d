"""Each terminal's health history (issue 16, 终端详情): five-minute samples of what the store holds, taken once per
slot however many workers sample, folded into hourly samples that keep an hour's worst after two days, deleted after
thirty (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.console import history, store
from kiosk.fleet.console.server import open_store
from kiosk.fleet.console.web import timeline

REGION, EPOCH = "r320102", 5
T0_MS = 1_790_000_000_000 - 1_790_000_000_000 % history.HOUR_MS
"""An hour's start: the first sample's slot."""


@pytest.fixture
def console(console_target):
    db = open_store(console_target)
    db.start()
    yield db
    db.stop()


def _birth(kid: str, backlog: int, offset_ms: int) -> tuple:
    position = protocol.StreamPosition(epoch=EPOCH, last_seq=backlog, acked_seq=0, backlog=backlog, dropped=0)
    birth = protocol.Birth(sess=1, boot="b", sw="1.4.0", minors=[1, 2], desired_version=0,
                           streams={"hw": position}, clk=protocol.ClockState(offset_ms=offset_ms))
    return protocol.parse_topic(protocol.Topics(REGION, kid).up("birth")), birth


def _paper(kid: str, seq: int, state: str, at_ms: int) -> tuple:
    payload = protocol.encode_batch("hw", EPOCH, seq, "b", [(seq, at_ms, seq, "printer.paper", f'{{"state":"{state}"}}')],
                                    protocol.ClockState())
    return (protocol.parse_topic(protocol.Topics(REGION, kid).tel("hw")),
            protocol.decode(protocol.Kind.TELEMETRY, payload))


def _state(kid: str, online: bool) -> tuple:
    state = protocol.State(online=online, sess=1, ts=T0_MS)
    return protocol.parse_topic(protocol.Topics(REGION, kid).state), state


def ingest(console, *messages: tuple, at_ms: int) -> None:
    console.call(lambda c: store.ingest(c, [(ref, message, at_ms) for ref, message in messages]))


def samples(console, kid: str = "k-1") -> list[dict]:
    return console.call(lambda c: history.rows(c, kid, 0))


def test_two_workers_sampling_one_slot_write_one_sample_per_kiosk(console):
    """GIVEN two kiosks WHEN two workers sample the same five-minute slot, the second after the first kiosk's paper
    ran out THEN each kiosk has one sample there, as the first worker saw it; the next slot shows the change."""
    ingest(console, _birth("k-1", 0, 0), _birth("k-2", 0, 0), _state("k-1", True), _paper("k-1", 1, "ok", T0_MS),
           at_ms=T0_MS)
    assert console.call(lambda c: history.sample(c, T0_MS + 1000)) == T0_MS
    ingest(console, _paper("k-1", 2, "out", T0_MS + 2000), at_ms=T0_MS + 2000)
    console.call(lambda c: history.sample(c, T0_MS + 3000))
    assert [(s["at_ms"], s["online"], s["paper"]) for s in samples(console)] == [(T0_MS, 1, "ok")]
    assert [(s["online"], s["paper"]) for s in samples(console, "k-2")] == [(0, None)]
    console.call(lambda c: history.sample(c, T0_MS + history.SAMPLE_MS))
    assert [s["paper"] for s in samples(console)] == ["ok", "out"]


def test_an_hour_older_than_two_days_folds_into_its_worst_and_thirty_days_are_kept(console):
    """GIVEN twelve five-minute samples of one hour: online but for two, paper out in one, a backlog and clock
    offset peaking once WHEN folded two days later THEN one hourly sample keeps 10 of 12 online, paper out, the
    largest backlog and offset, the last versions; the next hour, still recent, stays fine; after thirty days
    everything of that hour is gone."""
    for n in range(13):
        at = T0_MS + n * history.SAMPLE_MS
        paper = "out" if n == 5 else "near_end" if n == 6 else "ok"
        ingest(console, _birth("k-1", 40 if n == 7 else n, -9000 if n == 3 else 100), _state("k-1", n not in (8, 9)),
               _paper("k-1", n + 1, paper, at), at_ms=at)
        console.call(lambda c, at=at: history.sample(c, at))
    folded = console.call(lambda c: history.fold(c, T0_MS + history.FINE_KEPT_MS + history.HOUR_MS))
    assert folded == 1
    hourly, fine = samples(console)
    assert (hourly["at_ms"], hourly["span_ms"], hourly["samples"], hourly["online"]) == (
        T0_MS, history.HOUR_MS, 12, 10)
    assert (hourly["paper"], hourly["clock_offset_ms"], hourly["sw"]) == ("out", -9000, "1.4.0")
    assert hourly["backlog"] == 40 - 8  # announced 40, of which the 8 paper events stored by then are held
    assert (fine["at_ms"], fine["span_ms"]) == (T0_MS + history.HOUR_MS, history.SAMPLE_MS)
    assert console.call(lambda c: history.fold(c, T0_MS + history.FINE_KEPT_MS + history.HOUR_MS)) == 0
    console.call(lambda c: history.fold(c, T0_MS + history.KEPT_MS + history.HOUR_MS + 1))
    assert samples(console) == []


def test_the_page_draws_each_sample_and_lists_what_changed():
    """GIVEN three samples (online, then paper out with a fault, then offline) WHEN the page's view is built
    THEN each strip has a bar per sample coloured by state, the backlog line breaks where a slot is missing, and the
    changes list them newest first."""
    base = {"samples": 1, "online": 1, "paper": "ok", "faults": "", "backlog": 0, "clock_offset_ms": 0, "sw": "1.4.0",
            "applied_version": 2, "desired_version": 2, "content_version": "2026.12.1", "span_ms": history.SAMPLE_MS}
    rows = [dict(base, at_ms=T0_MS), dict(base, at_ms=T0_MS + history.SAMPLE_MS, paper="out",
                                         faults="idcard:IDC-031", backlog=12),
            dict(base, at_ms=T0_MS + 3 * history.SAMPLE_MS, online=0, backlog=30)]
    view = timeline.view(rows, 1, T0_MS + 4 * history.SAMPLE_MS)
    (_, presence), (_, paper), (_, faults) = view["strips"]
    assert [b.kind for b in presence] == ["up", "up", "down"] and [b.kind for b in paper] == ["up", "down", "up"]
    assert [b.kind for b in faults] == ["up", "down", "up"] and "IDC-031" in faults[1].title
    (_label, backlog, largest), _clock = view["lines"]
    assert len(backlog) == 2 and largest == "30"
    assert [(c["presence"], c["paper"], c["faults"]) for c in view["changes"]] == [
        ("离线", "正常", "无"), ("在线", "缺纸", "idcard:IDC-031"), ("在线", "正常", "无")]
