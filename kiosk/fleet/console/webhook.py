"""Alert notices to a DingTalk or WeCom group robot: each notice claimed by one worker, posted, retried.

Why: both robots take the same text message (`{"msgtype": "text", "text": {"content": …}}`) and answer
`{"errcode": 0}` when they took it; a robot that is down or rate-limits (DingTalk: 20 a minute) gets the notice
again later with growing pauses. A worker claims a notice for a lease before posting it (a conditional update only
one worker can make), so several workers send each notice once; a worker killed mid-post leaves its lease to run
out and the notice is sent again. A notice that waited longer than NOTICE_MAX_AGE_S is dropped, not sent late.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.parse
import urllib.request

from sqlalchemy import Connection, or_, select, update

from kiosk.fleet.console.schema import notices
from kiosk.fleet.console.settings import Webhook

logger = logging.getLogger(__name__)

LEASE_MS = 60_000
"""How long (ms) a claimed notice is left to its worker before another may send it."""
RETRY_BASE_MS, RETRY_CAP_MS = 10_000, 600_000
ATTEMPTS_MAX = 12
NOTICE_MAX_AGE_S = 6 * 3600
BATCH = 20
"""Notices claimed at once."""


class WebhookRefused(Exception):
    """The robot did not take the message (HTTP error, or a non-zero errcode)."""


def body(text: str) -> bytes:
    """The text message both robots accept."""
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()


def signed_url(hook: Webhook, now_ms: int) -> str:
    """The robot's URL, with DingTalk's timestamp and HMAC-SHA256 signature when a secret is set."""
    if not hook.secret:
        return hook.url
    digest = hmac.new(hook.secret.encode(), f"{now_ms}\n{hook.secret}".encode(), hashlib.sha256).digest()
    query = urllib.parse.urlencode({"timestamp": now_ms, "sign": base64.b64encode(digest).decode()})
    return f"{hook.url}{'&' if '?' in hook.url else '?'}{query}"


def post(hook: Webhook, text: str, now_ms: int) -> None:
    """POST one notice; WebhookRefused says why it was not taken."""
    request = urllib.request.Request(signed_url(hook, now_ms), data=body(text), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=hook.timeout_s) as response:
            answer = json.loads(response.read() or b"{}")
    except (OSError, ValueError) as exc:
        raise WebhookRefused(str(exc)) from None
    if answer.get("errcode", 0) != 0:
        raise WebhookRefused(f"errcode {answer.get('errcode')}: {answer.get('errmsg')}")


def claim(c: Connection, now_ms: int) -> list[tuple[int, str, int]]:
    """Notices due now that this caller won (id, text, attempts so far); the rest are another worker's."""
    n = notices.c
    free = or_(n.claimed_until_ms.is_(None), n.claimed_until_ms < now_ms)
    due = c.execute(select(n.id, n.text, n.attempts, n.created_ms).where(
        n.sent_ms.is_(None), n.next_ms <= now_ms, n.attempts < ATTEMPTS_MAX, free).order_by(n.id).limit(BATCH)).all()
    won = []
    for notice_id, text, attempts, created_ms in due:
        if now_ms - created_ms > NOTICE_MAX_AGE_S * 1000:
            c.execute(update(notices).where(n.id == notice_id).values(attempts=ATTEMPTS_MAX, error="expired"))
            continue
        taken = c.execute(update(notices).where(n.id == notice_id, n.sent_ms.is_(None), free)
                          .values(claimed_until_ms=now_ms + LEASE_MS)).rowcount
        if taken:
            won.append((notice_id, text, attempts))
    return won


def settle(c: Connection, notice_id: int, attempts: int, error: str | None, now_ms: int) -> None:
    """Mark a claimed notice sent, or due again after a pause that doubles with each failure."""
    n = notices.c
    if error is None:
        c.execute(update(notices).where(n.id == notice_id).values(sent_ms=now_ms, attempts=attempts + 1,
                                                                  claimed_until_ms=None, error=None))
        return
    pause = min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempts)
    c.execute(update(notices).where(n.id == notice_id).values(attempts=attempts + 1, next_ms=now_ms + pause,
                                                              claimed_until_ms=None, error=error[:500]))


def deliver(db, hook: Webhook, now_ms) -> int:
    """Send every notice this worker can claim now; returns how many the robot took."""
    sent = 0
    for notice_id, text, attempts in db.call(lambda c: claim(c, now_ms())):
        try:
            post(hook, text, now_ms())
        except WebhookRefused as exc:
            logger.warning("alert webhook refused notice %d (attempt %d): %s", notice_id, attempts + 1, exc)
            db.call(lambda c, i=notice_id, a=attempts, e=str(exc): settle(c, i, a, e, now_ms()))
            continue
        db.call(lambda c, i=notice_id, a=attempts: settle(c, i, a, None, now_ms()))
        sent += 1
    return sent
