"""Python's cycle collector kept out of a citizen's taps.

Why: after start the kiosk holds about 350,000 long-lived objects (the content pack, the keyboard's words, the
built screens). A full collection walks every one of them and held the UI thread for 100-400 ms in the middle of
a tap (the farmer's walk: 240 ms as the opinion opened, on the development machine). So what start-up built is
frozen out of the collector's sight once the screens are built, the collector waits while a session is under
way (a session makes a few tens of thousands of objects, most of which reference counting frees at once), and it
runs when the session has ended and the attract screen is up, when nobody waits. That collection also frees the
session's cycles at once, with whatever personal data they held.
"""

from __future__ import annotations

import gc


class Collector:
    """When the cycle collector may run: between sessions, never during one."""

    def __init__(self) -> None:
        self._frozen = False

    def settle(self) -> None:
        """Nobody is at the kiosk: collect now, freeze what survives the first time (it lives as long as the
        kiosk; freezing again would keep later garbage), and let the collector run on its own until a session."""
        gc.collect()
        if not self._frozen:
            gc.freeze()
            self._frozen = True
        gc.enable()

    @staticmethod
    def hold() -> None:
        """A session began: no collection until it ends."""
        gc.disable()
