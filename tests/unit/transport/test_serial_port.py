"""SerialTransport against real pyserial: loop://, a real pty, a vanishing port behind a symlink, socket://."""

from __future__ import annotations

import os
import socket
import threading

import pytest
import serial

from firmware_bridge.errors import TransportError, TransportTimeout
from firmware_bridge.sim.pty import open_pty
from firmware_bridge.transport.serial_port import SerialTransport


class ManualClock:
    """A monotonic clock the test moves, so backoff is checked without sleeping."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_loop_url_round_trip_counts_bytes():
    link = SerialTransport("loop://", baudrate=9600)
    link.write(b"\x10\x04\x01")
    assert link.read_exactly(3, 1.0) == b"\x10\x04\x01"
    assert (link.health.bytes_written, link.health.bytes_read, link.health.opens) == (3, 3, 1)
    link.close()
    link.close()
    assert not link.is_open


@pytest.mark.parametrize("flow, rtscts, xonxoff", [("rtscts", True, False), ("xonxoff", False, True),
                                                    ("none", False, False)])
def test_flow_control_is_set_explicitly(flow, rtscts, xonxoff):
    pair = open_pty()
    try:
        link = SerialTransport(pair.port_path, flow_control=flow, write_timeout_s=0.7)
        link.open()
        port = link._port
        assert (port.rtscts, port.xonxoff, port.dsrdtr, port.write_timeout) == (rtscts, xonxoff, False, 0.7)
        link.close()
    finally:
        pair.close()


def test_pty_read_and_read_exactly_timeout():
    pair = open_pty()
    try:
        link = SerialTransport(pair.port_path)
        link.open()
        os.write(pair.master_fd, b"\x12")
        assert link.read(16, 1.0) == b"\x12"
        with pytest.raises(TransportTimeout):
            link.read_exactly(1, 0.05)
        assert link.health.read_timeouts == 1
        link.close()
    finally:
        pair.close()


def test_write_times_out_when_the_device_stops_reading():
    pair = open_pty()
    try:
        link = SerialTransport(pair.port_path, write_timeout_s=0.2)
        with pytest.raises(TransportTimeout):
            link.write(b"\x00" * 1_000_000)
        assert link.health.write_timeouts == 1
        assert link.is_open
        link.close()
    finally:
        pair.close()


def test_vanishing_adapter_is_reopened_after_backoff(tmp_path):
    clock = ManualClock()
    alias = tmp_path / "printer"
    first = open_pty()
    alias.symlink_to(first.port_path)
    link = SerialTransport(str(alias), first_backoff_s=0.5, max_backoff_s=2.0, monotonic=clock)
    link.write(b"A")
    assert os.read(first.master_fd, 1) == b"A"

    first.close()
    alias.unlink()
    with pytest.raises(TransportError):
        link.write(b"B")
    assert not link.is_open and link.health.errors == 1

    with pytest.raises(TransportError, match="next attempt"):
        link.open()
    clock.now += 0.5
    with pytest.raises(TransportError, match="cannot open"):
        link.open()
    assert link.retry_in_s == pytest.approx(1.0)
    clock.now += 1.0
    with pytest.raises(TransportError, match="cannot open"):
        link.open()
    assert link.retry_in_s == pytest.approx(2.0)

    second = open_pty()
    try:
        alias.symlink_to(second.port_path)
        clock.now += 2.0
        link.write(b"C")
        assert os.read(second.master_fd, 1) == b"C"
        assert (link.health.reconnects, link.health.opens) == (1, 2)
        link.close()
    finally:
        second.close()


def test_socket_url_reaches_a_tcp_bridge():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    received = []

    def serve():
        conn, _ = server.accept()
        with conn:
            received.append(conn.recv(3))
            conn.sendall(b"\x12")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        link = SerialTransport(f"socket://127.0.0.1:{port}")
        link.write(b"\x10\x04\x01")
        assert link.read_exactly(1, 2.0) == b"\x12"
        link.close()
        thread.join(5)
        assert received == [b"\x10\x04\x01"]
    finally:
        server.close()


def test_open_of_a_missing_port_raises_transport_error(tmp_path):
    link = SerialTransport(str(tmp_path / "absent"))
    with pytest.raises(TransportError) as info:
        link.open()
    assert info.value.code == "TRN-001"
    assert isinstance(info.value.__cause__, serial.SerialException)
