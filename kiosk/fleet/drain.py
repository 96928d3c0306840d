"""Telemetry from the outbox to the broker: batches per stream in seq order, released only by the server's ack.

Why (§3.4): the outbox deletes an event only when the server's application ack covers it, never on PUBACK, so
the drain sends only while the retained `_srv/state` says the server is online, keeps at most `batches_in_flight`
batches unacked and `batches_per_s` a second, and goes back to the last ack after every connect, when the server
comes online, and when an ack is overdue: anything unacked may have been lost, and the server de-duplicates.
An ack never releases more than this kiosk sent in that epoch (a forged or confused ack must not make the outbox
drop events that never left).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from kiosk.config.schema import FleetConfig
from kiosk.core.clock import Clock
from kiosk.fleet import protocol
from kiosk.fleet.agent_context import AgentContext
from kiosk.fleet.outbox import Outbox

logger = logging.getLogger(__name__)


class Drain:
    """The sending side of the outbox and the acks that come back; agent thread only (`server_online` is read from
    any thread)."""

    def __init__(self, fleet: FleetConfig, context: AgentContext, *, outbox: Outbox, clock: Clock,
                 announce: Callable[[], None]) -> None:
        """`announce` publishes a birth (after a new epoch, so the server learns where the stream now stands)."""
        self._cfg = fleet
        self._context = context
        self._outbox = outbox
        self._clock = clock
        self._announce = announce
        self.server_online = False
        """The server's retained state said online since this connection came up."""
        self.cursor: dict[str, int] = {}
        """The next seq to send per stream."""
        self.inflight: dict[str, deque[tuple[int, float]]] = {s: deque() for s in protocol.STREAMS}
        """(last seq, monotonic s when sent) of each unacked batch per stream, oldest first."""
        self._sent: dict[str, tuple[int, int]] = {}
        """(epoch, highest seq published) per stream: an ack never releases more than this."""
        self._tokens = float(fleet.batches_in_flight)
        self._tokens_at = 0.0
        self.counters = {"batches_sent": 0, "resends": 0, "acks_beyond_sent": 0, "new_epochs": 0}

    # ---- the link and the server ---------------------------------------------------------------------------

    def link_up(self) -> None:
        """A new connection: wait for the server's state, and start again from the last ack."""
        self.server_online = False
        self._rewind_all()

    def link_down(self) -> None:
        self.server_online = False

    def on_server_state(self, state: protocol.ServerState) -> None:
        was_online, self.server_online = self.server_online, state.online
        if state.online and not was_online:
            self._rewind_all()

    def _rewind_all(self) -> None:
        """Go back to the last ack on every stream: anything unacked may have been lost (§3.4)."""
        for stream, position in self._outbox.positions().items():
            self.cursor[stream] = position.acked_seq + 1
            self.inflight[stream].clear()

    # ---- acks ----------------------------------------------------------------------------------------------

    def on_ack(self, ack: protocol.Ack) -> None:
        """Release what the server acked, no further than what was sent in that epoch."""
        for stream, stream_ack in ack.acks.items():
            sent_epoch, sent = self._sent.get(stream, (0, 0))
            upto = min(stream_ack.upto, sent if sent_epoch == stream_ack.epoch else 0)
            if not self._outbox.ack(stream, stream_ack.epoch, upto):
                continue
            if upto < stream_ack.upto:
                self.counters["acks_beyond_sent"] += 1
                logger.warning("ack of %s up to %d but only %d was sent; released up to %d only", stream,
                               stream_ack.upto, upto, upto)
            inflight = self.inflight[stream]
            while inflight and inflight[0][0] <= upto:
                inflight.popleft()
            self.cursor[stream] = max(self.cursor.get(stream, 1), upto + 1)

    def check_ack_timeouts(self) -> None:
        """Resend a stream from its last ack when its oldest batch has waited `ack_timeout_s` for one."""
        now = self._clock.monotonic()
        for stream, inflight in self.inflight.items():
            if inflight and now - inflight[0][1] > self._cfg.ack_timeout_s:
                logger.info("no ack on %s for %.0f s; resending from the last ack", stream, self._cfg.ack_timeout_s)
                self.counters["resends"] += 1
                inflight.clear()
                self.cursor[stream] = self._outbox.positions()[stream].acked_seq + 1

    # ---- sending -------------------------------------------------------------------------------------------

    def run(self) -> None:
        """Send batches while the server is online, the window has room and the rate limit allows."""
        if not self.server_online:
            return
        positions = self._outbox.positions()
        for stream in protocol.STREAMS:
            position = positions.get(stream)
            while position is not None:
                cursor = self.cursor.get(stream, position.acked_seq + 1)
                if cursor > position.last_seq:
                    break
                if sum(len(q) for q in self.inflight.values()) >= self._cfg.batches_in_flight:
                    return
                if not self._take_token():
                    return
                self.send_batch(stream, cursor)

    def send_batch(self, stream: str, cursor: int) -> None:
        """Publish the batch of `stream` that starts at `cursor` and move the cursor past it."""
        pending = self._outbox.read(stream, cursor, self._cfg.batch_max_events, protocol.BATCH_MAX_BYTES)
        if not pending.seqs:
            self.cursor[stream] = self._outbox.positions()[stream].last_seq + 1
            return
        context = self._context
        context.link.publish(context.topics.tel(stream), pending.payload(context.server_clock.state()))
        self.inflight[stream].append((pending.last, self._clock.monotonic()))
        sent_epoch, sent = self._sent.get(stream, (pending.epoch, 0))
        self._sent[stream] = (pending.epoch, max(pending.last, sent if sent_epoch == pending.epoch else 0))
        self.cursor[stream] = pending.last + 1
        self.counters["batches_sent"] += 1

    def _take_token(self) -> bool:
        now = self._clock.monotonic()
        self._tokens = min(float(self._cfg.batches_in_flight),
                           self._tokens + (now - self._tokens_at) * self._cfg.batches_per_s)
        self._tokens_at = now
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True

    # ---- the server's commands about streams (built-ins) ---------------------------------------------------

    def resend(self, args: protocol.ResendArgs) -> dict[str, Any]:
        """The server misses events: send the stream again from `from_seq`."""
        self.inflight[args.stream].clear()
        self.cursor[args.stream] = args.from_seq
        self.counters["resends"] += 1
        return {"stream": args.stream, "from_seq": args.from_seq}

    def new_epoch(self, args: protocol.NewEpochArgs) -> dict[str, Any]:
        """The server found this stream rewound (seqs reused after a restore): continue in a fresh epoch."""
        position = self._outbox.new_epoch(args.stream, args.epoch, args.from_seq)
        if position is None:
            return {"stream": args.stream, "epoch": self._outbox.positions()[args.stream].epoch, "moved": 0}
        logger.warning("server asked for a new %s epoch from seq %d: %d held events continue as epoch %d",
                       args.stream, args.from_seq, position.backlog, position.epoch)
        self.counters["new_epochs"] += 1
        self.inflight[args.stream].clear()
        self.cursor[args.stream] = 1
        self._sent.pop(args.stream, None)
        self._announce()
        return {"stream": args.stream, "epoch": position.epoch, "moved": position.backlog}
