"""Thermal printer simulator on a pty: consumes real ESC/POS bytes, answers DLE EOT, has fault knobs.

Why: the printer path (pyserial, termios, XON/XOFF, status replies, a buffer that fills while paper moves)
must be exercised end to end without a printer. The simulator frames every command as it arrives, answers
real-time status at once (as printers do, even while busy or offline), queues the rest in a receive buffer of
the profile's size, and "prints" it at the profile's speed, keeping a record of lines, pictures, QR data and
cuts. With XON/XOFF it sends XOFF at 3/4 full and XON at 1/4; bytes that arrive to a full buffer are dropped
and counted, as a real printer would lose them, except DLE EOT, which is answered even then (Epson: executed
"even when the receive buffer is full"). On recovery from a fault (cover closed, paper loaded) it
discards its buffer, like printers that reset after an error.
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from firmware_bridge.escpos.profile import GENERIC_58MM, GENERIC_80MM, LINE_PITCH_DOTS, PrinterModel
from firmware_bridge.escpos.status import (EOT1_OFFLINE, EOT2_COVER_OPEN, EOT2_PAPER_END_STOP, EOT4_NEAR_END,
                                           EOT4_PAPER_END, STATUS_FIXED_BITS)
from firmware_bridge.sim.pty import PtyPair, open_pty

SIM_NAME = "printer"
XON, XOFF = b"\x11", b"\x13"
GARBAGE_REPLY = b"\xff\x00"
"""What a printer at the wrong baud rate or a noisy line sends back: never a valid status byte."""
QR_MODULES_ESTIMATE = 33
"""Modules across a typical verification-URL QR (version 4 with quiet zone), for paper-length modelling."""

_FIXED_ARGS = {b"\x1b@": 0, b"\x1b2": 0, b"\x1c&": 0, b"\x1c.": 0, b"\x1b3": 1, b"\x1ba": 1, b"\x1bE": 1,
               b"\x1bd": 1, b"\x1bJ": 1, b"\x1b!": 1, b"\x1bM": 1, b"\x1bt": 1, b"\x1c!": 1, b"\x1d!": 1,
               b"\x10\x04": 1}
"""Two-byte commands with a fixed number of argument bytes."""


def frame_length(buf: bytes | bytearray) -> int:
    """Length of the complete command or text unit at the start of `buf`; 0 if more bytes are needed."""
    if not buf:
        return 0
    first = buf[0]
    if first in (0x1B, 0x1C, 0x1D, 0x10):
        if len(buf) < 2:
            return 0
        head = bytes(buf[:2])
        if head in _FIXED_ARGS:
            n = 2 + _FIXED_ARGS[head]
            return n if len(buf) >= n else 0
        if head == b"\x1dV":
            if len(buf) < 3:
                return 0
            n = 4 if buf[2] in (65, 66) else 3
            return n if len(buf) >= n else 0
        if head == b"\x1dv":
            if len(buf) < 8:
                return 0
            n = 8 + int.from_bytes(buf[4:6], "little") * int.from_bytes(buf[6:8], "little")
            return n if len(buf) >= n else 0
        if head in (b"\x1d(", ):
            if len(buf) < 5:
                return 0
            n = 5 + int.from_bytes(buf[3:5], "little")
            return n if len(buf) >= n else 0
        return 2   # unknown command: consumed as two bytes and counted
    if first >= 0x81:
        if len(buf) < 2:
            return 0
        if 0x30 <= buf[1] <= 0x39:
            return 4 if len(buf) >= 4 else 0
        return 2
    return 1


@dataclass
class Faults:
    """The knobs; tests and the command line set them, the simulator reads them on every step."""

    paper_near_end: bool = False
    paper_out_after_mm: float | None = None
    cover_open: bool = False
    no_reply: bool = False
    garbage_reply: bool = False
    reply_delay_s: float = 0.0
    drop_after_bytes: int | None = None


@dataclass
class Printout:
    """What came out of the printer, in order: ('text', str), ('image', (width_dots, rows)),
    ('qr', bytes), ('cut', None)."""

    items: list[tuple[str, object]] = field(default_factory=list)
    paper_mm: float = 0.0

    @property
    def lines(self) -> list[str]:
        """The text lines printed in the printer font."""
        return [str(value) for kind, value in self.items if kind == "text"]

    def count(self, kind: str) -> int:
        """How many items of `kind` were printed."""
        return sum(1 for k, _ in self.items if k == kind)


class PrinterSimulator:
    """One simulated printer on a pty; `start()` it, open `port_path` with pyserial, `stop()` it."""

    def __init__(self, model: PrinterModel = GENERIC_80MM, *, speed_mm_s: float | None = None,
                 buffer_bytes: int | None = None, xonxoff: bool = False, link_path: str | None = None,
                 faults: Faults | None = None) -> None:
        self.model = model
        self.speed_mm_s = speed_mm_s or model.print_speed_mm_s
        self.capacity = buffer_bytes or model.receive_buffer_bytes
        self.xonxoff = xonxoff
        self.link_path = link_path
        self.faults = faults or Faults()
        self.printout = Printout()
        self.received_bytes = 0
        self.dropped_bytes = 0
        self.unknown_commands = 0
        self.status_queries = 0
        self.connections = 0
        self.peak_buffer_bytes = 0
        self._pty: PtyPair | None = None
        self._pending = bytearray()
        self._buffer: deque[bytes] = deque()
        self._buffered = 0
        self._held = False
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._line = bytearray()
        self._pitch_dots = LINE_PITCH_DOTS
        self._scale = 1
        self._faulted = False
        self._qr_module_dots = 3
        self._qr_data = b""

    # ---- lifecycle ---------------------------------------------------------------------------------------

    @property
    def port_path(self) -> str:
        """The path a driver opens: the stable link when one was asked for, else the pty itself."""
        if self.link_path:
            return self.link_path
        assert self._pty is not None, "simulator not started"
        return self._pty.port_path

    def start(self) -> None:
        """Open the pty and start the receiving and printing threads."""
        self._connect()
        for target, name in ((self._receive_loop, "printer-sim-rx"), (self._print_loop, "printer-sim-mech")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop the threads and close the pty."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(5)
        if self._pty is not None:
            self._pty.close()
        if self.link_path and os.path.islink(self.link_path):
            os.unlink(self.link_path)

    def drop_connection(self) -> None:
        """Pull the cable: the port's open file starts failing; `reconnect()` plugs a new one in."""
        with self._cond:
            if self._pty is not None:
                self._pty.close()
                self._pty = None
            self._pending.clear()

    def reconnect(self) -> None:
        """Plug the printer back in on a fresh pty (the stable link path points at it again)."""
        with self._cond:
            self._connect()

    def _connect(self) -> None:
        self._pty = open_pty()
        self.connections += 1
        if self.link_path:
            tmp = f"{self.link_path}.{os.getpid()}.tmp"
            os.symlink(self._pty.port_path, tmp)
            os.replace(tmp, self.link_path)

    def wait_until(self, predicate, timeout_s: float) -> bool:
        """Wait (bounded) until `predicate(self)` holds; re-checked whenever the simulator's state changes."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout_s)

    # ---- status ------------------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """Whether the cable is in (a pty is open)."""
        return self._pty is not None

    @property
    def paper_out(self) -> bool:
        """Whether the roll ran out (after `paper_out_after_mm` of paper)."""
        limit = self.faults.paper_out_after_mm
        return limit is not None and self.printout.paper_mm >= limit

    def status_byte(self, n: int) -> int:
        """The DLE EOT n reply for the current condition."""
        out, cover = self.paper_out, self.faults.cover_open
        if n == 1:
            return STATUS_FIXED_BITS | (EOT1_OFFLINE if out or cover else 0)
        if n == 2:
            return STATUS_FIXED_BITS | (EOT2_COVER_OPEN if cover else 0) | (EOT2_PAPER_END_STOP if out else 0)
        if n == 4:
            return STATUS_FIXED_BITS | (EOT4_PAPER_END if out else 0) | (
                EOT4_NEAR_END if self.faults.paper_near_end or out else 0)
        return STATUS_FIXED_BITS

    def load_paper(self) -> None:
        """A technician loads a new roll: the paper-out limit is lifted and the printer recovers."""
        with self._cond:
            self.faults.paper_out_after_mm = None
            self._cond.notify_all()

    def close_cover(self) -> None:
        """The cover is closed again."""
        with self._cond:
            self.faults.cover_open = False
            self._cond.notify_all()

    def _reply(self, n: int) -> None:
        self.status_queries += 1
        faults = self.faults
        if faults.no_reply:
            return
        reply = GARBAGE_REPLY if faults.garbage_reply else bytes([self.status_byte(n)])
        if faults.reply_delay_s > 0:
            timer = threading.Timer(faults.reply_delay_s, self._send, args=(reply,))
            timer.daemon = True
            timer.start()
        else:
            self._send(reply)

    def _send(self, data: bytes) -> None:
        pty = self._pty
        if pty is None:
            return
        try:
            os.write(pty.master_fd, data)
        except OSError:
            return

    # ---- receiving ---------------------------------------------------------------------------------------

    def _receive_loop(self) -> None:
        while not self._stop.is_set():
            pty = self._pty
            if pty is None:
                self._stop.wait(0.02)
                continue
            budget = self._read_budget()
            if budget == 0:
                with self._cond:
                    self._cond.wait(0.05)
                continue
            try:
                ready, _, _ = select.select([pty.master_fd], [], [], 0.05)
                data = os.read(pty.master_fd, budget) if ready else b""
            except (OSError, ValueError):
                self._stop.wait(0.02)
                continue
            if data:
                self._receive(data)

    def _read_budget(self) -> int:
        """Bytes to take off the line now. With XON/XOFF a healthy printer takes only what fits: bytes still
        in the pty stand for bytes the host's UART holds back after XOFF. Without flow control, or once a
        fault halts it, it takes whatever arrives (answering DLE EOT, losing what does not fit)."""
        with self._cond:
            if not self.xonxoff or self.faults.cover_open or self.paper_out:
                return 4096
            return max(0, self.capacity - self._buffered - len(self._pending))

    def _receive(self, data: bytes) -> None:
        with self._cond:
            self.received_bytes += len(data)
            room = self.capacity - self._buffered - len(self._pending)
            if len(data) > room:
                lost = data[max(room, 0):]
                self.dropped_bytes += len(lost)
                data = data[:max(room, 0)]
                for at in range(len(lost) - 2):
                    if lost[at:at + 2] == b"\x10\x04":
                        self._reply(lost[at + 2])
            self._pending += data
            while (n := frame_length(self._pending)) > 0:
                unit = bytes(self._pending[:n])
                del self._pending[:n]
                if unit[:2] == b"\x10\x04":
                    self._reply(unit[2])
                else:
                    self._buffer.append(unit)
                    self._buffered += n
            self.peak_buffer_bytes = max(self.peak_buffer_bytes, self._buffered + len(self._pending))
            self._flow()
            self._cond.notify_all()
            limit = self.faults.drop_after_bytes
        if limit is not None and self.received_bytes >= limit:
            self.faults.drop_after_bytes = None
            self.drop_connection()

    def _flow(self) -> None:
        """XOFF at 3/4 of the buffer, XON again at 1/4 (called with the lock held)."""
        if not self.xonxoff:
            return
        used = self._buffered + len(self._pending)
        if not self._held and used >= self.capacity * 3 // 4:
            self._held = True
            self._send(XOFF)
        elif self._held and used <= self.capacity // 4:
            self._held = False
            self._send(XON)

    # ---- printing ----------------------------------------------------------------------------------------

    def _print_loop(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                self._cond.wait_for(lambda: self._stop.is_set() or (self._buffer and not self._stopped()), 0.1)
                if self._faulted and not self._stopped():
                    self._recover()
                if self._stop.is_set() or not self._buffer or self._stopped():
                    continue
                unit = self._buffer.popleft()
                self._buffered -= len(unit)
                self._flow()
                self._cond.notify_all()
            dots = self._execute(unit)
            if dots:
                self._stop.wait(dots / self.model.dots_per_mm / self.speed_mm_s)
                with self._cond:
                    self.printout.paper_mm += dots / self.model.dots_per_mm
                    self._cond.notify_all()

    def _stopped(self) -> bool:
        """Whether the mechanism is halted by a fault (lock held); remembers it for recovery."""
        halted = self.faults.cover_open or self.paper_out
        self._faulted = self._faulted or halted
        return halted

    def _recover(self) -> None:
        """Leaving a fault: the buffer and any half-received command are discarded."""
        self._faulted = False
        self._buffer.clear()
        self._buffered = 0
        self._pending.clear()
        self._line.clear()
        self._flow()

    def _execute(self, unit: bytes) -> int:
        """Apply one command; returns the paper it advances in dots."""
        head = unit[:2]
        if unit == b"\n":
            self._flush_line()
            return max(self._pitch_dots, 24 * self._scale)
        if head == b"\x1b@":
            self._pitch_dots, self._scale = LINE_PITCH_DOTS, 1
        elif head == b"\x1b3":
            self._pitch_dots = unit[2]
        elif head == b"\x1d!":
            self._scale = (unit[2] & 0x0F) + 1
        elif head == b"\x1bd":
            self._flush_line()
            return unit[2] * self._pitch_dots
        elif head == b"\x1bJ":
            self._flush_line()
            return unit[2]
        elif head == b"\x1dv":
            width, rows = int.from_bytes(unit[4:6], "little"), int.from_bytes(unit[6:8], "little")
            self._record("image", (width * 8, rows))
            return rows
        elif head == b"\x1d(" and len(unit) > 6 and unit[5] == 49:
            return self._qr(unit)
        elif head == b"\x1dV":
            self._record("cut", None)
            return unit[3] if len(unit) == 4 else 0
        elif unit[0] in (0x1B, 0x1C, 0x1D) and head not in _FIXED_ARGS and head != b"\x1d(":
            self.unknown_commands += 1
        elif unit[0] >= 0x20:
            self._line += unit
        return 0

    def _qr(self, unit: bytes) -> int:
        fn = unit[6]
        if fn == 67:
            self._qr_module_dots = unit[7]
        elif fn == 80:
            self._qr_data = unit[8:]
        elif fn == 81:
            self._record("qr", self._qr_data)
            return QR_MODULES_ESTIMATE * self._qr_module_dots
        return 0

    def _flush_line(self) -> None:
        text = bytes(self._line).decode("gb18030", errors="replace")
        self._line.clear()
        if text:
            self._record("text", text)

    def _record(self, kind: str, value: object) -> None:
        with self._cond:
            self.printout.items.append((kind, value))
            self._cond.notify_all()


# ---- `kiosk sim printer` ------------------------------------------------------------------------------------

PROFILES = {"80": GENERIC_80MM, "58": GENERIC_58MM}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `kiosk sim printer`: model, speed, buffer, flow control, link path and fault knobs."""
    parser.add_argument("--paper", choices=sorted(PROFILES), default="80", help="paper width in mm")
    parser.add_argument("--speed-mm-s", type=float, help="print speed (default: the profile's)")
    parser.add_argument("--buffer-bytes", type=int, help="receive buffer (default: the profile's)")
    parser.add_argument("--xonxoff", action="store_true", help="send XON/XOFF as the buffer fills")
    parser.add_argument("--link", help="stable symlink to the pty (re-pointed after --drop-after-bytes)")
    parser.add_argument("--paper-near-end", action="store_true")
    parser.add_argument("--paper-out-after-mm", type=float)
    parser.add_argument("--cover-open", action="store_true")
    parser.add_argument("--no-reply", action="store_true", help="never answer DLE EOT")
    parser.add_argument("--garbage-reply", action="store_true", help="answer DLE EOT with bytes that are not status")
    parser.add_argument("--reply-delay-s", type=float, default=0.0, help="answer DLE EOT this late")
    parser.add_argument("--drop-after-bytes", type=int, help="pull the cable after this many bytes, plug in 1 s later")


def run(args: argparse.Namespace) -> int:
    """Run until SIGINT/SIGTERM, printing the port path first and each printed line as it comes."""
    faults = Faults(paper_near_end=args.paper_near_end, paper_out_after_mm=args.paper_out_after_mm,
                    cover_open=args.cover_open, no_reply=args.no_reply, garbage_reply=args.garbage_reply,
                    reply_delay_s=args.reply_delay_s, drop_after_bytes=args.drop_after_bytes)
    link = str(Path(args.link).absolute()) if args.link else None
    sim = PrinterSimulator(PROFILES[args.paper], speed_mm_s=args.speed_mm_s, buffer_bytes=args.buffer_bytes,
                           xonxoff=args.xonxoff, link_path=link, faults=faults)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    sim.start()
    print(sim.port_path, flush=True)
    shown = 0
    try:
        while not stopping.wait(0.2):
            if not sim.connected and not stopping.wait(1.0):
                sim.reconnect()
            items = sim.printout.items
            for kind, value in items[shown:]:
                print(f"{kind}\t{value}", flush=True)
            shown = len(items)
    finally:
        sim.stop()
    return 0
