"""Privacy: after a session that read a card ends, the name and number are nowhere we can look.

Real parts: the simulator on a pty, pyserial, the identity and session services, the telemetry outbox on a
SQLite file. Looked at: the identity service's object graph, live objects, the telemetry records, the log
output and the database files.
"""

from __future__ import annotations

import gc
import logging
import queue
import types

from firmware_bridge.idcard.card import CardRecord
from firmware_bridge.sim.idcard_cards import TEST_CARDS
from firmware_bridge.transport.serial_port import SerialTransport
from kiosk.config.schema import IdCardConfig
from kiosk.core.clock import FakeClock
from kiosk.core.events import Event, EventBus
from kiosk.fleet.outbox import Outbox
from kiosk.services.identity import Identity, IdCardReadSucceeded, IdentityService
from kiosk.services.session import EndReason, SessionService
from kiosk.storage.db import Database

from .conftest import WAIT_S

CARD = TEST_CARDS["rare_long_term"]
SECRETS = [CARD.name, CARD.id_number, CARD.address, CARD.new_address, CARD.id_number[6:14]]


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le")]


def reachable(root: object) -> list[object]:
    """Objects reachable from `root`, not crossing into modules, classes or functions (shared code, not data)."""
    seen, stack, out = set(), [root], []
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (types.ModuleType, type, types.FunctionType)):
            continue
        seen.add(id(obj))
        out.append(obj)
        stack.extend(gc.get_referents(obj))
    return out


def leaks_in(objects: list[object]) -> list[str]:
    found = []
    for obj in objects:
        if isinstance(obj, str):
            found += [s for s in SECRETS if s in obj]
        elif isinstance(obj, (bytes, bytearray)):
            found += [s for s in SECRETS if any(e in obj for e in encodings(s))]
    return found


def test_nothing_personal_survives_the_session(sim, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    bus = EventBus()
    db = Database(tmp_path / "kiosk.db", clock)
    db.start()
    outbox = Outbox(db, clock, boot_id="boot-1", max_bytes=10_000_000)
    outbox.start()
    telemetry = []

    def record_telemetry(event: Event) -> None:
        form = getattr(event, "telemetry", None)
        if form is not None and form() is not None:
            telemetry.append(form())
            outbox.record(*form())

    bus.subscribe(Event, record_telemetry)
    events: queue.SimpleQueue = queue.SimpleQueue()
    bus.subscribe(IdCardReadSucceeded, events.put)
    config = IdCardConfig(poll_interval_s=0.02, status_interval_s=0.05, reconnect_interval_s=0.05)
    identity = IdentityService(bus, clock, config, SerialTransport(sim.port_path))
    session = SessionService(bus, clock, idle_timeout_s=60, countdown_s=10)
    session.add_wiper(identity.wipe)
    identity.start()
    try:
        session.touch()
        sim.present("rare_long_term")
        identity.consent_given()
        events.get(timeout=WAIT_S)
        assert identity.identity.record.name == CARD.name
        logging.getLogger("test").info(f"read {identity.identity!r} {identity.identity.record}")
        session.end(EndReason.FINISHED)
        assert identity.identity is None
        assert leaks_in(reachable(identity)) == []
        assert leaks_in(reachable(session)) == []
        gc.collect()
        sim_cards = {id(card) for card in TEST_CARDS.values()}
        alive = [o for o in gc.get_objects() if isinstance(o, (CardRecord, Identity)) and id(o) not in sim_cards]
        assert alive == []
    finally:
        identity.stop()
    assert telemetry and leaks_in([repr(t) for t in telemetry]) == []
    assert leaks_in([caplog.text]) == []
    assert outbox.flush(WAIT_S)
    outbox.stop()
    db.stop()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("kiosk.db")]
    assert files
    assert leaks_in([p.read_bytes() for p in files]) == []
    rows = [repr(t) for t in telemetry]
    assert any("card.read" in r and "resident" in r for r in rows)
