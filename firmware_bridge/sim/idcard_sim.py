"""ID card reader (SAM serial module) simulator on a pty, with test cards and fault knobs.

Why: development and integration tests must drive the real driver through real pyserial and termios with the
exact bytes of the protocol, including the failures a kiosk meets: broken checksums, a silent reader, a card
lifted mid-read, an unreadable chip, an unknown card type and a SAM that failed its self-test.
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import termios
import threading
from dataclasses import dataclass, fields

from firmware_bridge.idcard import commands
from firmware_bridge.idcard.errors import FrameError
from firmware_bridge.idcard.frame import FrameReader
from firmware_bridge.idcard.responses import NEW_ADDRESS_BYTES, BaseInfo, Response, encode_base_info, \
    parse_command
from firmware_bridge.idcard.status import Sw3
from firmware_bridge.idcard.textblock import encode_text_block
from firmware_bridge.sim.idcard_cards import TEST_CARDS
from firmware_bridge.sim.pty import PtyPair, open_pty

SIM_NAME = "idcard"

SAM_ID_DATA = bytes([0x05, 0x00, 0x01, 0x00]) + (20240101).to_bytes(4, "little") + \
    (12345678).to_bytes(4, "little") + (87654321).to_bytes(4, "little")
"""The simulated SAM's 16-byte management info."""
FIND_DATA = bytes(4)
SELECT_DATA = bytes(8)
READ_CHUNK_BYTES = 4096
LINE_SPEEDS = {getattr(termios, f"B{rate}"): rate for rate in commands.BAUD_PARAS}
"""termios speed constant → bit/s, for the rates a SAM knows."""


@dataclass(slots=True)
class SimFaults:
    """Fault knobs; tests flip them while the simulator runs."""

    bad_checksum: bool = False
    """The base-info reply carries a wrong checksum."""
    no_reply: bool = False
    """The reader answers nothing at all."""
    lift_mid_read: bool = False
    """The card leaves the field during the base-info read: 0x41, and the card is gone."""
    unreadable_chip: bool = False
    """The chip answers find and select but its data cannot be read: 0x41, the card stays."""
    unknown_card_type: bool = False
    """Select answers 0x40: not a card the SAM knows."""
    sam_self_test_failed: bool = False
    """Every command answers 0x60: the SAM cannot accept commands."""
    no_new_address_command: bool = False
    """An older module: the additional-address read (30 03) answers 0x21 command error."""


class IdCardSimulator:
    """A SAM with one card slot; `present(name)` and `lift()` move test cards in and out of the field."""

    def __init__(self, pty: PtyPair | None = None) -> None:
        self._pty = pty
        self.faults = SimFaults()
        self.commands_seen: list[str] = []
        """Names of the commands received, in order (for tests)."""
        self._card: str | None = None
        self._selected = False
        self._read_done = False
        self._lock = threading.Lock()
        self._command_seen = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._wake_r, self._wake_w = -1, -1
        self._dispatch = {c.key: c.name for c in commands.ALL_COMMANDS}
        self._baud_by_para = {para: rate for rate, para in commands.BAUD_PARAS.items()}
        self.baud_bps = commands.DEFAULT_BAUD_BPS
        """The SAM's line speed: bytes the host sends at another speed arrive garbled and go unanswered."""

    @property
    def port_path(self) -> str:
        """The path a driver opens like a serial port."""
        if self._pty is None:
            raise RuntimeError("simulator not started")
        return self._pty.port_path

    def present(self, card: str) -> None:
        """Put the named test card on the reader (a fresh presentation)."""
        if card not in TEST_CARDS:
            raise KeyError(f"no test card {card!r}; known: {', '.join(TEST_CARDS)}")
        with self._lock:
            self._card, self._selected, self._read_done = card, False, False

    def lift(self) -> None:
        """Take the card off the reader."""
        with self._lock:
            self._card, self._selected, self._read_done = None, False, False

    def count(self, command: str) -> int:
        """How many times `command` (a Command name) was received."""
        with self._lock:
            return self.commands_seen.count(command)

    def wait_for_command(self, command: str, count: int, timeout_s: float) -> bool:
        """Wait until `command` was received `count` times in all; False after `timeout_s`."""
        with self._command_seen:
            return self._command_seen.wait_for(lambda: self.commands_seen.count(command) >= count, timeout_s)

    # ---- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the pty (unless given) and answer commands on a thread."""
        if self._thread is not None:
            return
        if self._pty is None:
            self._pty = open_pty()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._serve, name="idcard-sim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop answering and close the pty (the port disappears, like a pulled cable)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        os.write(self._wake_w, b"x")
        thread.join(5.0)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
        if self._pty is not None:
            self._pty.close()

    # ---- protocol ----------------------------------------------------------------------------------------

    def respond(self, body: bytes) -> bytes | None:
        """The reply frame to one command body, or None for silence."""
        cmd, para, _ = parse_command(body)
        name = self._dispatch.get((cmd, para), f"unknown_{cmd:02X}_{para:02X}")
        with self._lock:
            self.commands_seen.append(name)
            self._command_seen.notify_all()
            if self.faults.no_reply:
                return None
            if self.faults.sam_self_test_failed:
                return Response(0, 0, Sw3.SAM_SELF_TEST_FAILED).encode()
            reply = self._answer(name)
            if name == "set_baud":
                self.baud_bps = self._baud_by_para[para]  # the reply still goes out at the old speed
            return reply

    def _answer(self, name: str) -> bytes:
        card = TEST_CARDS.get(self._card) if self._card is not None else None
        if name in ("reset_sam", "sam_status", "set_max_rf_frame", "set_baud"):
            return _reply(Sw3.OK)
        if name == "read_sam_id":
            return _reply(Sw3.OK, SAM_ID_DATA)
        if name == "find_card":
            return _reply(Sw3.FIND_OK, FIND_DATA) if card and not self._read_done else _reply(Sw3.NO_CARD)
        if name == "select_card":
            if card is None:
                return _reply(Sw3.SELECT_FAILED)
            if self.faults.unknown_card_type:
                return _reply(Sw3.UNKNOWN_CARD_TYPE)
            self._selected = True
            return _reply(Sw3.OK, SELECT_DATA)
        if card is None or not self._selected:
            return _reply(Sw3.READ_FAILED if name.startswith("read_") else Sw3.COMMAND_ERROR)
        if name in ("read_base_info", "read_base_info_with_fingerprint"):
            return self._read_base_info(name == "read_base_info_with_fingerprint")
        if name == "read_new_address":
            if self.faults.no_new_address_command:
                return _reply(Sw3.COMMAND_ERROR)
            if not card.new_address:
                return _reply(Sw3.NO_CONTENT)
            data = card.new_address.encode("utf-16-le")
            return _reply(Sw3.OK, data + " ".encode("utf-16-le") * ((NEW_ADDRESS_BYTES - len(data)) // 2))
        if name == "read_mid":
            return _reply(Sw3.OK, card.id_number[-8:].encode("ascii").rjust(8, b"0"))
        return _reply(Sw3.COMMAND_ERROR)

    def _read_base_info(self, with_fingerprint: bool) -> bytes:
        if self.faults.unreadable_chip:
            return _reply(Sw3.READ_FAILED)
        if self.faults.lift_mid_read:
            self._card, self._selected = None, False
            return _reply(Sw3.READ_FAILED)
        card = TEST_CARDS[self._card or ""]
        info = BaseInfo(encode_text_block(card), bytes(card.photo), b"" if with_fingerprint else None)
        frame = _reply(Sw3.OK, encode_base_info(info))
        self._read_done = True
        if self.faults.bad_checksum:
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        return frame

    def _serve(self) -> None:
        assert self._pty is not None
        reader, fd = FrameReader(), self._pty.master_fd
        while True:
            ready, _, _ = select.select([fd, self._wake_r], [], [])
            if self._wake_r in ready:
                return
            try:
                data = os.read(fd, READ_CHUNK_BYTES)
                host_bps = LINE_SPEEDS.get(termios.tcgetattr(fd)[5])
            except (OSError, termios.error):
                return
            if host_bps != self.baud_bps:
                reader.clear()  # framing errors at a mismatched speed: nothing the SAM can parse
                continue
            reader.feed(data)
            while True:
                try:
                    body = reader.pop()
                except FrameError:
                    self._send(fd, _reply(Sw3.HOST_CHECKSUM_ERROR))
                    continue
                if body is None:
                    break
                reply = self.respond(body)
                if reply is not None:
                    self._send(fd, reply)

    @staticmethod
    def _send(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]


def _reply(sw3: Sw3, data: bytes = b"") -> bytes:
    return Response(0, 0, sw3, data).encode()


# ---- `kiosk sim idcard` ----------------------------------------------------------------------------------

FAULT_NAMES = tuple(f.name for f in fields(SimFaults))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `kiosk sim idcard`."""
    parser.add_argument("--card", choices=sorted(TEST_CARDS), help="test card on the reader at start")
    parser.add_argument("--fault", action="append", default=[], choices=FAULT_NAMES, help="fault knob to turn on")
    parser.add_argument("--baud", type=int, default=commands.DEFAULT_BAUD_BPS, choices=sorted(commands.BAUD_PARAS),
                        help="the SAM's line speed at start, in bit/s")


def run(args: argparse.Namespace) -> int:
    """Run the simulator until interrupted; stdin lines `present NAME`, `lift`, `fault NAME on|off` steer it."""
    sim = IdCardSimulator()
    sim.baud_bps = args.baud
    sim.start()
    for name in args.fault:
        setattr(sim.faults, name, True)
    if args.card:
        sim.present(args.card)
    print(f"ID card reader simulator on {sim.port_path}", flush=True)
    print(f"cards: {', '.join(TEST_CARDS)}; faults: {', '.join(FAULT_NAMES)}", flush=True)
    try:
        for line in sys.stdin:
            print(_steer(sim, line.split()), flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        return 0
    finally:
        sim.stop()
    return 0


def _steer(sim: IdCardSimulator, words: list[str]) -> str:
    """Apply one console command; returns the line to print."""
    if words[:1] == ["present"] and len(words) == 2 and words[1] in TEST_CARDS:
        sim.present(words[1])
        return f"card {words[1]} presented"
    if words == ["lift"]:
        sim.lift()
        return "card lifted"
    if words[:1] == ["fault"] and len(words) == 3 and words[1] in FAULT_NAMES and words[2] in ("on", "off"):
        setattr(sim.faults, words[1], words[2] == "on")
        return f"fault {words[1]} {words[2]}"
    return "commands: present CARD | lift | fault NAME on|off"
