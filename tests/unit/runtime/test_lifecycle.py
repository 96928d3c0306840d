"""The crash-loop guard: unfinished starts are counted; past the threshold the next boot is safe mode."""

from kiosk.runtime.lifecycle import StartupGuard


def test_crash_loop_leads_to_safe_mode_and_a_good_start_resets(tmp_path):
    guard = StartupGuard(tmp_path, threshold=3)
    assert [guard.begin() for _ in range(3)] == [False, False, False]  # three starts that never finished
    assert guard.begin() is True
    guard.mark_started()
    assert guard.failed_starts() == 0
    assert guard.begin() is False


def test_a_garbled_counter_counts_as_zero(tmp_path):
    (tmp_path / "startup_attempts").write_text("garbage")
    assert StartupGuard(tmp_path, threshold=1).begin() is False
