"""The reconnect schedule: its bounds, its jitter spread, its growth with the outage, and a fleet's arrivals."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from kiosk.config.schema import FleetConfig
from kiosk.fleet.reconnect import STABLE_LINK_S, ReconnectSchedule, ceiling_s

DEFAULTS = FleetConfig()
BASE_S, WINDOW_S, CAP_S = DEFAULTS.reconnect_base_s, DEFAULTS.reconnect_window_s, DEFAULTS.reconnect_cap_s


def schedule(seed: int = 1) -> ReconnectSchedule:
    return ReconnectSchedule(BASE_S, WINDOW_S, CAP_S, random.Random(seed))


def test_the_defaults_are_the_documented_ones():
    assert (BASE_S, WINDOW_S, CAP_S) == (5.0, 60.0, 600.0)


@pytest.mark.parametrize(("down_s", "expected_s"), [
    (0, 5), (30, 5), (59.9, 5), (60, 5), (120, 10), (180, 20), (240, 40), (300, 80), (360, 160), (420, 320),
    (474, 600), (3600, 600), (86_400 * 7, 600),
])
def test_the_ceiling_holds_for_a_minute_then_doubles_each_minute_up_to_the_cap(down_s, expected_s):
    assert ceiling_s(down_s, BASE_S, WINDOW_S, CAP_S) == pytest.approx(expected_s, rel=0.01)


def test_every_delay_lies_between_zero_and_the_ceiling_of_its_moment():
    box = schedule()
    for now in range(0, 3600, 7):
        delay = box.next_delay_s(float(now))
        assert 0.0 <= delay <= ceiling_s(now, BASE_S, WINDOW_S, CAP_S)


def test_delays_in_the_first_minute_spread_evenly_over_the_ceiling():
    """Full jitter: the deciles of 20,000 delays sit where a uniform 0-5 s draw puts them (within 2 %)."""
    box = schedule()
    delays = sorted(box.next_delay_s(0.0) for _ in range(20_000))
    for decile in range(1, 10):
        assert delays[decile * 2000] == pytest.approx(BASE_S * decile / 10, abs=0.02 * BASE_S)
    assert delays[0] < 0.01 * BASE_S and delays[-1] > 0.99 * BASE_S


def _outage(box: ReconnectSchedule, length_s: float, start_s: float = 0.0) -> list[tuple[float, float]]:
    """Attempts of one kiosk through an outage: (when it failed, how long it then waited), until `length_s`."""
    attempts, now = [], start_s
    while now < start_s + length_s:
        delay = box.next_delay_s(now)
        attempts.append((now - start_s, delay))
        now += delay
    return attempts


def test_a_long_outage_is_tried_often_at_first_and_rarely_later():
    attempts = _outage(schedule(), 3600.0)
    first_minute = [d for t, d in attempts if t < WINDOW_S]
    assert max(first_minute) <= BASE_S
    assert 15 <= len(first_minute) <= 40, "about one attempt per 2.5 s while the outage is young"
    later = [d for t, d in attempts if t >= 474]
    assert max(later) > 300 and len(later) < 20, "about one attempt per 5 min once capped"


def _widest_of(box: ReconnectSchedule, now_s: float, draws: int = 200) -> float:
    return max(box.next_delay_s(now_s) for _ in range(draws))


def test_a_link_that_held_ends_the_outage_and_one_that_did_not_continues_it():
    box = schedule()
    _outage(box, 200.0)
    box.connected(200.0)
    assert _widest_of(box, 200.0 + STABLE_LINK_S - 1) > 2 * BASE_S, "lost within STABLE_LINK_S: the outage goes on"
    box.connected(300.0)
    assert _widest_of(box, 300.0 + STABLE_LINK_S) <= BASE_S, "lost after a link that held: a fresh outage"


def test_two_clones_of_one_id_taking_each_other_over_back_off():
    """Each connects, is thrown off by the other within seconds, and must wait longer and longer."""
    box = schedule()
    now, delays = 0.0, []
    while now < 600.0:
        box.connected(now)
        now += 2.0
        delays.append(box.next_delay_s(now))
        now += delays[-1]
    assert max(delays[-5:]) > 10 * BASE_S


def _fleet_back_after(outage_s: float, kiosks: int = 1000, seed: int = 7) -> list[float]:
    """Seconds from the broker's return until each kiosk's first attempt, all having lost it at 0."""
    rng = random.Random(seed)
    back = []
    for _ in range(kiosks):
        box = ReconnectSchedule(BASE_S, WINDOW_S, CAP_S, rng)
        now = box.next_delay_s(0.0)
        while now < outage_s:
            now += box.next_delay_s(now)
        back.append(now - outage_s)
    return sorted(back)


def test_after_a_30_second_outage_a_thousand_kiosks_are_back_in_seconds_without_a_stampede():
    back = _fleet_back_after(30.0)
    assert back[-1] <= BASE_S
    assert back[len(back) // 2] == pytest.approx(1.46, abs=0.3)
    assert back[int(len(back) * 0.99)] == pytest.approx(4.5, abs=0.3)
    busiest = max(Counter(int(t * 4) for t in back).values())
    assert busiest <= 1.2 * (2 * 1000 / BASE_S) / 4, "at most about 2 × kiosks / base per second"


def test_a_broker_restart_spreads_the_fleet_over_one_ceiling():
    back = _fleet_back_after(0.0)
    assert back[-1] <= BASE_S and back[len(back) // 2] == pytest.approx(BASE_S / 2, abs=0.4)


@pytest.mark.parametrize("bad", [(0, 60, 600), (5, 0, 600), (5, 60, -1)])
def test_a_schedule_without_positive_times_is_refused(bad):
    with pytest.raises(ValueError, match="must be > 0"):
        ReconnectSchedule(*bad)
