"""The real espeak-ng: a sentence synthesised with the kiosk's voice has speech's length and is not silence, the
voice reads Chinese as Mandarin (not as English-spelled pinyin), and the content build renders, keeps and drops
Ogg clips as the texts change."""

import array
import json
import subprocess
import wave

import soundfile

from kiosk.config.schema import SpeechConfig
from kiosk_build.audio import SAMPLE_RATE_HZ, build_audio
from kiosk.services.speech import AUDIO_DIRNAME, CLIP_SUFFIX, MANIFEST_NAME, clip_name, synthesise

SENTENCE = "您现在还在这个老板那里干活吗？辞工、被辞退，都算不干了。"
"""A typical question of a flow: 28 characters, 23 syllables."""
SILENCE_RMS = 0.02
"""RMS (of full scale 1.0) under which the audio counts as silence; espeak-ng's speech is around 0.1."""


def _rms(samples) -> float:
    return (sum(s * s for s in samples) / len(samples)) ** 0.5


def test_a_sentence_is_spoken_at_an_unhurried_pace_and_is_not_silence(tmp_path):
    wav = tmp_path / "sentence.wav"
    synthesise(SpeechConfig(), SENTENCE, wav)
    with wave.open(str(wav)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        seconds = audio.getnframes() / audio.getframerate()
        samples = array.array("h", audio.readframes(audio.getnframes()))
    syllables_per_minute = 23 / seconds * 60
    assert 140 <= syllables_per_minute <= 200, seconds
    assert _rms([s / 32768 for s in samples]) > SILENCE_RMS


def test_the_voice_reads_chinese_as_mandarin_not_as_english(tmp_path):
    config = SpeechConfig()
    phonemes = subprocess.run([config.engine, "-v", config.voice, "-q", "-x", SENTENCE], capture_output=True,
                              text=True, check=True, timeout=10).stdout
    assert "(en)" not in phonemes and phonemes.count("_|") >= 20


def test_the_build_renders_missing_clips_keeps_the_rest_and_drops_orphans(tmp_path):
    config = SpeechConfig()
    audio = tmp_path / AUDIO_DIRNAME
    first = build_audio(tmp_path, ["知道了", "请选择您要办理的事项"], config)
    assert (first.rendered, first.kept, first.removed, first.clips) == (2, 0, 0, 2)
    kept = audio / f"{clip_name('知道了')}{CLIP_SUFFIX}"
    written = kept.stat().st_mtime_ns
    second = build_audio(tmp_path, ["知道了", "您还在吗？"], config)
    assert (second.rendered, second.kept, second.removed, second.clips) == (1, 1, 1, 2)
    assert kept.stat().st_mtime_ns == written
    assert sorted(p.name for p in audio.glob(f"*{CLIP_SUFFIX}")) == sorted(
        f"{clip_name(t)}{CLIP_SUFFIX}" for t in ("知道了", "您还在吗？"))
    manifest = json.loads((audio / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert (manifest["voice"], manifest["rate_wpm"], manifest["engine"].split()[0]) == (
        config.voice, config.rate_wpm, "espeak-ng")
    for name, entry in manifest["clips"].items():
        samples, rate = soundfile.read(str(audio / f"{name}{CLIP_SUFFIX}"), dtype="float32")
        assert rate == SAMPLE_RATE_HZ and samples.ndim == 1
        assert abs(len(samples) / rate * 1000 - entry["ms"]) < 50
        assert _rms(samples) > SILENCE_RMS
    faster = build_audio(tmp_path, ["知道了", "您还在吗？"], SpeechConfig(rate_wpm=200))
    assert faster.rendered == 2  # another rate renders everything again
