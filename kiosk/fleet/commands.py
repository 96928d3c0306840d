"""The agent's side of commands: allow-listed, checked, answered in two phases, each carried out at most once.

Why (§3.6): a command may arrive twice (QoS 1, a resend after a reconnect), so its reply is stored with its id and a
duplicate is answered from there, never run again; an expired, malformed or unknown command is answered, not
dropped; one that needs the kiosk idle is refused with 409 mid-session. Built-ins (the agent's own: ping, rebirth,
time_sync, resend, new_epoch) run on the agent thread at once; the composition root's handlers (restart_app,
reboot, screenshot …) run on the command thread, so a slow one never stalls the link.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from kiosk.fleet import device_store, protocol
from kiosk.fleet.agent_context import AgentContext
from kiosk.fleet.protocol import Code, Rejected
from kiosk.fleet.worker import Worker

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 500
"""Characters of a failed handler's error carried in its reply."""

CommandHandler = Callable[[protocol.NoArgs], Mapping[str, Any]]
"""A command carried out: takes the validated args, returns a small JSON-able result; raising Rejected carries its
code (e.g. 503 printer offline), any other exception is a 500."""


class Commands:
    """Answers the commands of one kiosk; agent thread, but for the handlers on the command thread."""

    def __init__(self, context: AgentContext, *, worker: Worker, is_idle: Callable[[], bool],
                 builtins: Mapping[str, CommandHandler], handlers: Mapping[str, CommandHandler]) -> None:
        """`builtins` run on the agent thread, `handlers` on `worker` (the command thread); together at most the
        allow-list."""
        self._context = context
        self._worker = worker
        self._is_idle = is_idle
        self._builtins = builtins
        self._handlers = handlers

    def on_command(self, command: protocol.Command) -> None:
        stored = self._context.db.call(lambda d: device_store.command_reply(d, command.id))
        if stored is not None:
            self._context.publish_up("res", stored[1])
            return
        try:
            spec, args = protocol.command_args(command, self._context.server_clock.server_now_ms())
        except Rejected as exc:
            self.reply(command.id, command.name, "final", exc.code, error=exc.reason)
            return
        if (spec.requires_idle or command.requires_idle) and not self._is_idle():
            self.reply(command.id, command.name, "final", Code.CONFLICT, error="a citizen session is in progress")
            return
        builtin = self._builtins.get(command.name)
        if builtin is not None:
            self.reply(command.id, command.name, "accepted", Code.ACCEPTED)
            self.reply(command.id, command.name, "final", Code.OK, builtin(args))
            return
        handler = self._handlers.get(command.name)
        if handler is None:
            self.reply(command.id, command.name, "final", Code.UNAVAILABLE, error="not available on this kiosk")
            return
        self.reply(command.id, command.name, "accepted", Code.ACCEPTED)
        self._worker.submit(self._run_handler, command.id, command.name, handler, args)

    def reply(self, command_id: str, name: str, phase: str, code: Code, result: Mapping[str, Any] | None = None,
              error: str | None = None) -> None:
        """Publish one phase of the reply; stored by id (for duplicates) unless `name` is empty (a command too
        malformed to be named)."""
        reply = protocol.encode(protocol.CommandResult(id=command_id, phase=phase, code=code,
                                                       result=dict(result or {}), error=error))
        if name:
            received = self._context.server_clock.now_ms()
            self._context.db.call(lambda d: device_store.save_command_reply(d, command_id, name, received, phase,
                                                                            int(code), reply))
        self._context.publish_up("res", reply)

    def _run_handler(self, command_id: str, name: str, handler: CommandHandler, args: protocol.NoArgs) -> None:
        """On the command thread: run a handler and post its outcome back to the agent thread."""
        try:
            result = dict(handler(args))
        except Rejected as exc:
            self._context.post(self._on_done, command_id, name, exc.code, {}, exc.reason)
        except Exception as exc:
            logger.exception("command %s failed", name)
            self._context.post(self._on_done, command_id, name, Code.FAILED, {}, str(exc)[:ERROR_MAX_CHARS])
        else:
            self._context.post(self._on_done, command_id, name, Code.OK, result, None)

    def _on_done(self, command_id: str, name: str, code: Code, result: dict, error: str | None) -> None:
        self.reply(command_id, name, "final", code, result, error)
