"""One command, one reply, over a Transport: the SAM's request/response exchange and the read sequence.

Why separate from the polling driver: the exchange (timeouts per command, resynchronising reader, result
codes) is the same for the kiosk's polling thread and a technician's one-shot read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from firmware_bridge.errors import TransportTimeout
from firmware_bridge.idcard import commands
from firmware_bridge.idcard.card import CardRecord
from firmware_bridge.idcard.commands import Command
from firmware_bridge.idcard.errors import SamResultError
from firmware_bridge.idcard.frame import FrameReader
from firmware_bridge.idcard.responses import Response, parse_base_info, parse_new_address, parse_response, \
    parse_sam_id
from firmware_bridge.idcard.status import Sw3, describe, result_code
from firmware_bridge.idcard.textblock import decode_text_block, with_new_address
from firmware_bridge.transport.base import Transport

QUICK_TIMEOUT_S = 0.5
"""Seconds for find, select and SAM commands (the SAM answers in about 100 ms)."""
READ_TIMEOUT_S = 3.0
"""Seconds for reads of card data (the RF read takes about 2 s, 3 s with fingerprint)."""
BAUD_SETTLE_S = 0.005
"""Seconds a SAM needs after acknowledging a new line speed before it listens at it (reader SDKs: 5 ms)."""


class SamClient:
    """Sends commands and returns replies; raises TransportError, FrameError or SamResultError."""

    def __init__(self, transport: Transport, *, quick_timeout_s: float = QUICK_TIMEOUT_S,
                 read_timeout_s: float = READ_TIMEOUT_S, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.quick_timeout_s = quick_timeout_s
        self.read_timeout_s = read_timeout_s
        self._monotonic = monotonic
        self._reader = FrameReader()
        self.reads_new_address: bool | None = None
        """Whether this SAM knows `30 03` (None until a card shows it): older modules answer 'command error',
        and asking again on every card would only cost time."""

    @property
    def frames_rejected(self) -> int:
        """Broken frames dropped since start (health counter)."""
        return self._reader.rejected

    def transact(self, command: Command) -> Response:
        """Send `command` and return its reply, waiting at most the command's timeout."""
        timeout_s = self.read_timeout_s if command.slow else self.quick_timeout_s
        self._reader.clear()
        self.transport.flush_input()
        self.transport.write(command.encode(), timeout_s)
        deadline = self._monotonic() + timeout_s
        try:
            return parse_response(self._next_body(deadline, command.name))
        finally:
            self._reader.clear()

    def expect(self, command: Command, *accepted: Sw3) -> Response:
        """Send `command`; a result outside `accepted` raises SamResultError with its IDR code."""
        response = self.transact(command)
        if response.sw3 not in accepted:
            raise SamResultError(response.sw3, result_code(response.sw3),
                                 f"{command.name}: {describe(response.sw3)} (0x{response.sw3:02X})")
        return response

    def sam_status(self) -> None:
        """Ask the SAM for its self-check; raises SamResultError (0x60: self-test failed)."""
        self.expect(commands.SAM_STATUS, Sw3.OK)

    def sam_id(self) -> str:
        """The SAM's management id, for the maintenance menu."""
        return parse_sam_id(self.expect(commands.READ_SAM_ID, Sw3.OK).data)

    def find_card(self) -> bool:
        """True when a new card is in the field (0x9F), False for none or one already read (0x80)."""
        return self.expect(commands.FIND_CARD, Sw3.FIND_OK, Sw3.NO_CARD).sw3 == Sw3.FIND_OK

    def select_card(self) -> None:
        """Select the card found by `find_card`."""
        self.expect(commands.SELECT_CARD, Sw3.OK)

    def read_card(self) -> CardRecord:
        """Read base info (text and photo) and the additional address, decoded into a record.

        The additional address is optional: when the SAM refuses `30 03` (a module that predates it answers with
        a result code other than OK / no content) or does not answer it in time, the base record is returned with
        `new_address_unavailable` set; a refusal is remembered until `forget_capabilities` (a new connection)."""
        info = parse_base_info(self.expect(commands.READ_BASE_INFO, Sw3.OK).data)
        record = decode_text_block(info.text, info.photo)
        if self.reads_new_address is False:
            return replace(record, new_address_unavailable=True)
        try:
            extra = self.transact(commands.READ_NEW_ADDRESS)
        except TransportTimeout:
            return replace(record, new_address_unavailable=True)
        if extra.sw3 not in (Sw3.OK, Sw3.NO_CONTENT):
            self.reads_new_address = False
            return replace(record, new_address_unavailable=True)
        self.reads_new_address = True
        return with_new_address(record, parse_new_address(extra.data)) if extra.sw3 == Sw3.OK else record

    def forget_capabilities(self) -> None:
        """A (re)connected reader may be another module: find out again what it can read."""
        self.reads_new_address = None

    def _next_body(self, deadline: float, what: str) -> bytes:
        """Feed the frame reader until one frame completes; a partial frame at the deadline is a timeout."""
        while True:
            body = self._reader.pop()
            if body is not None:
                return body
            remaining = deadline - self._monotonic()
            wanted = self._reader.wanted()
            data = self.transport.read(wanted, remaining) if remaining > 0 else b""
            self._reader.feed(data)
            if len(data) < wanted:
                body = self._reader.pop()
                if body is not None:
                    return body
                raise TransportTimeout(f"no complete reply to {what} from {self.transport.url}")


def switch_baud(open_at: Callable[[int], Transport], current_bps: int, new_bps: int, *,
                sleep: Callable[[float], None] = time.sleep) -> None:
    """Move the SAM from `current_bps` to `new_bps`, then prove it answers a status check at the new speed.

    `open_at(bps)` gives a closed transport on the reader's port at that speed. Raises ValueError for a speed
    the SAM does not have, SamResultError if it refuses, TransportError if it is silent at either speed.
    """
    command = commands.set_baud(new_bps)
    with _opened(open_at(current_bps)) as transport:
        SamClient(transport).expect(command, Sw3.OK)
    sleep(BAUD_SETTLE_S)
    with _opened(open_at(new_bps)) as transport:
        SamClient(transport).sam_status()


@contextmanager
def _opened(transport: Transport) -> Iterator[Transport]:
    transport.open()
    try:
        yield transport
    finally:
        transport.close()
