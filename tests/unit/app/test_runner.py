"""Running the kiosk: the garbage collector waits for the first frame."""

import gc

from kiosk.app.runner import pause_collector
from kiosk.core.events import AppStarted


def test_the_collector_is_paused_until_the_first_frame_and_start_up_is_frozen_out_of_it():
    frozen = gc.get_freeze_count()
    resume = pause_collector()
    try:
        assert not gc.isenabled()
        resume(AppStarted(safe_mode=False))
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()  # the test process's own objects go back to the collector
