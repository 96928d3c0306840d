"""When a kiosk tries the broker again after its link drops: quickly while an outage is young, backing off as it lasts.

Why: a broker restart or a 30-second blip must cost seconds, not minutes (issue 14: full jitter on the attempt
count, capped at 600 s, kept kiosks away for up to 104 s after a 30-second outage), yet a fleet that lost the
broker together must not knock on it in step when it returns, nor hammer one that stays down for hours.

The schedule, with the defaults of FleetConfig (base 5 s, window 60 s, cap 600 s):

- every delay is drawn uniformly from [0, ceiling] (full jitter), so kiosks that lost the link together (a broker
  restart) arrive spread evenly over one ceiling: 1,000 kiosks over 5 s, 200 connects per second;
- the ceiling is `base_s` for the first `window_s` of an outage: about one attempt every 2.5 s per kiosk, and
  every kiosk is back at most 5 s after the broker is; after an outage of a few seconds or more the kiosks' waits
  are out of step, and what is left of them is spread over 0–5 s thinning out towards 5 s: a median of 1.5 s, a
  p99 of 4.5 s, and at most 2 × kiosks / base_s per second (400/s for 1,000), never more than the old schedule's
  first retry brought after a restart (uniform over 2 s, 500/s);
- after that the ceiling doubles every `window_s` of outage: 10 s at 2 min, 20 s at 3, 40 s at 4, 80 s at 5,
  160 s at 6, 320 s at 7, and `cap_s` (600 s) from 7 min 54 s on;
- the outage is timed from the loss of a link that had held for STABLE_LINK_S; a link lost sooner (a clone of the
  kiosk id taking its session over, a broker that drops it right after CONNACK) continues the same outage, so two
  devices fighting over one id back off as an outage does instead of flapping every few seconds.

A site with more kiosks per broker raises `base_s` in proportion (the arrival rate is about kiosks / base_s).
Measured by `python -m tests.bench.fleet_scale` (1,000 simulated kiosks, one Mosquitto): after a 30-second outage
p50 1.45 s, p99 4.69 s, at most 381 connects in a second (the old schedule in the same run: 13.8 s, 100.9 s, and
the last kiosk after 175.7 s); after a restart p50 2.55 s, p99 4.98 s (old: 0.99 s, 1.96 s, 506 in a second).
"""

from __future__ import annotations

import random

STABLE_LINK_S = 30.0
"""Seconds a link must have held before its loss starts a new outage rather than continuing the last one."""


def ceiling_s(down_s: float, base_s: float, window_s: float, cap_s: float) -> float:
    """The longest delay after `down_s` seconds of outage: `base_s` for one window, then doubling per window."""
    doublings = min(max(0.0, (down_s - window_s) / window_s), 64.0)  # base · 2^64 is past any cap
    return min(cap_s, base_s * 2 ** doublings)


class ReconnectSchedule:
    """One kiosk's reconnect timing (monotonic seconds in, seconds to wait out); not thread-safe: one owner."""

    def __init__(self, base_s: float, window_s: float, cap_s: float, rng: random.Random | None = None) -> None:
        if min(base_s, window_s, cap_s) <= 0:
            raise ValueError(f"reconnect base, window and cap must be > 0 s: {base_s}, {window_s}, {cap_s}")
        self.base_s, self.window_s, self.cap_s = base_s, window_s, cap_s
        self._rng = rng or random.Random()
        self._down_since: float | None = None
        self._up_since: float | None = None

    def connected(self, now_s: float) -> None:
        """The broker accepted the connection at `now_s`."""
        self._up_since = now_s

    def next_delay_s(self, now_s: float) -> float:
        """Seconds to wait before the next attempt, after the link was lost or an attempt failed at `now_s`."""
        if self._up_since is not None and now_s - self._up_since >= STABLE_LINK_S:
            self._down_since = None
        self._up_since = None
        if self._down_since is None:
            self._down_since = now_s
        return self._rng.uniform(0.0, ceiling_s(now_s - self._down_since, self.base_s, self.window_s, self.cap_s))
