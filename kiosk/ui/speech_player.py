"""The speech service's player: one clip at a time through Kivy's SDL2 audio provider, on the Kivy thread.

Why streaming: `SoundLoader.load` decodes a whole Ogg clip on the calling thread while holding the GIL (24 ms
for a 9 s clip, measured), so no thread could keep that off a frame; Kivy's `MusicSDL2` (SDL_mixer's music
stream, `Mix_LoadMUS`) only opens the file and reads its headers (about 2 ms; 0.03 ms for a WAV) and decodes
on SDL's own audio thread while it plays. Speech needs one voice at a time, which is all the music stream has.
The file may be deleted once `play()` returned: the stream keeps it open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kivy.clock import Clock
from kivy.core.audio.audio_sdl2 import MusicSDL2


class KivyPlayer:
    """Implements kiosk.services.speech.Player; every method but `post` runs on the Kivy thread."""

    def __init__(self) -> None:
        self._sound: MusicSDL2 | None = None
        self._on_finished: Callable[[], None] | None = None

    def play(self, path: Path, volume: float, on_finished: Callable[[], None]) -> bool:
        """Stop what plays, open `path` and start it; False when SDL cannot open it or has no audio output."""
        self.stop()
        sound = MusicSDL2(source=str(path))
        if sound.length < 0:  # the provider's sign that Mix_LoadMUS failed (no output device, unreadable file)
            return False
        sound.volume = volume
        sound.play()
        if sound.state != "play":
            sound.unload()
            return False
        self._sound, self._on_finished = sound, on_finished
        sound.bind(on_stop=self._ended)
        return True

    def stop(self) -> None:
        """Stop at once; the finished callback of what played is not called."""
        sound, self._sound, self._on_finished = self._sound, None, None
        if sound is not None:
            sound.unbind(on_stop=self._ended)
            sound.unload()

    def post(self, work: Callable[[], None]) -> None:
        """Run `work` on the Kivy thread at the next frame (from any thread)."""
        Clock.schedule_once(lambda _dt: work(), 0)

    def _ended(self, sound: MusicSDL2) -> None:
        """The stream ran out (Kivy polls it every 0.1 s): free it, then hand over to the service."""
        if sound is not self._sound:
            return
        on_finished = self._on_finished
        self.stop()
        if on_finished is not None:
            on_finished()
