"""Speech through the real Kivy player in the running app: a pre-rendered clip and a synthesised text each play
for their whole length into SDL's null sink and finish; a newer say() cuts the previous clip; nothing is left
in RAM; without an audio output the fault is on the health board and the kiosk goes on."""

import json

import pytest

from tests.ui.runner import ARTIFACTS, run_scenario

pytestmark = pytest.mark.ui

PLAYED_TOLERANCE_MS = 400
"""Kivy notices the end of a stream at its next 0.1 s poll; SDL's dummy driver consumes audio in real time."""


def test_a_clip_and_a_synthesised_text_play_to_their_end_and_a_new_say_cuts_the_old(display, tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    report = run_scenario("speech", display, tmp_path, full_panel=True)
    (ARTIFACTS / "speech-figures.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    assert report["attached"] is True and report["board"] == [["speech", True, ""]]
    clip, synthesised, cut, newer = report["plays"]
    assert (clip["kind"], synthesised["kind"], cut["kind"], newer["kind"]) == ("ogg", "wav", "ogg", "ogg")
    for played in (clip, synthesised, newer):
        assert played["ok"] and played["length_ms"] > 500
        assert abs(played["played_ms"] - played["length_ms"]) < PLAYED_TOLERANCE_MS, played
    assert cut["ok"] and cut["played_ms"] is None  # stopped by the newer say(): it never reported an end
    assert report["synthesised"] == 1 and report["ram_files_left"] == []
    assert report["clip_say_to_start_ms"] is not None  # the clip started inside say() itself
    assert report["synth_started_within_say"] is False and report["synth_say_to_start_ms"] is not None


def test_without_an_audio_output_speech_fails_soft(display, tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-driver")
    report = run_scenario("speech_no_output", display, tmp_path, full_panel=True)
    assert report["attached"] is False
    assert report["board"] == [["speech", False, "SPK-002"]]
    assert report["home_tiles"] == 1
    assert [line for line in report["health_text"].splitlines() if "语音朗读" in line and "SPK-002" in line]
