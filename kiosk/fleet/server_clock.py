"""The kiosk's estimate of the server's clock, from one request and its response (NTP's four timestamps, §3.8).

Why: a kiosk's RTC drifts or is simply wrong after a dead battery, and commands and jobs expire by the server's
clock. The offset is measured after every connect and on the `time_sync` command; events still carry the kiosk's
own wall time (the server corrects skew), and every batch says how far the kiosk believes it is off.
"""

from __future__ import annotations

from kiosk.core.clock import Clock
from kiosk.core.ids import new_id
from kiosk.fleet import protocol


def wall_ms(clock: Clock) -> int:
    """The kiosk's wall time in ms since the epoch, as its messages carry it."""
    return int(clock.now().timestamp() * 1000)


class ServerClock:
    """The offset of the server's clock from the kiosk's and the round trip it was measured over; agent thread."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._request: tuple[str, int] | None = None
        """(id, kiosk ms when sent) of the request still unanswered."""
        self.offset_ms: int | None = None
        """Server time minus kiosk time; None until a response arrived."""
        self.rtt_ms: int | None = None

    def now_ms(self) -> int:
        return wall_ms(self._clock)

    def server_now_ms(self) -> int:
        """The server's time as best known (the kiosk's own until measured): what expiries are checked against."""
        return self.now_ms() + (self.offset_ms or 0)

    def state(self) -> protocol.ClockState:
        """What batches and the birth say about the kiosk's clock."""
        return protocol.ClockState(synced=self.offset_ms is not None, offset_ms=self.offset_ms, rtt_ms=self.rtt_ms)

    def request(self) -> protocol.Request:
        """A new time request to publish (an older one still unanswered is forgotten)."""
        rid, t0 = new_id(), self.now_ms()
        self._request = (rid, t0)
        return protocol.Request(rid=rid, name="time", t0=t0)

    def on_response(self, response: protocol.Response) -> None:
        """Take the offset from the answer to the last request; any other response is ignored."""
        if self._request is None or response.rid != self._request[0]:
            return
        if response.t1 is None or response.t2 is None:
            return
        t0, t3 = self._request[1], self.now_ms()
        self.offset_ms = round(((response.t1 - t0) + (response.t2 - t3)) / 2)
        self.rtt_ms = max(0, (t3 - t0) - (response.t2 - response.t1))
        self._request = None
