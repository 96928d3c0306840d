"""The deploy ACL (deploy/mosquitto/acl) keeps each kiosk inside its own topics on a real Mosquitto."""

from __future__ import annotations

import threading

import paho.mqtt.client as mqtt

from kiosk.fleet import protocol
from tests.integration.fleet.conftest import KIOSK_PASSWORD, REGION


def _publish_as(broker, kid: str, topic: str) -> str:
    """Publish QoS 1 as `kid` and return the PUBACK reason the broker gave."""
    reasons: list[str] = []
    acked = threading.Event()
    connected = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=kid, protocol=mqtt.MQTTv5)
    client.username_pw_set(kid, KIOSK_PASSWORD)
    client.on_connect = lambda *_: connected.set()
    client.on_publish = lambda _c, _u, _mid, rc, _p: (reasons.append(str(rc)), acked.set())
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        assert connected.wait(10)
        client.publish(topic, b"{}", qos=1)
        assert acked.wait(10)
    finally:
        client.disconnect()
        client.loop_stop()
    return reasons[0]


def test_a_kiosk_may_publish_its_own_uplinks_only(broker):
    own, other = protocol.Topics(REGION, "k-0001"), protocol.Topics(REGION, "k-0002")
    assert _publish_as(broker, "k-0001", own.tel("ui")) in ("Success", "No matching subscribers")
    for topic in (other.tel("ui"), other.state, other.up("birth"), own.down("cmd"), protocol.SERVER_STATE_TOPIC):
        assert _publish_as(broker, "k-0001", topic) == "Not authorized", topic


def test_client_id_spoofing_does_not_lend_another_kiosks_topics(broker):
    spoof = protocol.Topics(REGION, "k-0002")
    reasons: list[str] = []
    acked = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="k-0002", protocol=mqtt.MQTTv5)
    client.username_pw_set("k-0001", KIOSK_PASSWORD)
    client.on_publish = lambda _c, _u, _mid, rc, _p: (reasons.append(str(rc)), acked.set())
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        client.publish(spoof.tel("ui"), b"{}", qos=1)
        assert acked.wait(10)
    finally:
        client.disconnect()
        client.loop_stop()
    assert reasons == ["Not authorized"]
