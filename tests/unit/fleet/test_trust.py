"""The console trusts no sequence number blindly: forged jumps and replays are kept aside, rewinds close the epoch
and force a new one, and acks never name more than the sender showed (store level, SQLite on disk and PostgreSQL)."""

from __future__ import annotations

import pytest

from kiosk.fleet import protocol
from kiosk.fleet.console import store, trust
from kiosk.fleet.console.server import open_store
from tests.postgres import query

KID, REGION, EPOCH = "k-0001", "r320102", 7
TOPICS = protocol.Topics(REGION, KID)
TEL, BIRTH = protocol.parse_topic(TOPICS.tel("ui")), protocol.parse_topic(TOPICS.up("birth"))
T0_MS = 1_790_000_000_000
RESTORED = "boot-2"
"""The boot of a kiosk restored from an older copy of its database (it was restarted to restore it)."""
NOW_MS = T0_MS + 86_400_000


@pytest.fixture
def console(console_target):
    db = open_store(console_target)
    db.start()
    yield db
    db.stop()


def batch(first: int, last: int, *, epoch: int = EPOCH, base: int = 1, t0: int = T0_MS,
          boot: str = "boot-1") -> protocol.Batch:
    """Taps `first`…`last`, one a second from `t0` + seq seconds."""
    events = [(q, t0 + q * 1000, q * 1000, "ui.tap", '{"screen":"home","control":"c1"}')
              for q in range(first, last + 1)]
    return protocol.decode(protocol.Kind.TELEMETRY,
                           protocol.encode_batch("ui", epoch, base, boot, events, protocol.ClockState()))


def birth(last: int, acked: int, epoch: int = EPOCH, boot: str = "boot-1") -> protocol.Birth:
    position = protocol.StreamPosition(epoch=epoch, last_seq=last, acked_seq=acked, backlog=last - acked, dropped=0)
    return protocol.Birth(sess=1, boot=boot, sw="t", minors=[1, 2], desired_version=0, streams={"ui": position},
                          clk=protocol.ClockState())


def ingest(console, *messages: protocol.Message, received_ms: int = NOW_MS) -> store.Outcome:
    items = [(BIRTH if isinstance(m, protocol.Birth) else TEL, m, received_ms) for m in messages]
    return console.call(lambda d: store.ingest(d, items))


def rows(console, sql: str, *params) -> list[tuple]:
    return console.call(lambda c: query(c, sql, *params))


def stored(console, epoch: int = EPOCH) -> int:
    return rows(console, "SELECT COUNT(*) FROM events WHERE epoch = ?", epoch)[0][0]


def test_a_forged_leap_is_quarantined_once_alerted_and_moves_nothing(console):
    """GIVEN a kiosk that announced seq 240 and sent 1-240
    WHEN a batch on its epoch claims seqs from 1,000,000 (twice), and another claims everything below 500,000
    released THEN neither is stored, counted or acked, each is kept aside once with an alert and a rebirth asked
    for, and the kiosk's next real events are stored and acked as before."""
    ingest(console, birth(240, 0), batch(1, 240))
    forged = [batch(1_000_000, 1_000_009), batch(1_000_000, 1_000_009), batch(500_000, 500_000, base=500_000)]
    outcome = ingest(console, *forged)
    assert (outcome.stored, outcome.quarantined, outcome.acks) == (0, 3, {})
    assert [c.name for _r, _k, c in outcome.commands] == ["rebirth", "rebirth"]
    assert rows(console, "SELECT first, reason, hits FROM quarantine ORDER BY first") == [
        (500_000, trust.SEQ_JUMP, 1), (1_000_000, trust.SEQ_JUMP, 2)]
    assert [kind for (kind,) in rows(console, "SELECT kind FROM alerts")] == [trust.SEQ_JUMP] * 2
    assert rows(console, "SELECT upto, high FROM streams") == [(240, 240)]
    outcome = ingest(console, batch(241, 480))
    assert outcome.acks == {(REGION, KID): {"ui": (EPOCH, 480)}} and stored(console) == 480
    [row] = console.call(store.kiosk_rows)
    assert (row["quarantined"], row["alerts"], row["events"], row["gap"]) == (2, 2, 480, 0)


def test_a_leap_the_kiosk_s_birth_announces_is_taken(console):
    """GIVEN a kiosk that evicted events (its base jumps) WHEN its birth announced it THEN the batch is stored."""
    ingest(console, batch(1, 10))
    outcome = ingest(console, birth(400_000, 10), batch(300_001, 300_010, base=300_001))
    assert (outcome.stored, outcome.quarantined) == (10, 0)
    assert outcome.acks == {(REGION, KID): {"ui": (EPOCH, 300_010)}}


def test_a_rewound_kiosk_is_told_to_start_a_new_epoch_after_what_it_holds_checks_out(console):
    """GIVEN seqs 1-1000 stored WHEN a birth of a later boot announces last 300, acked 200 (restored from an older
    copy)
    THEN a rewind is recorded and the epoch closed above 300; its resent 201-300 match and are acked, and then
    (not before) new_epoch from 301 is issued; seqs above 300 are never stored or acked again."""
    ingest(console, batch(1, 1000))
    outcome = ingest(console, birth(300, 200, boot=RESTORED))
    assert outcome.commands == [] and rows(console, "SELECT ceiling FROM streams") == [(300,)]
    assert rows(console, "SELECT cause, high, ceiling, forced_ms FROM rewinds") == [("birth", 1000, 300, None)]
    outcome = ingest(console, batch(201, 250))
    assert outcome.acks == {(REGION, KID): {"ui": (EPOCH, 250)}} and outcome.commands == []
    outcome = ingest(console, batch(251, 300), batch(301, 350, t0=T0_MS + 10**7))
    assert outcome.acks == {(REGION, KID): {"ui": (EPOCH, 300)}} and outcome.stored == 0
    [(_region, _kid, command)] = outcome.commands
    assert (command.name, command.args) == ("new_epoch", {"stream": "ui", "epoch": EPOCH, "from_seq": 301})
    assert rows(console, "SELECT name FROM commands") == [("new_epoch",)]
    ingest(console, birth(50, 0, epoch=8, boot=RESTORED), batch(1, 50, epoch=8, t0=T0_MS + 10**7))
    assert rows(console, "SELECT new_epoch, resolved_ms FROM rewinds") == [(8, NOW_MS)]
    assert stored(console, 8) == 50 and stored(console) == 1000
    assert [kind for (kind,) in rows(console, "SELECT kind FROM alerts ORDER BY id")] == [trust.REWIND,
                                                                                         trust.EPOCH_FORCED]


def test_a_new_epoch_the_kiosk_let_expire_is_sent_again_on_its_next_birth(console):
    """GIVEN a rewind forced at once (the restored copy held nothing unacked) WHEN the kiosk is born again on the
    old epoch after the command expired THEN a fresh new_epoch is issued, without a second alert; not before."""
    ingest(console, batch(1, 1000))
    first = ingest(console, birth(300, 300, boot=RESTORED)).commands
    assert [c.args["from_seq"] for _r, _k, c in first] == [301]
    assert ingest(console, birth(300, 300, boot=RESTORED), received_ms=NOW_MS + 1000).commands == []
    later = NOW_MS + (trust.NEW_EPOCH_TTL_S + 1) * 1000
    [(_region, _kid, again)] = ingest(console, birth(300, 300, boot=RESTORED), received_ms=later).commands
    assert again.name == "new_epoch" and again.id != first[0][2].id and again.args["from_seq"] == 301
    assert [kind for (kind,) in rows(console, "SELECT kind FROM alerts ORDER BY id")] == [trust.REWIND,
                                                                                         trust.EPOCH_FORCED]


def test_new_events_reusing_held_seqs_are_caught_by_their_times_even_past_the_high_mark(console):
    """GIVEN seqs 1-1000 stored WHEN a restored kiosk that recorded past 1000 before connecting announces 1200
    and resends 201-400 of which 281 on are new events THEN 281 is where the epoch closes, nothing of the new
    events is stored under the old numbers, and the ack stops at 280 although 1-1000 are held."""
    ingest(console, batch(1, 1000))
    ingest(console, birth(1200, 200))
    outcome = ingest(console, batch(201, 280), batch(281, 400, t0=T0_MS + 10**7))
    assert outcome.stored == 0 and outcome.acks == {(REGION, KID): {"ui": (EPOCH, 280)}}
    assert rows(console, "SELECT cause, ceiling FROM rewinds") == [("collision", 280)]
    [(_region, _kid, command)] = outcome.commands
    assert command.args["from_seq"] == 281


def test_an_old_batch_replayed_under_a_new_epoch_is_kept_aside(console):
    """GIVEN epoch 7's events stored (1,000 taps over 17 minutes) WHEN its first 100 come again under epoch 9
    THEN they are quarantined as a replay, not counted; events of epoch 9 recorded after epoch 7's last are
    stored."""
    ingest(console, batch(1, 1000))
    outcome = ingest(console, batch(1, 100, epoch=9))
    assert (outcome.stored, outcome.quarantined) == (0, 1)
    assert rows(console, "SELECT reason FROM quarantine") == [(trust.REPLAY,)]
    assert stored(console, 9) == 0
    outcome = ingest(console, batch(1, 100, epoch=9, t0=T0_MS + 1_000_000))
    assert (outcome.stored, outcome.quarantined) == (100, 0)


def test_an_ack_names_no_more_than_the_sender_showed_since_its_birth(console):
    """GIVEN seqs 1-1000 stored WHEN the kiosk is born again acked 900 and resends 901-950 THEN the ack says 950."""
    ingest(console, batch(1, 1000))
    outcome = ingest(console, birth(1000, 900), batch(901, 950))
    assert outcome.acks == {(REGION, KID): {"ui": (EPOCH, 950)}}


def test_a_birth_taken_after_the_kiosk_s_later_batches_is_no_rewind(console):
    """GIVEN a birth announcing last 1000 that another worker takes only after the kiosk's next batch 1001-1100
    (recorded after the birth, same boot) WHEN the birth is taken THEN nothing is rewound or forced, and the next
    batch is stored and acked."""
    ingest(console, birth(900, 900), batch(1, 1000))
    assert ingest(console, batch(1001, 1100)).acks == {(REGION, KID): {"ui": (EPOCH, 1100)}}
    outcome = ingest(console, birth(1000, 1000))
    assert outcome.commands == [] and rows(console, "SELECT COUNT(*) FROM rewinds") == [(0,)]
    assert ingest(console, batch(1101, 1200)).acks == {(REGION, KID): {"ui": (EPOCH, 1200)}}
    assert stored(console) == 1200 and rows(console, "SELECT ceiling FROM streams") == [(None,)]


def test_a_kiosk_restored_within_one_boot_is_caught_when_it_resends(console):
    """GIVEN seqs 1-1000 stored WHEN a kiosk restored without a reboot (same boot) is born with last 300 THEN the
    birth alone closes nothing; its first new event at 301 collides and the epoch closes above 300."""
    ingest(console, batch(1, 1000))
    assert ingest(console, birth(300, 300)).commands == []
    outcome = ingest(console, batch(301, 320, t0=T0_MS + 10**7))
    assert outcome.stored == 0 and rows(console, "SELECT cause, ceiling FROM rewinds") == [("collision", 300)]
    assert [c.args["from_seq"] for _r, _k, c in outcome.commands] == [301]


def test_a_birth_sees_what_its_own_run_stored(console):
    """GIVEN one transaction (the ingest writes its batch rows at the end of the run, or before a read needs them)
    WHEN it stores seqs 1-1000 and then takes a birth of a later boot announcing last 300 acked 250, and the resent
    251-300 THEN the epoch closes above 300 and new_epoch from 301 is issued, as when each came in its own
    transaction."""
    outcome = ingest(console, batch(1, 1000), birth(300, 250, boot=RESTORED), batch(251, 300))
    assert outcome.stored == 1000
    assert rows(console, "SELECT cause, high, ceiling FROM rewinds") == [("birth", 1000, 300)]
    assert [c.args for _r, _k, c in outcome.commands] == [{"stream": "ui", "epoch": EPOCH, "from_seq": 301}]


def test_a_collision_with_what_its_own_run_stored_is_found(console):
    """GIVEN one transaction WHEN it stores seqs 1-40 and then 30-60 recorded at other times (a restore within one
    boot), and the kiosk is born on a new epoch THEN the collision at 30 closes the epoch above 29, only 1-40 are
    stored, new_epoch from 30 is issued, and the birth resolves the rewind."""
    outcome = ingest(console, batch(1, 40), batch(30, 60, t0=T0_MS + 10**7), birth(31, 0, epoch=8))
    assert outcome.stored == 40 and stored(console) == 40
    assert rows(console, "SELECT cause, high, ceiling, new_epoch FROM rewinds") == [("collision", 40, 29, 8)]
    assert [c.args["from_seq"] for _r, _k, c in outcome.commands] == [30]
