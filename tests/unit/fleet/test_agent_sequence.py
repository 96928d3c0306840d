"""The agent's side of sequence trust: an ack never releases what the kiosk has not sent, and `new_epoch` moves the
stream's held events into a fresh epoch and announces it (real outbox on disk, publishing captured)."""

from __future__ import annotations

import json

import pytest

from kiosk.config.schema import FleetConfig, KioskIdentity
from kiosk.fleet import protocol
from kiosk.fleet.agent import Collaborators, FleetAgent

KID, REGION = "k-0001", "r1"
TOPICS = protocol.Topics(REGION, KID)


@pytest.fixture
def agent(db, outbox, clock):
    agent = FleetAgent(FleetConfig(batch_max_events=20), KioskIdentity(id=KID, region=REGION), db=db, outbox=outbox,
                       clock=clock, boot_id="b", sw_version="t",
                       collaborators=Collaborators(apply_desired=lambda _document: None, is_idle=lambda: True,
                                                   handlers={}))
    sent: list[tuple[str, bytes]] = []
    agent._link.session = 1  # as after a connect
    agent._link.publish = lambda topic, payload, retain=False: sent.append((topic, payload))
    return agent, sent


def _taps(outbox, n: int) -> None:
    for i in range(n):
        outbox.record("ui", "ui.tap", {"screen": "home", "control": f"c{i}"})
    assert outbox.flush()


def _ack(epoch: int, upto: int) -> bytes:
    return protocol.encode(protocol.Ack(acks={"ui": protocol.StreamAck(epoch=epoch, upto=upto)}, srv_ts=1))


def test_an_ack_past_what_was_sent_releases_only_what_was_sent(agent, outbox):
    """GIVEN 50 events of which 1-20 were sent WHEN an ack claims 1,000,000 THEN only 1-20 are released, the
    cursor stays at 21 and the claim is counted; an ack of another epoch releases nothing."""
    fleet_agent, sent = agent
    _taps(outbox, 50)
    epoch = outbox.positions()["ui"].epoch
    fleet_agent._drain.send_batch("ui", 1)
    assert protocol.decode(protocol.Kind.TELEMETRY, sent[-1][1]).last == 20
    fleet_agent.handle(TOPICS.down("ack"), _ack(epoch + 1, 20))
    assert outbox.positions()["ui"].acked_seq == 0
    fleet_agent.handle(TOPICS.down("ack"), _ack(epoch, 1_000_000))
    position = outbox.positions()["ui"]
    assert (position.acked_seq, position.backlog, position.last_seq) == (20, 30, 50)
    assert fleet_agent._drain.cursor["ui"] == 21 and fleet_agent.counters["acks_beyond_sent"] == 1


def test_new_epoch_moves_the_held_events_restarts_the_cursor_and_announces_it(agent, outbox, clock):
    """GIVEN 50 held events, 1-20 sent WHEN the server sends new_epoch from 31 THEN 31-50 are 1-20 of a fresh epoch,
    the cursor is back at 1, a birth announces the new epoch and the command is answered 200 with it; the same
    command again is answered from the stored reply and changes nothing."""
    fleet_agent, sent = agent
    _taps(outbox, 50)
    old = outbox.positions()["ui"].epoch
    fleet_agent._drain.send_batch("ui", 1)
    command = protocol.Command(id="c1", name="new_epoch", args={"stream": "ui", "epoch": old, "from_seq": 31},
                               issued=0, expires=int(clock.now().timestamp() * 1000) + 60_000)
    fleet_agent.handle(TOPICS.down("cmd"), protocol.encode(command))
    position = outbox.positions()["ui"]
    assert position.epoch != old and (position.last_seq, position.backlog) == (20, 20)
    assert fleet_agent._drain.cursor["ui"] == 1 and not fleet_agent._drain.inflight["ui"]
    births = [protocol.decode(protocol.Kind.BIRTH, p) for t, p in sent if t == TOPICS.up("birth")]
    assert births[-1].streams["ui"].epoch == position.epoch
    replies = [json.loads(p) for t, p in sent if t == TOPICS.up("res")]
    assert [(r["phase"], r["code"]) for r in replies] == [("accepted", 202), ("final", 200)]
    assert replies[-1]["result"] == {"stream": "ui", "epoch": position.epoch, "moved": 20}
    fleet_agent.handle(TOPICS.down("cmd"), protocol.encode(command))
    assert outbox.positions()["ui"] == position and json.loads(sent[-1][1]) == replies[-1]
