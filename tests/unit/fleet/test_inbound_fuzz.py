"""Every inbound handler takes garbage, truncated, oversized and wrongly typed payloads without crashing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config.schema import FleetConfig, KioskIdentity
from kiosk.fleet import protocol
from kiosk.fleet.agent import Collaborators, FleetAgent
from kiosk.fleet.console import store

KID, REGION = "k-0001", "r1"
TOPICS = protocol.Topics(REGION, KID)
DEVICE_TOPICS = [TOPICS.down("desired"), TOPICS.down("cmd"), TOPICS.down("job"), TOPICS.down("ack"), TOPICS.down("res"),
                 protocol.SERVER_STATE_TOPIC, f"kiosk/v1/{REGION}/_all/down/cmd", "kiosk/v1/r1/k-0002/down/cmd",
                 TOPICS.tel("ui"), "garbage/topic", "kiosk/v1/r1/k-0001/down/desired/extra"]
SERVER_TOPICS = [TOPICS.state, TOPICS.up("birth"), TOPICS.tel("ui"), TOPICS.up("reported"), TOPICS.up("res"),
                 TOPICS.up("req"), TOPICS.up("job")]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=6),
    max_leaves=30)
VALID = {
    protocol.Kind.COMMAND: b'{"id":"c1","name":"ping","args":{},"issued":1,"expires":99999999999999}',
    protocol.Kind.DESIRED: b'{"v":1,"version":3,"config":{"session":{"idle_timeout_s":60.0}}}',
    protocol.Kind.ACK: b'{"acks":{"ui":{"epoch":5,"upto":3}},"srv_ts":1}',
    protocol.Kind.JOB: (b'{"job":"j1","exec_ver":1,"type":"content","version":"1.0","expires":99999999999999,'
                        b'"artifact":{"url":"http://127.0.0.1:1/p","size":10,"sha256":"' + b"0" * 64
                        + b'","signature":"' + b"0" * 128 + b'"}}'),
    protocol.Kind.TELEMETRY: protocol.encode_batch("ui", 5, 1, "b", [(1, 1, 1, "ui.view", '{"screen":"x"}')],
                                                   protocol.ClockState()),
}


def mutations() -> st.SearchStrategy[bytes]:
    valid = st.sampled_from(list(VALID.values()))
    return st.one_of(
        st.binary(max_size=300),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.tuples(valid, st.integers(0, 200)).map(lambda t: t[0][: t[1]]),
        st.tuples(valid, st.dictionaries(st.sampled_from(["v", "id", "name", "args", "version", "config", "acks",
                                                          "epoch", "base", "q", "t", "m", "x", "vocab",
                                                          "boot", "expires", "extra"]),
                                         json_values, max_size=4))
        .map(lambda t: json.dumps({**json.loads(t[0]), **t[1]}).encode()),
        st.integers(protocol.MAX_PAYLOAD_BYTES - 10, protocol.MAX_PAYLOAD_BYTES + 10).map(
            lambda n: (b'{"id":"big","name":"ping","pad":"' + b"x" * n + b'"}')),
    )


@pytest.fixture
def agent(db, outbox, clock):
    agent = FleetAgent(FleetConfig(), KioskIdentity(id=KID, region=REGION), db=db, outbox=outbox, clock=clock, boot_id="b", sw_version="t",
                       collaborators=Collaborators(apply_desired=lambda _document: None,
                                                   is_idle=lambda: True, handlers={}))
    sent: list[tuple[str, bytes]] = []
    agent._link.publish = lambda topic, payload, retain=False: sent.append((topic, payload))
    return agent, sent


def test_every_kind_a_kiosk_accepts_has_its_handler_in_the_agent_s_table(agent):
    fleet_agent, _sent = agent
    assert set(fleet_agent._inbound) == protocol.DEVICE_INBOUND


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(topic=st.sampled_from(DEVICE_TOPICS), payload=mutations())
def test_agent_inbound_never_crashes_and_answers_what_it_owes(agent, topic, payload):
    fleet_agent, sent = agent
    before = len(sent)
    fleet_agent.handle(topic, payload)
    reply_kinds = {"res": protocol.Kind.COMMAND_RESULT, "job": protocol.Kind.JOB_STATUS,
                   "reported": protocol.Kind.REPORTED}
    for sent_topic, reply in sent[before:]:
        assert sent_topic.startswith(TOPICS.base + "/up/")
        protocol.decode(reply_kinds[sent_topic.rsplit("/", 1)[1]], reply)  # every reply owed is well-formed


@settings(max_examples=300, deadline=None)
@given(topic=st.sampled_from(SERVER_TOPICS), payload=mutations())
def test_server_decode_never_crashes(topic, payload):
    ref = protocol.parse_topic(topic)
    try:
        message = protocol.decode(ref.kind, payload)
    except protocol.Rejected as exc:
        assert exc.reason
        return
    assert len(payload) <= protocol.MAX_PAYLOAD_BYTES
    assert isinstance(message, protocol.MODELS[ref.kind])


def test_store_ingests_every_valid_server_message_kind(tmp_path, clock):
    from kiosk.fleet.console.server import open_store

    database = open_store(tmp_path / "c.db", clock)
    database.start()
    try:
        items = [(protocol.parse_topic(TOPICS.tel("ui")), protocol.decode(protocol.Kind.TELEMETRY,
                                                                          VALID[protocol.Kind.TELEMETRY]), 1),
                 (protocol.parse_topic(TOPICS.state), protocol.State(online=True, sess=2), 2)]
        outcome = database.call(lambda d: store.ingest(d, items))
        assert outcome.acks == {(REGION, KID): {"ui": (5, 1)}}
    finally:
        database.stop()


@pytest.mark.parametrize("topic", ["", "/", "kiosk/v1", "kiosk/v2/r/k/state", "kiosk/v1/r/k/up/tel/nope",
                                   "kiosk/v1/r/_all/down/desired", "kiosk/v1/r/../down/cmd", "kiosk/v1/r/k/up"])
def test_bad_topics_are_refused_with_a_reason(topic):
    with pytest.raises(protocol.Rejected) as info:
        protocol.parse_topic(topic)
    assert info.value.reason
