"""Times what the Kivy thread does while a scenario walks: tap dispatch, clock callbacks and drawing, per step.

Why: DESIGN §8 budgets a tap's handlers at 8 ms (half a frame) and asks for the frame time beside them. The
probe wraps the three places where work runs on the UI thread (a touch's down/up dispatch, the clock's callback
batches with the layout they trigger, and the window's draw and flip) and files each duration under the step
the walk is on. Beside the wall time it keeps the UI thread's own CPU time (`time.thread_time`): on a shared
machine the wall time also counts the moments other processes held the core, the CPU time only our work. It
also notes the longest pause of Python's cycle collector in each step. It only reads clocks; nothing in the
kiosk changes.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict


class FrameProbe:
    """Per-step maxima of the UI thread's handler time and frame time, in milliseconds."""

    def __init__(self) -> None:
        self.step = "start"
        self.handler_ms: dict[str, float] = defaultdict(float)
        self.handler_cpu_ms: dict[str, float] = defaultdict(float)
        self.gc_pause_ms: dict[str, float] = defaultdict(float)
        self._gc_started = 0.0
        self.frame_ms: dict[str, float] = defaultdict(float)
        self._frame_work_ms = 0.0
        self.steps: list[str] = []

    def begin(self, step: str) -> None:
        """Everything measured from now on belongs to `step`."""
        self.step = step
        self.steps.append(step)

    def install(self) -> None:
        """Wrap the clock's callback batches, the window's draw/flip and the event loop's frame (instance
        attributes; Kivy itself is unchanged). The harness runs Kivy's asyncio loop, so the frame is async_idle."""
        from kivy.clock import Clock
        from kivy.core.window import Window

        for name in ("_process_events", "_process_events_before_frame"):
            setattr(Clock, name, self._timed(getattr(Clock, name)))
        dispatch = Window.dispatch

        def timed_dispatch(event, *args, **kwargs):
            if event not in ("on_draw", "on_flip"):
                return dispatch(event, *args, **kwargs)
            start = time.perf_counter()
            try:
                return dispatch(event, *args, **kwargs)
            finally:
                self._frame_work_ms += (time.perf_counter() - start) * 1000
                if event == "on_flip":
                    self.frame_ms[self.step] = max(self.frame_ms[self.step], self._frame_work_ms)
                    self._frame_work_ms = 0.0

        Window.dispatch = timed_dispatch
        from kivy.base import EventLoop

        idle = EventLoop.async_idle

        async def frame():
            self._frame_work_ms = 0.0  # a frame that draws nothing carries nothing over to the next
            return await idle()

        EventLoop.async_idle = frame
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, _info: dict) -> None:
        """Time each run of the cycle collector (it holds every thread, the UI thread included)."""
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            took_ms = (time.perf_counter() - self._gc_started) * 1000
            self.gc_pause_ms[self.step] = max(self.gc_pause_ms[self.step], took_ms)

    def held(self, work) -> None:
        """Run `work` (a tap's dispatch) and count it as handler time of the current step."""
        self._timed(work)()

    def _timed(self, work):
        def run(*args, **kwargs):
            start, start_cpu = time.perf_counter(), time.thread_time()
            try:
                return work(*args, **kwargs)
            finally:
                took_ms = (time.perf_counter() - start) * 1000
                self.handler_ms[self.step] = max(self.handler_ms[self.step], took_ms)
                cpu_ms = (time.thread_time() - start_cpu) * 1000
                self.handler_cpu_ms[self.step] = max(self.handler_cpu_ms[self.step], cpu_ms)
                self._frame_work_ms += took_ms

        return run

    def figures(self) -> dict:
        """{step: {handler_ms, handler_cpu_ms, frame_ms, gc_pause_ms}} in walk order, rounded to 0.01 ms."""
        return {step: {"handler_ms": round(self.handler_ms[step], 2),
                       "handler_cpu_ms": round(self.handler_cpu_ms[step], 2),
                       "frame_ms": round(self.frame_ms[step], 2), "gc_pause_ms": round(self.gc_pause_ms[step], 2)}
                for step in dict.fromkeys(self.steps)}
