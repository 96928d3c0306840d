"""One background thread for slow work the agent thread must not wait on.

Why: a command handler (a screenshot, a log upload) or a content job (a download) may take minutes, while the agent
thread must keep the link alive; each gets its own worker, so a long job never holds up a command either.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class Worker:
    """A single thread from start() to stop(); work still queued at stop is cancelled, work running finishes."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._pool: ThreadPoolExecutor | None = None

    def start(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def submit(self, fn: Callable[..., object], *args: Any) -> None:
        """Run `fn(*args)` on the worker thread, after what was submitted before."""
        self._pool.submit(fn, *args)
