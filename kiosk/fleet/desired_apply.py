"""The agent's side of desired configuration: each new version applied once, whole, or refused with its errors.

Why (§3.5): the server retains one full document per kiosk, so the same version arrives again after every
connect. A version at or below the applied one is ignored, a refused one is answered with its stored errors
instead of being tried again, and both outcomes survive a restart. What applying means (the fleet layer of the
configuration) is the composition root's `apply_desired` (kiosk.fleet.desired).
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.fleet import device_store, protocol
from kiosk.fleet.agent_context import AgentContext
from kiosk.fleet.desired import DesiredRejected

ERRORS_MAX = 50
"""Errors reported per refused version, each cut to ERROR_MAX_CHARS (the `reported` message stays small)."""
ERROR_MAX_CHARS = 500


class DesiredApplier:
    """Applies desired versions and reports `applied` or `rejected`; agent thread only."""

    def __init__(self, context: AgentContext, *, apply: Callable[[dict], None]) -> None:
        """`apply` makes a document the kiosk's fleet layer, raising DesiredRejected (or anything) to refuse it."""
        self._context = context
        self._apply = apply
        self.applied_version = 0
        """The version in force (0: none); read from any thread for the birth and the maintenance menu."""
        self._rejected_version = 0
        self._rejected_errors: list[str] = []

    def load(self) -> None:
        """What was applied and refused before this start."""
        self.applied_version = self._context.db.call(device_store.applied_desired)[0]
        self._rejected_version, self._rejected_errors = self._context.db.call(device_store.rejected_desired)

    def on_desired(self, desired: protocol.Desired) -> None:
        if desired.version <= self.applied_version:
            return
        if desired.version == self._rejected_version:
            self._report(desired.version, "rejected", self._rejected_errors)
            return
        try:
            self._apply(desired.config)
        except DesiredRejected as exc:
            errors = exc.errors
        except Exception as exc:
            errors = [f"apply: {exc}"]
        else:
            self._context.db.call(lambda d: device_store.save_applied_desired(d, desired.version, desired.config))
            self.applied_version = desired.version
            self._report(desired.version, "applied", [])
            return
        errors = [e[:ERROR_MAX_CHARS] for e in errors[:ERRORS_MAX]]
        self._context.db.call(lambda d: device_store.save_rejected_desired(d, desired.version, errors))
        self._rejected_version, self._rejected_errors = desired.version, errors
        self._report(desired.version, "rejected", errors)

    def _report(self, version: int, status: str, errors: list[str]) -> None:
        reported = protocol.Reported(applied_version=self.applied_version, desired_version=version,
                                     status=status, errors=errors)
        self._context.publish_up("reported", protocol.encode(reported))
