"""The event bus: typed delivery, unsubscribe, contained failures."""

from dataclasses import dataclass

from kiosk.core.events import Event, EventBus, ScreenShown


@dataclass(frozen=True, slots=True)
class Ping(Event):
    n: int


@dataclass(frozen=True, slots=True)
class LoudPing(Ping):
    pass


def test_handlers_receive_their_type_and_subclasses_only():
    bus, got = EventBus(), []
    bus.subscribe(Ping, lambda e: got.append(("ping", e.n)))
    bus.subscribe(ScreenShown, lambda e: got.append(("screen", e.screen)))
    bus.publish(Ping(1))
    bus.publish(LoudPing(2))
    bus.publish(ScreenShown("home"))
    assert got == [("ping", 1), ("ping", 2), ("screen", "home")]


def test_subscribe_returns_the_unsubscribe_callable():
    bus, got = EventBus(), []
    unsubscribe = bus.subscribe(Ping, lambda e: got.append(e.n))
    bus.publish(Ping(1))
    unsubscribe()
    unsubscribe()  # idempotent
    bus.publish(Ping(2))
    assert got == [1]


def test_a_failing_handler_is_logged_and_contained(caplog):
    bus, got = EventBus(), []

    def broken(_event):
        raise RuntimeError("boom")

    bus.subscribe(Ping, broken)
    bus.subscribe(Ping, lambda e: got.append(e.n))
    bus.publish(Ping(7))
    assert got == [7]
    assert bus.handler_failures == 1
    assert "boom" in caplog.text
