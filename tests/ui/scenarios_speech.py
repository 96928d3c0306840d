"""Speech in the running app through the real Kivy player (kiosk/ui/speech_player.py), into SDL's audio driver
chosen by the test (`dummy`: a null sink that plays in real time; an unknown driver: no audio output)."""

from __future__ import annotations

import time
import wave
from pathlib import Path

from kiosk.services.speech import ram_directory
from tests.ui.harness import Driver

CLIP_KEY = "common.ok"
"""知道了: a catalogue text, so pre-rendered in the pack."""
LONG_CLIP_KEY = "countdown.body"
OWN_VALUE = "您的仲裁期限到2026年3月5日"
"""A text with a citizen's own date: synthesised at run time."""
PLAY_TIMEOUT_S = 30.0


def _measuring_player(speech):
    """A KivyPlayer that notes, for each file it is asked to play, how long the file is, how long opening and
    starting it held the UI thread, and when it started and finished."""
    from kiosk.ui.speech_player import KivyPlayer

    class MeasuringPlayer(KivyPlayer):
        def __init__(self) -> None:
            super().__init__()
            self.plays: list[dict] = []

        def play(self, path: Path, volume: float, on_finished) -> bool:
            if path.suffix == ".wav":
                with wave.open(str(path)) as audio:
                    length_ms = audio.getnframes() * 1000 / audio.getframerate()
            else:
                length_ms = speech.clips.durations_ms.get(path.stem, 0)
            entry = {"kind": path.suffix[1:], "volume": volume, "length_ms": length_ms, "finished": None}

            def finished() -> None:
                entry["finished"] = time.perf_counter()
                on_finished()

            before = time.perf_counter()
            entry["ok"] = super().play(path, volume, finished)
            entry["started"] = time.perf_counter()
            entry["call_ms"] = (entry["started"] - before) * 1000
            if volume > 0:
                self.plays.append(entry)
            return entry["ok"]

    return MeasuringPlayer()


async def _ready(d: Driver) -> None:
    await d.until(lambda: d.on_screen("attract"), "attract screen")
    await d.until(lambda: any(h.name == "speech" for h in d.kiosk.health.snapshot()), "speech service started")


def _played(entry: dict) -> dict:
    return {"kind": entry["kind"], "ok": entry["ok"], "length_ms": round(entry["length_ms"]),
            "played_ms": round((entry["finished"] - entry["started"]) * 1000) if entry["finished"] else None,
            "call_ms": round(entry["call_ms"], 2)}


async def scenario_speech(d: Driver) -> None:
    """A pre-rendered clip, then a synthesised text with a date, each played to its end; then a long clip cut
    short by a newer say(). Reports lengths, play times and the delay from say() to the sound starting."""
    speech = d.kiosk.speech
    await _ready(d)
    player = _measuring_player(speech)
    d.report["attached"] = speech.attach(player)
    d.report["board"] = [(h.name, h.ok, h.code) for h in d.kiosk.health.snapshot() if h.name == "speech"]
    speech.say([d.app._(CLIP_KEY)])
    d.report["clip_say_to_start_ms"] = speech.last_start_delay_ms  # set inside say(): the clip started at once
    await d.until(lambda: player.plays and player.plays[0]["finished"], "the clip played to its end", PLAY_TIMEOUT_S)
    speech.say([OWN_VALUE])
    d.report["synth_started_within_say"] = speech.last_start_delay_ms is not None
    await d.until(lambda: len(player.plays) == 2 and player.plays[1]["finished"], "the synthesised text played",
                  PLAY_TIMEOUT_S)
    d.report["synth_say_to_start_ms"] = speech.last_start_delay_ms
    d.report["ram_files_left"] = [p.name for p in ram_directory().glob("kiosk-speech-*/*")]
    speech.say([d.app._(LONG_CLIP_KEY)])
    speech.say([d.app._(CLIP_KEY)])
    await d.until(lambda: len(player.plays) == 4 and player.plays[3]["finished"], "the newer clip played",
                  PLAY_TIMEOUT_S)
    await d.frames(10)
    d.report["plays"] = [_played(entry) for entry in player.plays]
    d.report["synthesised"] = speech.synthesised


async def scenario_speech_no_output(d: Driver) -> None:
    """No audio output: the player cannot open it, SPK-002 is on the health board once, and the kiosk goes on;
    the technician reads it on the maintenance menu."""
    from kivy.core.window import Window

    from tests.ui.harness import find_buttons, find_buttons_by_title

    speech = d.kiosk.speech
    await _ready(d)
    d.report["attached"] = speech.attach(_measuring_player(speech))
    speech.say([d.app._(CLIP_KEY), OWN_VALUE])
    await d.tap(Window.width / 2, Window.height / 2)
    await d.until(lambda: d.on_screen("home"), "home screen")
    d.report["home_tiles"] = len(find_buttons_by_title(d.app.screen("home"), d.app._("home.tile.topics")))
    d.report["board"] = [(h.name, h.ok, h.code) for h in d.kiosk.health.snapshot() if h.name == "speech"]
    await d.open_maintenance("2468")
    await d.until(lambda: d.on_screen("maintenance"), "maintenance menu")
    d.report["health_text"] = d.app.screen("maintenance").health_text
    await d.shot("health_board")
    # Leave the menu: its once-a-second refresh outlives the app if the scenario ends on it.
    await d.tap_widget(find_buttons(d.app.screen("maintenance"), d.app._("maintenance.exit"))[0])
    await d.until(lambda: d.on_screen("attract"), "attract screen after the menu")


SCENARIOS = {"speech": scenario_speech, "speech_no_output": scenario_speech_no_output}
