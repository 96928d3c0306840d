"""The maintenance PIN gate: a salted scrypt hash, lock-out after repeated failures, and an audit trail.

Why: the menu can restart the kiosk and change its settings; a passer-by must not get in by guessing, and a
leaked config file must not reveal the PIN. Hash format: `scrypt$N$r$p$salt_hex$hash_hex`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable

from kiosk.core.clock import Clock
from kiosk.core.errors import PIN_LOCKED, PIN_WRONG, KioskError

SCRYPT_N = 16384
"""scrypt cost: ~50 ms per check on a kiosk board, slow enough to make offline guessing expensive."""
SCRYPT_R = 8
SCRYPT_P = 1
HASH_BYTES = 32


def hash_pin(pin: str, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    """The stored form of a PIN with a fresh 16-byte salt."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES)
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` matches the stored hash (constant-time compare); a malformed hash matches nothing."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p),
                                dklen=len(hash_hex) // 2)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


class PinGate:
    """Checks PINs, counts failures and locks for a while after too many; every attempt is audited."""

    def __init__(self, pin_hash: str, clock: Clock, *, max_attempts: int, lockout_s: float,
                 audit: Callable[[str, str], None]) -> None:
        self._pin_hash = pin_hash
        self._clock = clock
        self._max_attempts = max_attempts
        self._lockout_s = lockout_s
        self._audit = audit
        self._failures = 0
        self._locked_until = 0.0
        self._lock = threading.Lock()

    def locked_for_s(self) -> float:
        """Seconds left in the lock-out, 0 when open."""
        return max(0.0, self._locked_until - self._clock.monotonic())

    def check(self, pin: str) -> None:
        """Accept the PIN or raise KioskError MNT-001 (wrong) / MNT-002 (locked)."""
        with self._lock:
            if self.locked_for_s() > 0:
                self._audit("pin_refused_locked", "")
                raise KioskError(PIN_LOCKED, f"locked for {self.locked_for_s():.0f} s")
            if pin_matches(pin, self._pin_hash):
                self._failures = 0
                self._audit("pin_accepted", "")
                return
            self._failures += 1
            if self._failures >= self._max_attempts:
                self._failures = 0
                self._locked_until = self._clock.monotonic() + self._lockout_s
                self._audit("pin_lockout", f"{self._max_attempts} failures")
                raise KioskError(PIN_LOCKED, f"locked for {self._lockout_s:.0f} s")
            self._audit("pin_wrong", f"failure {self._failures}/{self._max_attempts}")
            raise KioskError(PIN_WRONG, f"failure {self._failures}/{self._max_attempts}")
