"""Who may use the web console: operators with a role, Argon2id password hashes, sessions that expire, form tokens
(CSRF) and the audit log. Functions take a connection and run in its transaction.

Why: the console can reboot terminals and reconfigure a region, so every action needs a named person with the
right role, a browser session that lapses, a form that only the console itself could have rendered, and a record
of who did what. The cookie carries a random token; the store keeps only its SHA-256, so a copy of the database
opens no session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import Connection, delete, select

from kiosk.fleet.console.dialect import insert
from kiosk.fleet.console.schema import audit, users, web_sessions

ROLES = ("viewer", "operator", "administrator")
"""Each role may do what the ones before it may: look (viewer), send commands (operator), publish configurations
and content, read the audit log (administrator)."""
ROLE_NAMES = {"viewer": "查看员", "operator": "操作员", "administrator": "管理员"}
SESSION_TTL_S = 8 * 3600
"""A login lasts a working day at most."""
PASSWORD_MIN_CHARS = 10


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    role: str
    csrf: str

    def may(self, role: str) -> bool:
        """Whether this operator's role includes `role`."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_user(c: Connection, username: str, password: str, role: str, now_ms: int) -> None:
    """Create or reset an operator; ValueError for an unknown role or a short password."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < PASSWORD_MIN_CHARS:
        raise ValueError(f"password must have at least {PASSWORD_MIN_CHARS} characters")
    values = {"username": username, "password_hash": PasswordHasher().hash(password), "role": role,
              "created_ms": now_ms}
    upsert = insert(c, users).values(values)
    c.execute(upsert.on_conflict_do_update(index_elements=[users.c.username], set_=values))


def check_password(c: Connection, username: str, password: str) -> bool:
    """Whether the password is this operator's (an unknown name costs the same hashing work)."""
    stored = c.execute(select(users.c.password_hash).where(users.c.username == username)).scalar()
    hasher = PasswordHasher()
    if stored is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(stored, password)
    except VerificationError:
        return False


def open_session(c: Connection, username: str, now_ms: int) -> str:
    """A new session for `username`; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    c.execute(web_sessions.insert().values(token_hash=_token_hash(token), username=username,
                                           csrf=secrets.token_urlsafe(32), created_ms=now_ms,
                                           expires_ms=now_ms + SESSION_TTL_S * 1000))
    c.execute(delete(web_sessions).where(web_sessions.c.expires_ms < now_ms))
    return token


def session(c: Connection, token: str | None, now_ms: int) -> Session | None:
    """The live session of a cookie's token, or None."""
    if not token:
        return None
    row = c.execute(select(web_sessions.c.username, users.c.role, web_sessions.c.csrf)
                    .join(users, users.c.username == web_sessions.c.username)
                    .where(web_sessions.c.token_hash == _token_hash(token), web_sessions.c.expires_ms > now_ms)).first()
    return Session(*row) if row is not None else None


def close_session(c: Connection, token: str) -> None:
    c.execute(delete(web_sessions).where(web_sessions.c.token_hash == _token_hash(token)))


def record(c: Connection, username: str, action: str, target: str, detail: str, now_ms: int) -> None:
    """One line of the audit log."""
    c.execute(audit.insert().values(at_ms=now_ms, username=username, action=action, target=target, detail=detail))


def audit_rows(c: Connection, limit: int) -> list[dict]:
    """The latest audit lines, newest first."""
    a = audit.c
    return [dict(row) for row in c.execute(select(a.at_ms, a.username, a.action, a.target, a.detail)
                                           .order_by(a.id.desc()).limit(limit)).mappings()]
