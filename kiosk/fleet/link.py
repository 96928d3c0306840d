"""The kiosk's MQTT link (paho 2.x, MQTT 5): one client, connected, looped and published through by the agent thread.

Why: paho's thread safety is "aimed for, not guaranteed" (research §4 #11), so exactly one thread, the agent's,
ever touches the client: it runs paho's network loop itself, and paho's callbacks, which run inside that loop, only
post work to the agent's inbox. Each connect tags its Will and its retained `state` with a fresh persisted session
counter, so the server tells a late Will of an older connection from the current state; a lost link is tried
again on the reconnect schedule (kiosk.fleet.reconnect).

This is the only kiosk module that imports paho.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import paho.mqtt.client as mqtt

from kiosk.config.schema import FleetConfig
from kiosk.core.clock import Clock
from kiosk.core.credentials import FLEET_TLS_KEY, MQTT_PASSWORD, credential_path
from kiosk.fleet import device_store, protocol, tcp
from kiosk.fleet.reconnect import ReconnectSchedule
from kiosk.fleet.server_clock import wall_ms
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)

LOOP_TICK_S = 0.02
"""Seconds one pass of paho's network loop may wait for the socket; bounds the latency of inbox work."""

GOODBYE_WAIT_S = 2.0
"""Seconds the goodbye waits for the broker to take the `offline` state before disconnecting anyway."""

Post = Callable[..., None]
"""`post(fn, *args)`: run `fn(*args)` on the agent thread, between two passes of the network loop."""


@dataclass(frozen=True, slots=True)
class LinkEvents:
    """What the agent does, on its own thread, when the link comes up, goes down or brings a message."""

    up: Callable[[], None]
    """Subscribed and `online` published: announce, resynchronise."""
    down: Callable[[], None]
    message: Callable[[str, bytes], None]


class Link:
    """The MQTT client of one kiosk and its connection's state; every method runs on the agent thread."""

    def __init__(self, fleet: FleetConfig, topics: protocol.Topics, boot_id: str, *, db: Database, clock: Clock,
                 post: Post, events: LinkEvents) -> None:
        self._cfg = fleet
        self._topics = topics
        self._boot_id = boot_id
        self._db = db
        self._clock = clock
        self._post = post
        self._events = events
        self._client: mqtt.Client | None = None
        self._reconnect = ReconnectSchedule(fleet.reconnect_base_s, fleet.reconnect_window_s, fleet.reconnect_cap_s)
        self._next_connect_mono = 0.0
        self.connected = False
        """CONNACK received and not lost since (read from any thread for the maintenance menu)."""
        self.session = 0
        """The session counter of the current or last connect."""
        self.counters = {"publish_failed": 0, "connects": 0}

    @property
    def open(self) -> bool:
        """A client exists (connecting or connected); otherwise the link waits for its next attempt."""
        return self._client is not None

    def delay_first_connect(self) -> None:
        """Spread the first connect over `start_jitter_s`, so a fleet powered on together does not arrive at once."""
        self._next_connect_mono = self._clock.monotonic() + random.uniform(0, self._cfg.start_jitter_s)

    def connect_wait_s(self) -> float:
        """Seconds until the next connect may be tried (0 or less: now)."""
        return self._next_connect_mono - self._clock.monotonic()

    def connect(self) -> None:
        """Start a connection with a fresh session counter in the Will; CONNACK arrives through the loop."""
        self.session = self._db.call(device_store.next_session)
        kid = self._topics.kid
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=kid, protocol=mqtt.MQTTv5)
        try:
            client.username_pw_set(self._cfg.username or kid, self._password())
            if self._cfg.tls:
                client.tls_set(ca_certs=self._cfg.ca_file, certfile=self._cfg.cert_file,
                               keyfile=credential_path(FLEET_TLS_KEY, self._cfg.key_file))
            will = protocol.State(online=False, sess=self.session, reason="lwt")
            client.will_set(self._topics.state, protocol.encode(will), qos=protocol.QOS, retain=True)
            client.max_inflight_messages_set(self._cfg.batches_in_flight + 16)
            client.on_connect = lambda _c, _u, _f, rc, _p: self._post(self._on_connack, rc.is_failure, str(rc))
            client.on_disconnect = lambda _c, _u, _f, rc, _p: self._post(self._on_disconnect, str(rc))
            client.on_message = lambda _c, _u, msg: self._post(self._events.message, msg.topic, msg.payload)
            client.on_socket_open = lambda _c, _u, sock: tcp.send_small_packets_now(sock)
            client.on_publish = lambda _c, _u, _mid, rc, _p: self._post(self._on_puback, rc.is_failure, str(rc))
            client.connect(self._cfg.host, self._cfg.port, keepalive=self._cfg.keepalive_s, clean_start=True)
        except (OSError, ValueError) as exc:
            self._schedule_reconnect(f"connect: {exc}")
            return
        self._client = client
        self.counters["connects"] += 1

    def loop(self) -> bool:
        """One pass of paho's network loop; False if the link failed (it is dropped and a reconnect scheduled)."""
        rc = self._client.loop(LOOP_TICK_S)
        tcp.acknowledge_now(self._client.socket())
        if rc != mqtt.MQTT_ERR_SUCCESS:
            self._lost(f"network loop: {mqtt.error_string(rc)}")
            return False
        return True

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        """Queue a message at the protocol's QoS; dropped (logged) while there is no client."""
        if self._client is None:
            logger.debug("not connected; dropped a %d-byte message to %s", len(payload), topic)
            return
        self._client.publish(topic, payload, qos=protocol.QOS, retain=retain)

    def goodbye(self) -> None:
        """Publish `online:false, reason:shutdown`, wait briefly for it to leave, and disconnect cleanly."""
        client = self._client
        if client is None or not self.connected:
            return
        state = protocol.State(online=False, sess=self.session, ts=wall_ms(self._clock), reason="shutdown")
        info = client.publish(self._topics.state, protocol.encode(state), qos=protocol.QOS, retain=True)
        deadline = self._clock.monotonic() + GOODBYE_WAIT_S
        while not info.is_published() and self._clock.monotonic() < deadline:
            if client.loop(LOOP_TICK_S) != mqtt.MQTT_ERR_SUCCESS:
                break
        client.disconnect()
        self._client = None
        self.connected = False

    def _password(self) -> str | None:
        path = credential_path(MQTT_PASSWORD, self._cfg.password_file)
        return Path(path).read_text(encoding="utf-8").strip() if path else None

    def _schedule_reconnect(self, why: str) -> None:
        now = self._clock.monotonic()
        delay = self._reconnect.next_delay_s(now)
        self._next_connect_mono = now + delay
        logger.info("fleet link down (%s); reconnecting in %.1f s", why, delay)

    def _lost(self, why: str) -> None:
        if self._client is None:
            return
        try:
            self._client.disconnect()
        except (OSError, ValueError):
            logger.debug("disconnect after loss failed", exc_info=True)
        self._client = None
        self.connected = False
        self._events.down()
        self._schedule_reconnect(why)

    def _on_connack(self, failed: bool, reason: str) -> None:
        if failed:
            self._lost(f"refused: {reason}")
            return
        self.connected = True
        self._reconnect.connected(self._clock.monotonic())
        for topic in self._topics.subscriptions:
            self._client.subscribe(topic, qos=protocol.QOS)
        state = protocol.State(online=True, sess=self.session, ts=wall_ms(self._clock), boot=self._boot_id)
        self.publish(self._topics.state, protocol.encode(state), retain=True)
        self._events.up()

    def _on_disconnect(self, reason: str) -> None:
        self._lost(f"disconnected: {reason}")

    def _on_puback(self, failed: bool, reason: str) -> None:
        if failed:
            self.counters["publish_failed"] += 1
            logger.warning("broker refused a publish: %s", reason)
