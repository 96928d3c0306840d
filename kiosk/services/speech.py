"""Reading pages aloud: pre-rendered clips from the content pack, espeak-ng only for a citizen's own values.

Why: an elderly or low-literate citizen must hear each question, its help and its answers, offline. Fixed texts
are rendered to Ogg Vorbis when the content pack is built (`kiosk content build`, kiosk_build/audio.py), so a
slow kiosk plays them at once; only texts with the citizen's own dates and amounts are synthesised here, on a
worker thread, into a file in RAM that is deleted as soon as the player has opened it (never on disk, never
logged, and espeak-ng reads the text on stdin, so it never shows in a process list).

`say(pieces)` and `stop()` are called on the UI thread; the player (kiosk/ui/speech_player.py) runs there too,
and synthesis results come back through `Player.post`. A new `say()` or `stop()` silences the previous speech
at once and a generation counter drops synthesis results that arrive late. Without espeak-ng or an audio
output the kiosk keeps working: the fault is logged once, shown on the health board and counted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kiosk.config.schema import SpeechConfig
from kiosk.core.errors import ErrorCode
from kiosk.core.events import EventBus, SubsystemFailed
from kiosk.services.spoken_text import spoken

logger = logging.getLogger(__name__)

SUBSYSTEM = "speech"
ENGINE_UNAVAILABLE = ErrorCode("SPK-001", "speech engine unavailable; pre-rendered clips still play", "error.generic")
AUDIO_UNAVAILABLE = ErrorCode("SPK-002", "audio output unavailable; the kiosk is silent", "error.generic")

AUDIO_DIRNAME = "audio"
"""The pack's directory of pre-rendered clips (`<pack>/audio/`)."""
MANIFEST_NAME = "manifest.json"
CLIP_SUFFIX = ".ogg"
SYNTH_TIMEOUT_S = 15.0
"""Longest time one synthesis may take before it counts as failed (36 characters take about 0.02 s)."""
PROBE_MS = 20
"""Length of the silent WAV played once to check the audio output, in milliseconds."""
_WORD = re.compile(r"\w")


def normalise(text: str) -> str:
    """The form of a text that names its clip: surrounding space removed, inner runs of space made one."""
    return " ".join(text.split())


def speakable(text: str) -> bool:
    """Whether `text` has anything to say (a character, letter or digit; punctuation alone is not read)."""
    return _WORD.search(text) is not None


def clip_name(text: str) -> str:
    """The file name (without suffix) of the clip of `text`: a hash of its normalised form."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def engine_command(config: SpeechConfig, wav: Path) -> list[str]:
    """espeak-ng's argument list writing `wav` with the configured voice and rate; the text goes on stdin."""
    return [config.engine, "-v", config.voice, "-s", str(config.rate_wpm), "-w", str(wav), "--stdin"]


def synthesise(config: SpeechConfig, text: str, wav: Path) -> None:
    """Write `text` spoken (numbers in words) to `wav`; OSError or CalledProcessError when the engine fails."""
    subprocess.run(engine_command(config, wav), input=spoken(normalise(text)).encode("utf-8"),
                   capture_output=True, timeout=SYNTH_TIMEOUT_S, check=True)


def ram_directory() -> Path | None:
    """A RAM-backed directory for synthesised audio ($XDG_RUNTIME_DIR, else /dev/shm); None when neither."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK):
            return Path(candidate)
    return None


@dataclass(frozen=True)
class ClipLibrary:
    """The pre-rendered clips of a content pack, by clip name, with each clip's length in milliseconds."""

    directory: Path
    durations_ms: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, content_root: Path) -> ClipLibrary:
        """Read `<content_root>/audio/manifest.json`; an absent manifest gives an empty library."""
        directory = Path(content_root) / AUDIO_DIRNAME
        try:
            manifest = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(directory)
        return cls(directory, {name: int(entry["ms"]) for name, entry in manifest["clips"].items()})

    def clip_for(self, text: str) -> Path | None:
        """The clip of `text` if the pack has one and its file is there (a pack a fleet job replaced may be gone:
        the text is then synthesised)."""
        name = clip_name(text)
        path = self.directory / f"{name}{CLIP_SUFFIX}"
        return path if name in self.durations_ms and path.exists() else None

    def stats(self) -> tuple[int, int]:
        """(clips, bytes) of the pack's audio as shipped (the UI benchmark reports them)."""
        sizes = [path.stat().st_size for path in self.directory.glob(f"*{CLIP_SUFFIX}")]
        return len(sizes), sum(sizes)


class Player(Protocol):
    """Plays one audio file at a time on the UI thread: kiosk.ui.speech_player.KivyPlayer, or a fake in tests."""

    def play(self, path: Path, volume: float, on_finished: Callable[[], None]) -> bool:
        """Stop what plays, open `path` and start it at `volume` (0..1); `on_finished()` once when it ends by
        itself (not after stop()); False when it cannot play (no audio output, unreadable file)."""

    def stop(self) -> None:
        """Stop at once."""

    def post(self, work: Callable[[], None]) -> None:
        """Run `work` soon on the player's thread; may be called from any thread."""


@dataclass(frozen=True, slots=True)
class SpeechFailed(SubsystemFailed):
    """Speech failed soft (SPK-001/002): shown on the health board and counted as an audio fault."""

    def telemetry(self) -> tuple[str, str, dict]:
        """The bureau's fault counter: `device.fault` of the audio device with the code, never any text."""
        return "hw", "device.fault", {"device": "audio", "code": self.code, "active": True}


@dataclass
class _Piece:
    """One text of a `say()`: its clip, or its synthesised file once ready, or failed."""

    clip: Path | None
    synthesised: Path | None = None
    failed: bool = False


class SpeechService:
    """Speaks lists of text pieces in order through an injected player; one speech at a time."""

    def __init__(self, config: SpeechConfig, content_root: Path, bus: EventBus) -> None:
        self._config = config
        self._content_root = Path(content_root)
        self._bus = bus
        self.clips = ClipLibrary(self._content_root / AUDIO_DIRNAME)
        self._player: Player | None = None
        self._ram_dir: Path | None = None
        self._jobs: queue.Queue[tuple[int, int, str] | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._plan: list[_Piece] = []
        self._next = 0
        self._playing = False
        self._said_at = 0.0
        self._reported: set[str] = set()
        self.audio_ok = True
        """False when the player could not open the audio output at attach(); the kiosk then stays silent."""
        self.last_start_delay_ms: float | None = None
        """Milliseconds from the latest `say()` to its first piece starting; None until it starts (the UI
        benchmark reads it)."""
        self.synthesised = 0
        """Pieces synthesised at run time since start (texts not in the pack's clips)."""

    @property
    def enabled(self) -> bool:
        """Whether speech is switched on in the configuration."""
        return self._config.enabled

    def start(self) -> None:
        """Read the pack's clip manifest, find the engine and a RAM directory, start the synthesis worker."""
        if not self._config.enabled:
            return
        self.clips = ClipLibrary.load(self._content_root)
        ram = ram_directory()
        if shutil.which(self._config.engine) is None or ram is None:
            self._fail(ENGINE_UNAVAILABLE, f"{self._config.engine} not found" if ram else "no RAM directory")
            return
        self._ram_dir = Path(tempfile.mkdtemp(prefix="kiosk-speech-", dir=ram))
        self._worker = threading.Thread(target=self._synthesise_jobs, name="speech-synth", daemon=True)
        self._worker.start()

    def use_pack(self, content_root: Path) -> None:
        """Speak from the clips of a pack installed while running (any thread: the library is swapped whole)."""
        self._content_root = Path(content_root)
        if self._config.enabled:
            self.clips = ClipLibrary.load(self._content_root)

    def close(self) -> None:
        """Stop the worker and remove the RAM directory with anything still in it."""
        self.forget()
        if self._worker is not None:
            self._jobs.put(None)
            self._worker.join(SYNTH_TIMEOUT_S)
            self._worker = None
        if self._ram_dir is not None:
            shutil.rmtree(self._ram_dir, ignore_errors=True)
            self._ram_dir = None

    def attach(self, player: Player) -> bool:
        """Use `player` (UI thread) after checking once that it can play; False (and SPK-002) when it cannot."""
        self.stop()
        self._player = player
        with tempfile.TemporaryDirectory(prefix="kiosk-speech-probe-", dir=ram_directory()) as probe_dir:
            probe = Path(probe_dir) / "probe.wav"
            _write_silence(probe, PROBE_MS)
            self.audio_ok = player.play(probe, 0.0, lambda: None)
            player.stop()
        if not self.audio_ok:
            self._fail(AUDIO_UNAVAILABLE, "the audio provider could not open its output")
        return self.audio_ok

    def say(self, pieces: Sequence[str]) -> None:
        """Stop any speech, then speak `pieces` in order (UI thread); pieces with nothing to say are skipped."""
        self.stop()
        self.last_start_delay_ms = None
        if not (self._config.enabled and self.audio_ok and self._player is not None):
            return
        texts = [text for text in (normalise(p) for p in pieces) if speakable(text)]
        with self._lock:
            generation = self._generation
            self._plan = [_Piece(self.clips.clip_for(text)) for text in texts]
            self._said_at = time.perf_counter()
        for index, (text, piece) in enumerate(zip(texts, self._plan)):
            if piece.clip is None:
                if self._worker is None:
                    piece.failed = True
                else:
                    self._jobs.put((generation, index, text))
        self._advance(generation)

    def stop(self) -> None:
        """Silence the speech now (UI thread); synthesis still running for it is dropped when it ends."""
        self._cancel()
        if self._player is not None:
            self._player.stop()

    def forget(self) -> None:
        """Session wipe (any thread): drop the speech and delete every synthesised file; the player stops soon
        (unless a newer `say()` came first)."""
        generation = self._cancel()
        player = self._player
        if player is not None:
            player.post(lambda: player.stop() if generation == self._generation else None)

    # ---- sequencing (UI thread) --------------------------------------------------------------------------

    def _cancel(self) -> int:
        """Start a new generation with nothing to say; returns it."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            plan, self._plan, self._next, self._playing = self._plan, [], 0, False
        for piece in plan:
            _unlink(piece.synthesised)
        return generation

    def _advance(self, generation: int) -> None:
        """Start the next piece that is ready, unless one plays or the next still waits for synthesis."""
        with self._lock:
            if generation != self._generation or self._playing:
                return
            while self._next < len(self._plan) and self._plan[self._next].failed:
                self._next += 1
            if self._next >= len(self._plan):
                return
            piece = self._plan[self._next]
            path = piece.clip or piece.synthesised
            if path is None:
                return
            self._next += 1
            self._playing = True
        started = self._player.play(path, self._config.volume, lambda: self._finished(generation))
        if piece.synthesised is not None:
            _unlink(piece.synthesised)
            piece.synthesised = None
        if started and self.last_start_delay_ms is None:
            self.last_start_delay_ms = (time.perf_counter() - self._said_at) * 1000
        if not started:
            with self._lock:
                self._playing = False
            self._fail(AUDIO_UNAVAILABLE, f"the audio provider could not play {path.name}")
            self._advance(generation)

    def _finished(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self._playing = False
        self._advance(generation)

    def _synthesised(self, generation: int, index: int, wav: Path | None) -> None:
        with self._lock:
            current = generation == self._generation and index < len(self._plan)
            if current:
                piece = self._plan[index]
                piece.synthesised, piece.failed = wav, wav is None
        if not current:
            _unlink(wav)
            return
        self._advance(generation)

    # ---- synthesis (worker thread) -----------------------------------------------------------------------

    def _synthesise_jobs(self) -> None:
        while (job := self._jobs.get()) is not None:
            generation, index, text = job
            if generation != self._generation:
                continue
            wav = self._synthesise(text)
            player = self._player
            if player is None:
                _unlink(wav)
            else:
                player.post(lambda g=generation, i=index, w=wav: self._synthesised(g, i, w))

    def _synthesise(self, text: str) -> Path | None:
        handle, name = tempfile.mkstemp(suffix=".wav", dir=self._ram_dir)
        os.close(handle)
        wav = Path(name)
        try:
            synthesise(self._config, text, wav)
        except (OSError, subprocess.SubprocessError) as exc:
            _unlink(wav)
            detail = f"exit {exc.returncode}" if isinstance(exc, subprocess.CalledProcessError) else type(exc).__name__
            self._fail(ENGINE_UNAVAILABLE, f"{self._config.engine} failed ({detail})")
            return None
        self.synthesised += 1
        return wav

    def _fail(self, error: ErrorCode, detail: str) -> None:
        """Log and report a fault once per code; the kiosk keeps going."""
        if error.code in self._reported:
            return
        self._reported.add(error.code)
        logger.error("%s %s: %s", error.code, error.title, detail)
        self._bus.publish(SpeechFailed(SUBSYSTEM, error.code, detail))


def _unlink(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _write_silence(path: Path, duration_ms: int) -> None:
    """A mono 16-bit WAV of silence (the probe of the audio output)."""
    rate = 16000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\0\0" * (rate * duration_ms // 1000))
