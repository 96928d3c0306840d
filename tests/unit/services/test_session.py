"""The session state machine: start on touch, countdown when idle, wipe and end, resume on touch."""

from kiosk.core.clock import FakeClock
from kiosk.core.events import EventBus
from kiosk.services.session import (EndReason, SessionCountdown, SessionEnded, SessionResumed, SessionService,
                                    SessionStarted, SessionState)


def make(idle=60.0, countdown=10.0):
    bus, clock, events = EventBus(), FakeClock(), []
    for cls in (SessionStarted, SessionCountdown, SessionResumed, SessionEnded):
        bus.subscribe(cls, events.append)
    return SessionService(bus, clock, idle_timeout_s=idle, countdown_s=countdown), clock, events


def test_idle_timeout_counts_down_then_wipes_and_ends():
    session, clock, events = make()
    personal = {"name": "张三"}
    session.add_wiper(personal.clear)
    session.touch()
    assert session.state is SessionState.ACTIVE and session.in_use
    clock.advance(59)
    session.tick()
    assert session.state is SessionState.ACTIVE
    clock.advance(1.5)
    session.tick()
    assert session.state is SessionState.COUNTDOWN
    clock.advance(9.5)
    session.tick()
    assert personal == {}
    assert session.state is SessionState.IDLE and not session.in_use
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "SessionStarted" and kinds[-1] == "SessionEnded"
    assert [e.seconds_left for e in events if isinstance(e, SessionCountdown)] == [10]
    ended = events[-1]
    assert ended.reason is EndReason.IDLE_TIMEOUT and ended.duration_s == 70.0


def test_each_countdown_second_is_announced_once():
    session, clock, events = make(idle=10, countdown=5)
    session.touch()
    clock.advance(10)
    for _ in range(10):
        session.tick()
        clock.advance(0.5)
    announced = [e.seconds_left for e in events if isinstance(e, SessionCountdown)]
    assert announced == sorted(set(announced), reverse=True) and announced[0] == 5


def test_a_touch_in_the_countdown_resumes():
    session, clock, events = make(idle=10, countdown=5)
    session.touch()
    clock.advance(12)
    session.tick()
    session.touch()
    assert session.state is SessionState.ACTIVE
    assert isinstance(events[-1], SessionResumed)
    clock.advance(9)
    session.tick()
    assert session.state is SessionState.ACTIVE


def test_a_failing_wiper_does_not_stop_the_others(caplog):
    session, _clock, _events = make()
    wiped = []

    def broken():
        raise RuntimeError("wipe failed")

    session.add_wiper(broken)
    session.add_wiper(lambda: wiped.append(True))
    session.touch()
    session.end(EndReason.FINISHED)
    assert wiped == [True] and "wipe failed" in caplog.text


def test_end_when_idle_does_nothing_and_removed_wipers_are_not_called():
    session, _clock, events = make()
    called = []
    remove = session.add_wiper(lambda: called.append(1))
    remove()
    session.end(EndReason.FINISHED)
    session.touch()
    session.end(EndReason.PRINTED)
    assert called == [] and isinstance(events[-1], SessionEnded) and len(events) == 2
    assert session.session_id == ""
