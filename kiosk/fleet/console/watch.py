"""The watch of an ingest worker: evaluates the alert rules and sends owed notices every `check_every_s`, samples
the terminals' health history once per five-minute slot and folds it once an hour.

Why on every worker: the alerts and the history must not stop when one worker does; the store makes their
evaluations, samples and sends agree (`alerts`, `history`, `webhook`), so running it N times costs N small queries a
period and sends or records nothing twice.
"""

from __future__ import annotations

import logging
import threading

from kiosk.core.clock import Clock
from kiosk.fleet.console import alerts, history, webhook
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.settings import ConsoleSettings

logger = logging.getLogger(__name__)


class AlertWatch:
    """One thread: evaluate, deliver, wait a period; a failing round is logged and the next one tries again."""

    def __init__(self, db: ConsoleDB, settings: ConsoleSettings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sampled_ms = self._folded_ms = -1
        """The history slot this watch last sampled, and when it last folded (ms)."""

    def _now_ms(self) -> int:
        return int(self._clock.now().timestamp() * 1000)

    def run_once(self) -> dict[str, int]:
        """One round: the alerts changed by this evaluation, the history samples folded, the notices the robot
        took."""
        now = self._now_ms()
        done = self._db.call(lambda c: alerts.evaluate(c, self._settings.alerts, now))
        if now - now % history.SAMPLE_MS != self._sampled_ms:
            self._sampled_ms = self._db.call(lambda c: history.sample(c, now))
        done["folded"] = 0
        if now - self._folded_ms >= history.HOUR_MS:
            done["folded"] = self._db.call(lambda c: history.fold(c, now))
            self._folded_ms = now
        done["sent"] = webhook.deliver(self._db, self._settings.webhook, self._now_ms) if self._settings.webhook.url \
            else 0
        return done

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fleet-alerts", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                logger.exception("alert round failed; trying again in %.0f s", self._settings.alerts.check_every_s)
            self._stop.wait(self._settings.alerts.check_every_s)
