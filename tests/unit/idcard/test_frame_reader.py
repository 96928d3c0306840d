"""The streaming frame reader under hostile input: only its own errors, never stuck, always the next good frame."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.idcard.errors import FrameChecksumError, FrameError, FrameLengthError
from firmware_bridge.idcard.frame import MAX_LEN, PREAMBLE, FrameReader, decode_frame, encode_frame

GOOD_BODY = bytes.fromhex("00 00 90")
GOOD = encode_frame(GOOD_BODY)

bodies = st.binary(min_size=2, max_size=300)


def drain(reader: FrameReader) -> tuple[list[bytes], int]:
    """Pop everything the reader can give; give up pending frames as a timeout would. Returns bodies, errors."""
    found, errors = [], 0
    for _ in range(100_000):
        try:
            body = reader.pop()
        except FrameError:
            errors += 1
            continue
        if body is not None:
            found.append(body)
        elif reader.buffered:
            reader.drop_pending()
        else:
            return found, errors
    raise AssertionError("reader did not drain")


@given(garbage=st.binary(max_size=600), body=bodies)
@settings(max_examples=300, deadline=None)
def test_garbage_then_good_frame(garbage, body):
    reader = FrameReader()
    reader.feed(garbage + encode_frame(body))
    found, _ = drain(reader)
    assert body in found


@given(body=bodies, cut=st.integers(min_value=0, max_value=400), follow=bodies)
@settings(max_examples=200, deadline=None)
def test_truncated_frame_then_good_frame(body, cut, follow):
    frame = encode_frame(body)
    reader = FrameReader()
    reader.feed(frame[:cut % len(frame)] + encode_frame(follow))
    found, _ = drain(reader)
    assert follow in found


@given(body=bodies, position=st.integers(min_value=5, max_value=400), bit=st.integers(0, 7), follow=bodies)
@settings(max_examples=200, deadline=None)
def test_flipped_bit_is_rejected_and_next_frame_found(body, position, bit, follow):
    frame = bytearray(encode_frame(body))
    index = position % (len(frame) - 5) + 5
    frame[index] ^= 1 << bit
    reader = FrameReader()
    reader.feed(bytes(frame) + encode_frame(follow))
    found, errors = drain(reader)
    assert follow in found
    if index >= 7:  # a flip past the length field always breaks the checksum
        assert errors >= 1


@given(length=st.one_of(st.integers(0, 2), st.integers(MAX_LEN + 1, 0xFFFF)), follow=bodies)
@settings(max_examples=100, deadline=None)
def test_absurd_length_is_rejected(length, follow):
    reader = FrameReader()
    reader.feed(PREAMBLE + length.to_bytes(2, "big") + encode_frame(follow))
    with pytest.raises(FrameLengthError):
        reader.pop()
    found, _ = drain(reader)
    assert found == [follow]


@given(chunks=st.lists(st.binary(max_size=40), max_size=30))
@settings(max_examples=200, deadline=None)
def test_random_chunks_raise_only_frame_errors(chunks):
    reader = FrameReader()
    for chunk in chunks:
        reader.feed(chunk)
        try:
            reader.pop()
        except FrameError:
            pass
        assert reader.wanted() >= 1
    drain(reader)


def test_byte_by_byte_feeding_yields_the_frame():
    reader = FrameReader()
    for byte in b"\x00\xaa\xaa" + GOOD:
        assert reader.pop() is None
        reader.feed(bytes([byte]))
    assert reader.pop() == GOOD_BODY


def test_bad_checksum_counts_as_rejected():
    reader = FrameReader()
    reader.feed(GOOD[:-1] + bytes([GOOD[-1] ^ 1]) + GOOD)
    with pytest.raises(FrameChecksumError):
        reader.pop()
    assert reader.pop() == GOOD_BODY
    assert reader.rejected == 1


@pytest.mark.parametrize("frame", [
    b"\x00" + GOOD, GOOD[:6], GOOD + b"\x00", PREAMBLE + b"\x00\x02\x00\x02",
])
def test_decode_frame_refuses_malformed(frame):
    with pytest.raises(FrameError):
        decode_frame(frame)


def test_encode_refuses_oversized_body():
    with pytest.raises(FrameLengthError):
        encode_frame(bytes(MAX_LEN))
