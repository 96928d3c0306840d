"""The technician audit log: every maintenance action, stored off the caller's thread, never personal data."""

from __future__ import annotations

import logging

from kiosk.core.clock import Clock
from kiosk.storage.db import Database

logger = logging.getLogger(__name__)


class AuditLog:
    """Appends (time, actor, action, detail) rows to `audit_log`; a failed write is logged, never raised."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def record(self, action: str, detail: str, actor: str = "technician") -> None:
        """Queue one row; returns at once (safe on the UI thread)."""
        row = {"at": self._clock.now().isoformat(), "actor": actor, "action": action, "detail": detail}
        future = self._db.submit(lambda db: db["audit_log"].insert(row))
        future.add_done_callback(lambda f: self._report(action, f))

    @staticmethod
    def _report(action: str, future) -> None:
        error = future.exception()
        if error is not None:
            logger.error("audit %s not stored: %s", action, error)
