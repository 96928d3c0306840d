"""The maintenance PIN: salted scrypt, lock-out after repeated failures, audit of every attempt."""

import pytest

from kiosk.core.clock import FakeClock
from kiosk.core.errors import KioskError
from kiosk.services.pin import PinGate, hash_pin, pin_matches

FAST_N = 1024  # a cheap scrypt cost for tests; production uses SCRYPT_N


def test_hash_is_salted_and_verifies():
    first, second = hash_pin("2468", n=FAST_N), hash_pin("2468", n=FAST_N)
    assert first != second and "2468" not in first
    assert pin_matches("2468", first) and not pin_matches("2469", first)
    assert not pin_matches("2468", "") and not pin_matches("2468", "md5$abc")


def test_lockout_after_max_attempts_and_release_after_the_lockout():
    clock, audit = FakeClock(), []
    gate = PinGate(hash_pin("2468", n=FAST_N), clock, max_attempts=3, lockout_s=300,
                   audit=lambda action, detail: audit.append(action))
    for _ in range(2):
        with pytest.raises(KioskError) as info:
            gate.check("0000")
        assert info.value.code == "MNT-001"
    with pytest.raises(KioskError) as info:
        gate.check("0000")
    assert info.value.code == "MNT-002"
    with pytest.raises(KioskError) as info:
        gate.check("2468")  # even the right PIN is refused while locked
    assert info.value.code == "MNT-002"
    clock.advance(301)
    gate.check("2468")
    assert audit == ["pin_wrong", "pin_wrong", "pin_lockout", "pin_refused_locked", "pin_accepted"]


def test_unprovisioned_pin_refuses_everything():
    gate = PinGate("", FakeClock(), max_attempts=5, lockout_s=60, audit=lambda a, d: None)
    with pytest.raises(KioskError):
        gate.check("")
