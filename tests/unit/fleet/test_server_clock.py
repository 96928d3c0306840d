"""The server's clock from one request and its response: NTP's offset and round trip, and only for that request."""

from __future__ import annotations

from kiosk.core.clock import FakeClock
from kiosk.fleet import protocol
from kiosk.fleet.server_clock import ServerClock


def test_offset_and_round_trip_come_from_the_answer_to_the_last_request():
    """GIVEN a request sent at t0 and answered 400 ms later by a server 10 s ahead that held it 100 ms THEN the offset
    is 10 s and the round trip 300 ms; a response to an earlier request, or one without times, changes nothing."""
    clock = FakeClock()
    server_clock = ServerClock(clock)
    assert not server_clock.state().synced and server_clock.server_now_ms() == server_clock.now_ms()
    stale = server_clock.request()
    request = server_clock.request()
    t0 = request.t0
    clock.advance(0.4)
    server_clock.on_response(protocol.Response(rid=request.rid, code=protocol.Code.OK))
    server_clock.on_response(protocol.Response(rid=stale.rid, code=protocol.Code.OK, t1=t0, t2=t0))
    assert server_clock.offset_ms is None
    server_clock.on_response(protocol.Response(rid=request.rid, code=protocol.Code.OK, t1=t0 + 10_150,
                                               t2=t0 + 10_250))
    assert (server_clock.offset_ms, server_clock.rtt_ms) == (10_000, 300)
    assert server_clock.server_now_ms() == server_clock.now_ms() + 10_000
    assert server_clock.state() == protocol.ClockState(synced=True, offset_ms=10_000, rtt_ms=300)
