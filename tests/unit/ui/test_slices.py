"""A long page is built in order, at least one widget a frame, and only for a slice of it."""

from collections import deque

from kiosk.ui import slices


def test_a_slice_builds_at_least_one_in_order_and_says_what_is_left(monkeypatch):
    built = []
    queue = deque([1, 2, 3])
    monkeypatch.setattr(slices, "SLICE_S", 0.0)   # every widget fills the slice
    assert slices.build_slice(queue, built.append) is True
    assert built == [1] and list(queue) == [2, 3]
    monkeypatch.setattr(slices, "SLICE_S", 60.0)  # room for all, but this call's own slice is full at once
    assert slices.build_slice(queue, built.append, 0.0) is True
    assert built == [1, 2] and list(queue) == [3]
    assert slices.build_slice(queue, built.append) is False
    assert built == [1, 2, 3] and not queue
    assert slices.build_slice(queue, built.append) is False   # nothing queued: nothing built
