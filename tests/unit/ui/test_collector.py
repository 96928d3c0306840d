"""The cycle collector runs between sessions, never during one, and what start-up built is frozen out of it."""

import gc

from kiosk.ui.collector import Collector


def test_the_collector_waits_during_a_session_and_freezes_start_up_once():
    frozen = gc.get_freeze_count()
    collector = Collector()
    try:
        collector.settle()
        assert gc.isenabled() and gc.get_freeze_count() > frozen
        after_start = gc.get_freeze_count()
        collector.hold()
        assert not gc.isenabled()
        garbage = [[]]
        garbage[0].append(garbage)   # a cycle the session leaves behind
        del garbage
        collector.settle()
        assert gc.isenabled()
        assert gc.get_freeze_count() == after_start   # later objects stay in the collector's sight
    finally:
        gc.enable()
        gc.unfreeze()  # the test process's own objects go back to the collector
