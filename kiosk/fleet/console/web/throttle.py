"""Login throttling: failed logins counted per account and per source address in the store, each further failure
past a few locking that key for twice as long as the one before. Functions take a connection and run in its
transaction.

Why in the store: the console may run as several web processes behind one address, and a password guesser must
meet the same count whichever process answers; a restart must not wipe it either. Why both keys: per account stops
guessing one operator's password from many addresses, per address stops trying many accounts from one; an office
behind one NAT address shares the address's count, so it allows more. A locked key is refused before the password
is checked, so a guess made during the lock tells nothing and costs no hashing; a success clears the account's
count (not the address's, which only time clears, so one known password cannot reset a guesser's address).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, case, delete, select

from kiosk.fleet.console.dialect import once
from kiosk.fleet.console.schema import login_failures

ACCOUNT, ADDRESS = "account", "address"
FREE_FAILURES = {ACCOUNT: 5, ADDRESS: 20}
"""Failures in a row a key may have before each further one locks it."""
FIRST_LOCK_S = 30
"""Seconds the first lock lasts; each failure after it doubles the lock."""
LOCK_MAX_S = 15 * 60
FORGET_AFTER_S = 3600
"""Seconds after its last failure that a key's count starts again from nothing (longer than the longest lock)."""
NAME_MAX_CHARS = 64
"""Characters of a typed account name that are kept (what a guesser types is stored, bounded)."""


@dataclass(frozen=True, slots=True)
class Lock:
    """A key refused until `until_ms` after `failures` failures in a row."""

    kind: str
    failures: int
    until_ms: int

    def minutes_left(self, now_ms: int) -> int:
        """Whole minutes to wait, at least one (what the login page tells the operator)."""
        return max(1, -(-(self.until_ms - now_ms) // 60_000))


def lock_s(kind: str, failures: int) -> int:
    """Seconds a key of `kind` stays locked after its `failures`-th failure in a row (0: not locked)."""
    over = failures - FREE_FAILURES[kind] - 1
    return 0 if over < 0 else min(LOCK_MAX_S, FIRST_LOCK_S * 2 ** min(over, 20))


def keys(username: str, address: str) -> list[tuple[str, str]]:
    """The (kind, name) keys a login attempt counts against."""
    return [(ACCOUNT, username[:NAME_MAX_CHARS]), (ADDRESS, address)]


def locked(c: Connection, attempt: list[tuple[str, str]], now_ms: int) -> Lock | None:
    """The longest lock in force on any key of the attempt, or None."""
    f = login_failures.c
    found = []
    for kind, name in attempt:
        row = c.execute(select(f.failures, f.last_ms).where(f.kind == kind, f.name == name)).first()
        if row is not None and now_ms - row.last_ms < FORGET_AFTER_S * 1000:
            until = row.last_ms + lock_s(kind, row.failures) * 1000
            if until > now_ms:
                found.append(Lock(kind, row.failures, until))
    return max(found, key=lambda lock: lock.until_ms, default=None)


def _failed_statement(insert_for):
    f = login_failures.c
    now = bindparam("now")
    upsert = insert_for(login_failures).values(kind=bindparam("kind"), name=bindparam("name"), failures=1,
                                               last_ms=now)
    return upsert.on_conflict_do_update(index_elements=[f.kind, f.name], set_={
        "failures": case((f.last_ms < bindparam("forget_before"), 1), else_=f.failures + 1), "last_ms": now,
    }).returning(f.failures)


_FAILED = once(_failed_statement)


def failed(c: Connection, attempt: list[tuple[str, str]], now_ms: int) -> dict[str, int]:
    """Count a failure against each key of the attempt (as one statement per key, so concurrent processes never
    lose one); returns failures in a row per kind. Keys idle past FORGET_AFTER_S are deleted."""
    forget_before = now_ms - FORGET_AFTER_S * 1000
    counts = {kind: c.execute(_FAILED(c), {"kind": kind, "name": name, "now": now_ms,
                                           "forget_before": forget_before}).scalar_one()
              for kind, name in attempt}
    c.execute(delete(login_failures).where(login_failures.c.last_ms < forget_before))
    return counts


def succeeded(c: Connection, username: str) -> None:
    """The account's password was right: its count starts again."""
    c.execute(delete(login_failures).where(login_failures.c.kind == ACCOUNT,
                                           login_failures.c.name == username[:NAME_MAX_CHARS]))


def notice(lock: Lock, now_ms: int) -> str:
    """What the login page tells whoever meets the lock."""
    wait = f"请 {lock.minutes_left(now_ms)} 分钟后再试"
    if lock.kind == ACCOUNT:
        return f"登录失败次数过多，该账号已暂时锁定，{wait}。忘记密码请联系管理员重设。"
    return f"此网络地址登录失败次数过多，已暂时禁止登录，{wait}。"


def warning(failures: dict[str, int]) -> str:
    """A word to an operator whose account is near its lock (the next two failures), else nothing."""
    left = FREE_FAILURES[ACCOUNT] - failures.get(ACCOUNT, 0) + 1
    return f"再输错 {left} 次，该账号将被暂时锁定。" if 0 < left <= 2 else ""
