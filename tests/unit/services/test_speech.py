"""The speech service with a recording fake player and a fake espeak-ng (a script on a real subprocess): clips
play at once, a citizen's own values are synthesised into RAM and deleted once opened, a new say() or stop()
silences the previous speech and late synthesis is dropped, and a missing engine or audio output fails soft."""

import json
import logging
import os
import queue
import shutil
import stat
import sys
from pathlib import Path

import pytest

from kiosk.config.schema import SpeechConfig
from kiosk.core.events import EventBus, SubsystemFailed
from kiosk.fleet.catalogue import check
from kiosk.services.health import HealthBoard
from kiosk.services.speech import (AUDIO_DIRNAME, CLIP_SUFFIX, MANIFEST_NAME, ClipLibrary, SpeechService,
                                   clip_name, normalise, ram_directory)

WAIT_S = 10.0
CLIP_TEXTS = ("请选择您要办理的事项", "知道了", "您还在吗？")
OWN_VALUE = "您的仲裁期限到2026年3月5日"
SLOW = "慢"
"""A text the fake engine synthesises only once the test opens the gate (to make its result arrive late)."""
BROKEN = "坏"
"""A text on which the fake engine fails (exit status 3)."""

FAKE_ENGINE = """#!{python}
import os, sys
args = sys.argv[1:]
wav = args[args.index("-w") + 1]
text = sys.stdin.read()
if "{slow}" in text:
    with open(os.environ["SPEECH_TEST_GATE"]) as gate:  # blocks until the test opens the FIFO for writing
        gate.read()
if "{broken}" in text:
    sys.exit(3)
with open(wav, "w", encoding="utf-8") as out:
    out.write(text)
"""


class FakePlayer:
    """Records what it was asked to play (and what the file held when opened); posted work waits in a queue."""

    def __init__(self, can_play: bool = True) -> None:
        self.can_play = can_play
        self.log: list[tuple] = []
        self.on_finished = None
        self.posted: queue.Queue = queue.Queue()

    def play(self, path, volume, on_finished):
        self.log.append(("play", path, path.read_bytes(), volume))
        if not self.can_play:
            return False
        self.on_finished = on_finished
        return True

    def stop(self):
        self.log.append(("stop",))
        self.on_finished = None

    def post(self, work):
        self.posted.put(work)

    def run_posted(self):
        """Run the next piece of work handed to the 'UI thread' (waits for the worker to post it)."""
        self.posted.get(timeout=WAIT_S)()

    def end(self):
        """The playing file ran out."""
        finished, self.on_finished = self.on_finished, None
        finished()

    def played(self) -> list[Path]:
        return [entry[1] for entry in self.log if entry[0] == "play" and entry[3] > 0]


@pytest.fixture
def pack(tmp_path) -> Path:
    """A content pack root whose audio/ has a clip (a few bytes standing for Ogg) for each CLIP_TEXTS."""
    audio = tmp_path / "pack" / AUDIO_DIRNAME
    audio.mkdir(parents=True)
    clips = {}
    for text in CLIP_TEXTS:
        (audio / f"{clip_name(text)}{CLIP_SUFFIX}").write_bytes(b"OggS" + text.encode())
        clips[clip_name(text)] = {"ms": 1000, "text": text}
    (audio / MANIFEST_NAME).write_text(json.dumps({"voice": "cmn-latn-pinyin", "clips": clips}), encoding="utf-8")
    return tmp_path / "pack"


@pytest.fixture
def engine(tmp_path) -> Path:
    script = tmp_path / "fake-espeak-ng"
    script.write_text(FAKE_ENGINE.format(python=sys.executable, slow=SLOW, broken=BROKEN), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture
def ram(tmp_path, monkeypatch) -> Path:
    """Stands for the RAM directory ($XDG_RUNTIME_DIR is tried first)."""
    directory = tmp_path / "runtime"
    directory.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(directory))
    return directory


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def service(pack, engine, ram, bus):
    speech = SpeechService(SpeechConfig(engine=str(engine), volume=0.8), pack, bus)
    speech.start()
    yield speech
    speech.close()


def _attached(service, player=None) -> FakePlayer:
    player = player or FakePlayer()
    service.attach(player)
    player.log.clear()
    return player


def _ram_files(ram: Path) -> list[Path]:
    return [path for path in ram.rglob("*") if path.is_file()]


def test_a_fixed_text_plays_its_clip_at_once_and_a_citizens_value_is_synthesised_after_it(service, pack, ram):
    player = _attached(service)
    service.say(["  请选择您要办理的事项 ", "，。？", OWN_VALUE, ""])
    clip = pack / AUDIO_DIRNAME / f"{clip_name(CLIP_TEXTS[0])}{CLIP_SUFFIX}"
    assert player.played() == [clip]
    assert player.log[-1][3] == 0.8
    assert service.last_start_delay_ms is not None
    player.run_posted()  # the synthesis is ready while the clip still plays: it waits its turn
    waiting = _ram_files(ram)
    assert len(waiting) == 1 and player.played() == [clip]
    player.end()
    synthesised = player.log[-1]
    assert synthesised[1] == waiting[0] and synthesised[2].decode() == "您的仲裁期限到二零二六年三月五日"
    assert _ram_files(ram) == []  # deleted as soon as the player opened it
    assert service.synthesised == 1


def test_a_new_say_stops_the_previous_speech_and_its_rest_never_plays(service):
    player = _attached(service)
    service.say([CLIP_TEXTS[0], CLIP_TEXTS[1]])
    first_finished = player.on_finished
    service.say([CLIP_TEXTS[2]])
    assert [entry[0] for entry in player.log] == ["stop", "play", "stop", "play"]
    first_finished()  # the first clip's end arriving late changes nothing
    player.end()
    assert [p.name for p in player.played()] == [f"{clip_name(t)}{CLIP_SUFFIX}" for t in (CLIP_TEXTS[0], CLIP_TEXTS[2])]


def test_stop_silences_at_once_and_the_speech_does_not_go_on(service):
    player = _attached(service)
    service.say(list(CLIP_TEXTS))
    finished = player.on_finished
    service.stop()
    finished()
    assert player.log[-1] == ("stop",) and len(player.played()) == 1


def test_a_late_synthesis_result_is_dropped_and_deleted(service, ram, tmp_path, monkeypatch):
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    monkeypatch.setenv("SPEECH_TEST_GATE", str(gate))
    player = _attached(service)
    service.say([SLOW])
    with open(gate, "w") as opened:  # returns once the engine is synthesising (it opened the gate to read)
        service.say([CLIP_TEXTS[1]])
        opened.write("go")  # the slow synthesis ends after the newer say()
    player.run_posted()
    assert [p.name for p in player.played()] == [f"{clip_name(CLIP_TEXTS[1])}{CLIP_SUFFIX}"]
    assert _ram_files(ram) == []


def test_the_session_wipe_deletes_waiting_synthesis_and_stops_the_player(service, ram):
    player = _attached(service)
    service.say([CLIP_TEXTS[0], OWN_VALUE])
    player.run_posted()
    assert len(_ram_files(ram)) == 1
    service.forget()  # from the session's thread
    assert _ram_files(ram) == []
    player.run_posted()
    assert player.log[-1] == ("stop",)
    player.log.clear()
    service.say([CLIP_TEXTS[1]])
    service.forget()
    service.say([CLIP_TEXTS[2]])  # a newer say() before the wipe's stop reached the player
    player.run_posted()
    assert player.log[-1][0] == "play"


def test_a_missing_engine_fails_soft_once_and_clips_still_play(pack, ram, bus, caplog):
    board = HealthBoard(bus)
    board.start()
    failures = []
    bus.subscribe(SubsystemFailed, failures.append)
    speech = SpeechService(SpeechConfig(engine="no-such-espeak-ng"), pack, bus)
    with caplog.at_level(logging.ERROR):
        speech.start()
    player = _attached(speech)
    speech.say([OWN_VALUE, CLIP_TEXTS[0]])
    speech.say([OWN_VALUE])
    speech.close()
    assert [p.name for p in player.played()] == [f"{clip_name(CLIP_TEXTS[0])}{CLIP_SUFFIX}"]
    assert [(f.subsystem, f.code) for f in failures] == [("speech", "SPK-001")]
    assert [(h.name, h.ok, h.code) for h in board.snapshot()] == [("speech", False, "SPK-001")]
    assert sum("SPK-001" in r.getMessage() for r in caplog.records) == 1
    stream, event_type, fields = failures[0].telemetry()
    check(stream, event_type, fields)
    assert fields == {"device": "audio", "code": "SPK-001", "active": True}


def test_a_failed_synthesis_is_skipped_reported_once_and_the_next_piece_plays(service, engine, bus, ram):
    failures = []
    bus.subscribe(SubsystemFailed, failures.append)
    player = _attached(service)
    for _ in range(2):
        player.log.clear()
        service.say([BROKEN, CLIP_TEXTS[0]])
        assert player.played() == []  # the clip waits for the piece before it
        player.run_posted()
        assert [p.name for p in player.played()] == [f"{clip_name(CLIP_TEXTS[0])}{CLIP_SUFFIX}"]
    assert [(f.code, f.detail) for f in failures] == [("SPK-001", f"{engine} failed (exit 3)")]
    assert _ram_files(ram) == []


def test_no_audio_output_is_reported_once_and_the_kiosk_stays_silent(service, bus):
    failures = []
    bus.subscribe(SubsystemFailed, failures.append)
    player = FakePlayer(can_play=False)
    assert service.attach(player) is False
    player.log.clear()
    service.say([CLIP_TEXTS[0], OWN_VALUE])
    assert player.played() == [] and [f.code for f in failures] == ["SPK-002"]


def test_switched_off_speech_says_nothing(pack, engine, ram, bus):
    speech = SpeechService(SpeechConfig(engine=str(engine), enabled=False), pack, bus)
    speech.start()
    player = _attached(speech)
    speech.say([CLIP_TEXTS[0]])
    assert player.played() == []


def test_clip_names_ignore_surrounding_and_repeated_space():
    assert normalise(" 您还在吗？\n 请点一下 ") == "您还在吗？ 请点一下"
    assert clip_name("您还在吗？  请点一下") == clip_name(" 您还在吗？ 请点一下")
    assert clip_name("您还在吗？") != clip_name("您还在吗")


def test_the_library_reports_clips_and_bytes_and_an_absent_manifest_is_empty(pack, tmp_path):
    library = ClipLibrary.load(pack)
    assert library.stats() == (3, sum(len(b"OggS" + t.encode()) for t in CLIP_TEXTS))
    assert library.clip_for("知道了 ").name == f"{clip_name('知道了')}{CLIP_SUFFIX}"
    assert library.clip_for("不知道") is None
    library.clip_for("知道了").unlink()  # the pack was replaced under the running kiosk
    assert library.clip_for("知道了") is None
    assert ClipLibrary.load(tmp_path / "nowhere").stats() == (0, 0)


def test_synthesis_goes_to_a_ram_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert ram_directory() == tmp_path
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert ram_directory() == (Path("/dev/shm") if os.path.isdir("/dev/shm") else None)


def test_a_pack_installed_while_running_is_spoken_from_its_own_clips(service, pack, tmp_path):
    """A content job replaced the pack: the next say() plays the new pack's clip, not the old one's."""
    newer = tmp_path / "newer"
    shutil.copytree(pack, newer)
    player = _attached(service)
    service.use_pack(newer)
    service.say([CLIP_TEXTS[0]])
    assert player.played() == [newer / AUDIO_DIRNAME / f"{clip_name(CLIP_TEXTS[0])}{CLIP_SUFFIX}"]
