"""FakeTransport answers by queue, rule or responder, and simulates a pulled cable and a stalled line."""

import pytest

from firmware_bridge.errors import TransportError, TransportTimeout
from firmware_bridge.transport.fake import FakeTransport


def test_queue_then_rules_then_responder():
    fake = FakeTransport(responder=lambda data: data[-1:])
    fake.queue_reply(b"\x16")
    fake.rules[b"\x10\x04\x02"] = b"\x12"
    fake.write(b"\x10\x04\x01")
    assert fake.read(4, 0.1) == b"\x16"
    fake.write(b"\x10\x04\x02")
    assert fake.read_exactly(1, 0.1) == b"\x12"
    fake.write(b"xyz")
    assert fake.read(4, 0.1) == b"z"
    assert fake.written == b"\x10\x04\x01\x10\x04\x02xyz"
    assert fake.health.bytes_written == 9


def test_silence_and_failures():
    fake = FakeTransport()
    fake.write(b"\x10\x04\x04")
    with pytest.raises(TransportTimeout):
        fake.read_exactly(1, 0.1)
    fake.stall_writes = True
    with pytest.raises(TransportTimeout):
        fake.write(b"x")
    fake.stall_writes, fake.fail_writes = False, True
    with pytest.raises(TransportError):
        fake.write(b"x")
    assert (fake.health.read_timeouts, fake.health.write_timeouts, fake.health.errors) == (1, 1, 1)


def test_flush_input_discards_stale_reply():
    fake = FakeTransport()
    fake.queue_reply(b"\x12\x12")
    fake.write(b"q")
    fake.flush_input()
    assert fake.read(2, 0.1) == b""
