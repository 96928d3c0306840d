"""Long pages built a slice of a frame at a time.

Why: a widget of a long page (a paragraph of the opinion, a row of the review page) takes about a millisecond of
the UI thread to build on the development machine (its kv rules, its line breaking) and its text layout half as
much again before the frame is drawn; built all at once, a page held the UI thread for tens of ms after a tap.
Built for a fixed slice of each frame instead, in order, the top of a page is on the screen first, and a slower
board builds fewer a frame rather than holding the frame longer. The slice is counted in the UI thread's own CPU
time: on a dedicated kiosk that is the time it holds the frame, and moments when the core or the interpreter
served another thread do not shrink a slice to one widget a frame (which made a long opinion take a minute of
frames on a loaded machine).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TypeVar

SLICE_S = 0.004
"""UI-thread CPU time one frame spends building a page's widgets, in seconds: it and the layout that follows
before the frame is drawn each stay well inside the 8 ms a tap may hold the UI thread (DESIGN §8)."""
FIRST_SLICE_S = 0.002
"""The slice of the frame that also puts the page up (the tap's own work, its title, the start of its speech)."""

Item = TypeVar("Item")


def build_slice(queue: deque[Item], build: Callable[[Item], None], slice_s: float | None = None) -> bool:
    """Build items from the front of `queue` for `slice_s` (default SLICE_S; at least one item); returns whether
    any are left."""
    until = time.thread_time() + (SLICE_S if slice_s is None else slice_s)
    while queue:
        build(queue.popleft())
        if time.thread_time() >= until:
            break
    return bool(queue)
