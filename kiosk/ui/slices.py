"""Long pages built a slice of a frame at a time.

Why: a widget of a long page (a paragraph of the opinion, a row of the review page) takes about a millisecond of
the UI thread to build on the development machine (its kv rules, its line breaking) and its text layout as much
again before the frame is drawn; built all at once, a page held the UI thread for tens of ms after a tap. Built
for a fixed slice of each frame instead, in order, the top of a page is on the screen first, and a slower board
builds fewer a frame rather than holding the frame longer.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

SLICE_S = 0.003
"""UI-thread time one frame spends building a page's widgets, in seconds: with the layout that follows in the
same frame, well inside the 8 ms a tap may hold the UI thread (DESIGN §8)."""

Item = TypeVar("Item")


def build_slice(queue: deque[Item], build: Callable[[Item], None]) -> bool:
    """Build items from the front of `queue` for SLICE_S (at least one); returns whether any are left."""
    until = time.perf_counter() + SLICE_S
    while queue:
        build(queue.popleft())
        if time.perf_counter() >= until:
            break
    return bool(queue)
