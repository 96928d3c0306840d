"""A bare MQTT 5 client for broker-authorisation tests: it reports what the broker answered, nothing more."""

from __future__ import annotations

import queue

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

WAIT_S = 10.0


class Probe:
    """CONNACK, SUBACK and PUBACK reasons as strings (or `disconnected: …`), the messages received and the
    disconnects seen."""

    def __init__(self, client_id: str, port: int, *, username: str | None = None, password: str | None = None,
                 tls: dict | None = None) -> None:
        self.port = port
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
        if username:
            self.client.username_pw_set(username, password)
        if tls:
            self.client.tls_set(ca_certs=tls["ca_file"], certfile=tls["cert_file"], keyfile=tls["key_file"])
        self.messages: list[tuple[str, bytes]] = []
        self.disconnects: list[str] = []
        self.session_present: bool | None = None
        self._answers: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = lambda _c, _u, _m, rcs, _p: self._answer(str(rcs[0]))
        self.client.on_publish = lambda _c, _u, _m, rc, _p: self._answer(str(rc))
        self.client.on_message = lambda _c, _u, msg: self.messages.append((msg.topic, msg.payload))

    @classmethod
    def kiosk(cls, broker, kid: str, client_id: str | None = None) -> Probe:
        """`kid`'s certificate on the deploy's kiosk listener, asking for `client_id` (default: its own)."""
        tls = broker.kiosk_tls(kid)
        return cls(client_id or kid, tls["port"], tls=tls)

    def _on_connect(self, _c, _u, flags, reason_code, _p) -> None:
        self.session_present = flags.session_present
        self._answer(str(reason_code))

    def _on_disconnect(self, _c, _u, _f, reason_code, _p) -> None:
        """A dropped link answers whatever was waiting (a CONNACK that never came, say)."""
        self.disconnects.append(str(reason_code))
        self._answer(f"disconnected: {reason_code}")

    def _answer(self, reason: str) -> None:
        self._answers.put(reason)

    def next_answer(self) -> str:
        """The broker's next answer (or a dropped link), in the order they came."""
        try:
            return self._answers.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError(f"the broker did not answer within {WAIT_S} s") from None

    def connect(self, clean_start: bool = True, session_expiry_s: int = 0) -> str:
        """The CONNACK reason (paho's loop runs from here until `close`)."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = session_expiry_s
        self.client.connect("127.0.0.1", self.port, keepalive=30, clean_start=clean_start, properties=properties)
        self.client.loop_start()
        return self.next_answer()

    def subscribe(self, topic_filter: str) -> str:
        """The SUBACK reason for one filter at QoS 1."""
        self.client.subscribe(topic_filter, qos=1)
        return self.next_answer()

    def publish(self, topic: str, payload: bytes = b"{}", retain: bool = False) -> str:
        """The PUBACK reason for one QoS 1 message."""
        self.client.publish(topic, payload, qos=1, retain=retain)
        return self.next_answer()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
