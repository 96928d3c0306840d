"""The content pack's spoken audio: every fixed text rendered once, at content-build time, to a small Ogg clip.

Why: a slow kiosk must start reading a page within 300 ms, and a village kiosk's CPU should not synthesise the
same question for every visitor. `fixed_texts` is the one list of what a citizen may hear that does not carry
their own values; the build renders only clips that are missing, drops clips no text uses any more, and records
each clip's length and the voice in `audio/manifest.json` (read at run time by kiosk.services.speech). A test
fails when a fixed text has no clip, so whoever edits a flow or the catalogue rebuilds with
`kiosk content build --audio-only`.

Clips are espeak-ng's 22.05 kHz output cut to at most SILENCE_KEPT_S of silence at each end, resampled to
16 kHz mono (speech needs no more than 8 kHz of bandwidth) and encoded as Ogg Vorbis at libvorbis's lowest
quality setting (about 28 kbit/s: 30 MB for the 146 minutes of the first pack), which Kivy's bundled SDL_mixer
decodes (it has no Opus decoder, which would halve that).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kiosk.config.schema import SpeechConfig
from kiosk.legal.flow import ContentPack
from kiosk.legal.loader import load_pack
from kiosk.legal.pufa import PufaCard, load_cards
from kiosk.services.speech import (AUDIO_DIRNAME, CLIP_SUFFIX, MANIFEST_NAME, clip_name, normalise, speakable,
                                   synthesise)
from kiosk.ui.i18n import load_catalogue

SAMPLE_RATE_HZ = 16000
SILENCE_KEPT_S = 0.1
"""Seconds of leading and trailing silence kept in a clip (espeak-ng ends each text with ~0.27 s)."""
SILENCE_LEVEL = 0.01
"""Sample magnitude (of full scale 1.0) under which espeak-ng's output counts as silence."""
VORBIS_COMPRESSION = 1.0
"""libsndfile's compression level for Vorbis: 1.0 = libvorbis's lowest quality, enough for a formant voice."""
FORMAT = f"ogg-vorbis mono {SAMPLE_RATE_HZ} Hz"
_PLACEHOLDER = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class AudioBuild:
    """What one build did, and the pack's audio after it."""

    rendered: int
    kept: int
    removed: int
    clips: int
    bytes: int
    seconds: float


def fixed_texts(pack: ContentPack, catalogue: Mapping[str, str], cards: Iterable[PufaCard] = ()) -> list[str]:
    """Every text a citizen may hear that carries none of their own values, normalised, sorted, once each
    (punctuation alone, like the keyboard's keys, is not read).

    Flow titles, intros and first steps in danger; each page's question, help, and option labels and help; each
    outcome's title, ways forward (body and note), materials and places; every 普法 card's title and its pages'
    headings and texts; and every catalogue value without a `{placeholder}`.
    """
    texts: set[str] = set(catalogue.values())
    for card in cards:
        texts |= {card.title, *(text for page in card.pages for text in (page.heading, page.text))}
    for flow in pack.flows.values():
        texts |= {flow.title, flow.intro, *flow.first_steps}
        for page in flow.pages.values():
            texts |= {page.text, page.help}
            texts |= {text for option in page.options for text in (option.label, option.help)}
        for outcome in flow.outcomes.values():
            texts.add(outcome.title)
            texts |= {text for way in outcome.ways for text in (way.value.body, way.value.note)}
            texts |= {item.value for item in (*outcome.materials, *outcome.places)}
    return sorted({normalise(text) for text in texts if speakable(text) and not _PLACEHOLDER.search(text)})


def pack_fixed_texts(root: Path, language: str = "zh_CN") -> list[str]:
    """`fixed_texts` of the pack under `root` (its flows and 普法 cards) and the catalogue of `language`."""
    return fixed_texts(load_pack(root, with_library=False), load_catalogue(language), load_cards(root))


def read_manifest(audio_dir: Path) -> dict:
    """The pack's audio manifest, or an empty one."""
    try:
        return json.loads((audio_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"clips": {}}


def engine_version(config: SpeechConfig) -> str:
    """`espeak-ng 1.51`: the engine and version that rendered the clips (recorded in the manifest)."""
    out = subprocess.run([config.engine, "--version"], capture_output=True, text=True, timeout=10, check=True).stdout
    found = re.search(r"text-to-speech:\s*(\S+)", out)
    return f"{Path(config.engine).name} {found[1] if found else '?'}"


def build_audio(root: Path, texts: Iterable[str], config: SpeechConfig) -> AudioBuild:
    """Render the clips of `texts` missing under `<root>/audio`, delete clips of no text, write the manifest.

    Clips rendered with another voice, rate or format than `config` asks are all rendered again.
    """
    audio_dir = root / AUDIO_DIRNAME
    audio_dir.mkdir(exist_ok=True)
    manifest = read_manifest(audio_dir)
    voice = {"voice": config.voice, "rate_wpm": config.rate_wpm, "format": FORMAT}
    same_voice = all(manifest.get(key) == value for key, value in voice.items())
    wanted = {clip_name(text): text for text in texts}
    clips = {name: entry for name, entry in manifest["clips"].items()
             if same_voice and name in wanted and (audio_dir / f"{name}{CLIP_SUFFIX}").exists()}
    missing = sorted(set(wanted) - set(clips))
    with tempfile.TemporaryDirectory(prefix="kiosk-audio-build-") as scratch, \
            ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for name, ms in zip(missing, pool.map(lambda n: _render(config, wanted[n], audio_dir / f"{n}{CLIP_SUFFIX}",
                                                                Path(scratch) / f"{n}.wav"), missing)):
            clips[name] = {"ms": ms, "text": wanted[name]}
    removed = 0
    for path in audio_dir.glob(f"*{CLIP_SUFFIX}"):
        if path.stem not in wanted:
            path.unlink()
            removed += 1
    (audio_dir / MANIFEST_NAME).write_text(json.dumps(
        {"engine": engine_version(config), **voice, "clips": dict(sorted(clips.items()))},
        ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sizes = [(audio_dir / f"{name}{CLIP_SUFFIX}").stat().st_size for name in clips]
    return AudioBuild(rendered=len(missing), kept=len(clips) - len(missing), removed=removed, clips=len(clips),
                      bytes=sum(sizes), seconds=sum(entry["ms"] for entry in clips.values()) / 1000)


def _render(config: SpeechConfig, text: str, clip: Path, scratch_wav: Path) -> int:
    """Synthesise `text`, trim, resample and encode it to `clip`; returns the clip's length in milliseconds."""
    import numpy as np
    import soundfile

    synthesise(config, text, scratch_wav)
    samples, rate = soundfile.read(str(scratch_wav), dtype="float32")
    loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
    keep = int(SILENCE_KEPT_S * rate)
    if len(loud):
        samples = samples[max(loud[0] - keep, 0):loud[-1] + keep]
    out = _resample(samples, rate, SAMPLE_RATE_HZ)
    soundfile.write(str(clip), out, SAMPLE_RATE_HZ, format="OGG", subtype="VORBIS",
                    compression_level=VORBIS_COMPRESSION)
    return round(len(out) * 1000 / SAMPLE_RATE_HZ)


def _resample(samples, rate_in: int, rate_out: int):
    """Band-limited resampling through the spectrum (exact for a clip that starts and ends in silence)."""
    import numpy as np

    count = round(len(samples) * rate_out / rate_in)
    spectrum = np.fft.rfft(samples)[:count // 2 + 1]
    return (np.fft.irfft(spectrum, count) * (count / len(samples))).astype("float32")
