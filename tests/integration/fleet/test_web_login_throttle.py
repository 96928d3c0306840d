"""Login throttling of the web console (issue 16): failed logins counted per account and per source address in the
store, so two console processes on one database (each its own application and connections) share the count; a
locked key is refused with a Chinese message and Retry-After before the password is checked, locks double, a success
clears the account's count, and the audit log has every failure and refusal. HTTP client tests (Starlette's
TestClient, the browser's requests), on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from kiosk.core.clock import FakeClock
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.server import BrokerSettings
from kiosk.fleet.console.web import auth, throttle
from kiosk.fleet.console.web.app import build_app
from tests.postgres import query

PASSWORD = "operator-password-1"
OFFICE, GUESSER = ("10.1.2.3", 50000), ("203.0.113.9", 50000)


@pytest.fixture
def consoles(console_target):
    """Two console processes' worth of application on one store (each with its own ConsoleDB), one fake clock."""
    clock = FakeClock()
    dbs = [ConsoleDB(console_target) for _ in range(2)]
    for db in dbs:
        db.start()
    dbs[0].call(lambda c: auth.add_user(c, "op", PASSWORD, "operator", 0))
    try:
        yield [build_app(db, BrokerSettings(), clock) for db in dbs], clock, dbs[0]
    finally:
        for db in dbs:
            db.stop()


def login(app, username: str, password: str, address: tuple[str, int] = OFFICE):
    """One login as a browser makes it (the form fetched first for its token); the response to the POST."""
    client = TestClient(app, client=address, follow_redirects=False)
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text)[1]
    return client.post("/login", data={"login_token": token, "username": username, "password": password})


def audit(db) -> list[tuple[str, str, str]]:
    return db.call(lambda c: query(c, "SELECT action, username, target FROM audit ORDER BY id"))


def test_an_account_guessed_at_through_two_console_processes_is_locked_for_both(consoles):
    """GIVEN two console processes on one store WHEN wrong passwords for `op` alternate between them
    THEN the first five fail plainly (the fourth and fifth warn), the sixth locks the account 30 s for both
    (429, Retry-After, the Chinese notice), the right password is refused while locked without being checked,
    the lock doubles on the next failure after it, and once it has passed the right password logs in and the
    count starts again; every failure and refusal is in the audit log with the source address."""
    apps, clock, db = consoles
    replies = [login(apps[n % 2], "op", f"guess-{n}") for n in range(throttle.FREE_FAILURES[throttle.ACCOUNT])]
    assert [r.status_code for r in replies] == [401] * 5
    assert "用户名或密码不正确" in replies[0].text and "再输错" not in replies[2].text
    assert "再输错 2 次" in replies[3].text and "再输错 1 次" in replies[4].text

    locked = login(apps[1], "op", "guess-5")
    assert locked.status_code == 429 and locked.headers["Retry-After"] == "30"
    assert "登录失败次数过多，该账号已暂时锁定，请 1 分钟后再试" in locked.text
    refused = login(apps[0], "op", PASSWORD)
    assert refused.status_code == 429 and "kiosk_console=" not in refused.headers.get("set-cookie", "")

    clock.advance(31)
    doubled = login(apps[0], "op", "guess-6")
    assert doubled.status_code == 429 and doubled.headers["Retry-After"] == "60"
    clock.advance(61)
    assert login(apps[1], "op", PASSWORD).status_code == 303
    assert login(apps[0], "op", "guess-7").status_code == 401

    actions = audit(db)
    assert [a for a, _u, _t in actions] == ["login_failed"] * 6 + ["login_throttled", "login_failed", "login",
                                                                    "login_failed"]
    assert {target for _a, _u, target in actions} == {OFFICE[0]}
    assert db.call(lambda c: query(c, "SELECT detail FROM audit WHERE action = 'login_throttled'")) == [
        ("account locked after 6 failures",)]


def test_one_address_trying_many_accounts_is_locked_but_other_addresses_are_not(consoles):
    """GIVEN a guesser trying a different name each time from one address WHEN it passes the address's allowance
    THEN that address is refused with the address notice, even for a real account's right password, while the
    same account logs in from the office's address."""
    apps, _clock, db = consoles
    allowance = throttle.FREE_FAILURES[throttle.ADDRESS]
    replies = [login(apps[n % 2], f"name-{n}", "guess", GUESSER) for n in range(allowance + 1)]
    assert [r.status_code for r in replies] == [401] * allowance + [429]
    assert "此网络地址登录失败次数过多，已暂时禁止登录" in replies[-1].text
    assert login(apps[0], "op", PASSWORD, GUESSER).status_code == 429
    assert login(apps[1], "op", PASSWORD, OFFICE).status_code == 303
    assert audit(db)[-2:] == [("login_throttled", "op", GUESSER[0]), ("login", "op", OFFICE[0])]


def test_locks_double_up_to_a_ceiling_and_idle_counts_are_forgotten(consoles):
    """GIVEN the lock schedule WHEN failures pile up THEN each lock is twice the one before up to LOCK_MAX_S; and a
    key idle for FORGET_AFTER_S starts from nothing (its row is deleted on the next failure anywhere)."""
    free = throttle.FREE_FAILURES[throttle.ACCOUNT]
    assert [throttle.lock_s(throttle.ACCOUNT, n) for n in range(free, free + 8)] == [0, 30, 60, 120, 240, 480, 900,
                                                                                    900]
    _apps, clock, db = consoles
    at = int(clock.now().timestamp() * 1000)
    attempt = throttle.keys("op", OFFICE[0])
    for _ in range(free + 3):
        db.call(lambda c: throttle.failed(c, attempt, at))
    assert db.call(lambda c: throttle.locked(c, attempt, at + 1000)).until_ms == at + 120_000
    later = at + throttle.FORGET_AFTER_S * 1000 + 1
    assert db.call(lambda c: throttle.locked(c, attempt, later)) is None
    db.call(lambda c: throttle.failed(c, throttle.keys("other", "10.9.9.9"), later))
    assert db.call(lambda c: query(c, "SELECT kind, name, failures FROM login_failures ORDER BY kind")) == [
        ("account", "other", 1), ("address", "10.9.9.9", 1)]
