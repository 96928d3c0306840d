"""Builds the pinyin dictionary file from build-time packages and the repository's content, reproducibly.

Why: the kiosk ships one small file (same sources → same bytes) instead of two large packages; a test rebuilds it
to catch a stale copy. Readings come from `pypinyin`, word frequencies from `jieba`'s dict.txt (both MIT, the
`ime` extra, never installed on a kiosk); the legal vocabulary is what the kiosk's own content says, so words
like 欠薪 and 抚养权 come first on this keyboard. Run `python -m kiosk_build.ime` (`--check` compares only).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from pathlib import Path

import yaml

from kiosk.ui.ime.engine import DICT_PATH, SCHEMA, SEPARATOR

CONTENT_DIR = Path(__file__).resolve().parents[1] / "kiosk" / "content"
WORD_LIMIT = 50_000
"""Most frequent jieba words kept (the legal vocabulary is kept on top of these)."""
MAX_WORD_CHARS = 8
KEYWORD_FLOOR_RANK = 2_000
"""A triage keyword counts at least as often as the word of this frequency rank (a common word)…"""
KEYWORD_BOOST = 4
"""…times this factor, so 'qx' offers 欠薪 before 情绪."""
CONTENT_FLOOR_RANK = 20_000
CONTENT_BOOST = 2
"""The same two figures for words of the flows' texts and the triage examples."""
IN_WORD_SHARE = 0.05
"""Weight of a character's use inside dictionary words, added to its frequency as a word of its own."""
NASAL_READINGS = {"n": "en", "ng": "en", "hng": "heng", "hm": "hen"}
"""pypinyin's vowel-less readings → the syllable a citizen types (嗯 is 'en' on every pinyin keyboard)."""
SYLLABLE = re.compile(r"[a-z]+")
HAN = re.compile(r"[\u4e00-\u9fff]+")


def gb2312_chars() -> list[str]:
    """The 6,763 hanzi of GB2312 levels 1 and 2, in code order."""
    chars = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def jieba_frequencies() -> dict[str, int]:
    """jieba's word → corpus frequency (its dict.txt: 'word freq tag' per line)."""
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    frequencies = {}
    for line in text.splitlines():
        word, freq, *_ = line.split(" ")
        frequencies[word] = int(freq)
    return frequencies


def _strings(node) -> Iterator[str]:
    """Every string value anywhere in a parsed YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def legal_vocabulary(content_dir: Path) -> tuple[set[str], set[str]]:
    """(triage keywords, words of the flows' texts and triage names/examples), Chinese words of 2+ characters."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    topics = yaml.safe_load((content_dir / "triage" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    keywords = {word for entry in topics.values() for word in entry.get("keywords", [])}
    texts = [entry["name"] for entry in topics.values()]
    texts += [example for entry in topics.values() for example in entry.get("examples", [])]
    for path in sorted((content_dir / "flows").glob("*.yaml")):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    words = {word for text in texts for run in HAN.findall(text) for word in tokenizer.cut(run, HMM=False)}
    return ({w for w in keywords if HAN.fullmatch(w) and len(w) > 1},
            {w for w in words if HAN.fullmatch(w) and len(w) > 1})


def _syllable(reading: str) -> str | None:
    """A pypinyin reading as a typed syllable, or None for one nobody types."""
    reading = NASAL_READINGS.get(reading, reading)
    return reading if SYLLABLE.fullmatch(reading) and reading != "m" else None


def word_reading(word: str) -> tuple[str, ...] | None:
    """The syllables of a word in context (pypinyin's phrase table resolves 银行 → yin hang), or None."""
    from pypinyin import Style, lazy_pinyin

    syllables = tuple(_syllable(r) for r in lazy_pinyin(word, style=Style.NORMAL))
    return syllables if len(syllables) == len(word) and all(syllables) else None


def char_readings(char: str) -> tuple[str | None, list[str]]:
    """(default reading, every reading) of one character, as typed syllables."""
    from pypinyin import Style, lazy_pinyin, pinyin

    default = _syllable(lazy_pinyin(char, style=Style.NORMAL)[0])
    readings = [_syllable(r) for r in pinyin(char, heteronym=True, style=Style.NORMAL)[0]]
    return default, sorted({r for r in readings if r})


def _floor(frequencies: Iterable[int], rank: int) -> int:
    ordered = sorted(frequencies, reverse=True)
    return ordered[min(rank, len(ordered) - 1)]


def word_entries(frequencies: dict[str, int], charset: set[str], keywords: set[str],
                 content_words: set[str]) -> list[tuple[tuple[str, ...], str, int]]:
    """(syllables, word, weight) of the kept words: the most frequent ones plus the whole legal vocabulary."""
    usable = {w: f for w, f in frequencies.items()
              if 1 < len(w) <= MAX_WORD_CHARS and HAN.fullmatch(w) and set(w) <= charset}
    common = sorted(usable, key=lambda w: (-usable[w], w))[:WORD_LIMIT]
    keyword_floor = _floor(usable.values(), KEYWORD_FLOOR_RANK)
    content_floor = _floor(usable.values(), CONTENT_FLOOR_RANK)
    entries = []
    for word in sorted(set(common) | keywords | content_words):
        reading = word_reading(word)
        if reading is None:
            continue
        weight = frequencies.get(word, 0)
        if word in keywords:
            weight = max(weight, keyword_floor) * KEYWORD_BOOST
        elif word in content_words:
            weight = max(weight, content_floor) * CONTENT_BOOST
        entries.append((reading, word, max(1, weight)))
    return entries


def char_entries(frequencies: dict[str, int], chars: Iterable[str],
                 words: list[tuple[tuple[str, ...], str, int]]) -> list[tuple[tuple[str, ...], str, int]]:
    """(syllable,) entries of every reading of each character, weighted by how the character is used.

    A character's own frequency is shared between its readings (half to the default reading, half by how often
    each reading occurs inside the kept words); its use inside words adds a little, so 薪 ranks on 'xin'.
    """
    in_words: dict[tuple[str, str], int] = defaultdict(int)
    for syllables, word, _weight in words:
        for char, syllable in zip(word, syllables):
            in_words[(char, syllable)] += frequencies.get(word, 0)
    entries = []
    for char in chars:
        default, readings = char_readings(char)
        total = sum(in_words[(char, r)] for r in readings)
        for reading in readings:
            own = float(reading == default)
            share = 0.5 * own + 0.5 * in_words[(char, reading)] / total if total else own
            weight = frequencies.get(char, 0) * share + IN_WORD_SHARE * in_words[(char, reading)]
            entries.append(((reading,), char, max(1, round(weight))))
    return entries


def flatten(entries: Iterable[tuple[tuple[str, ...], str, int]]) -> tuple[dict[str, str], dict[str, str]]:
    """(path → 'word weight …' heaviest first, path → 'syllable …' continuing it), the file's two tables."""
    words: dict[str, list[tuple[str, int]]] = defaultdict(list)
    children: dict[str, set[str]] = defaultdict(set)
    for syllables, word, weight in entries:
        words[SEPARATOR.join(syllables)].append((word, weight))
        for depth, syllable in enumerate(syllables):
            children[SEPARATOR.join(syllables[:depth])].add(syllable)
    packed = {path: " ".join(f"{w} {weight}" for w, weight in sorted(pairs, key=lambda p: (-p[1], p[0])))
              for path, pairs in words.items()}
    return packed, {path: " ".join(sorted(found)) for path, found in children.items()}


def build_bytes(content_dir: Path = CONTENT_DIR) -> bytes:
    """The dictionary file's bytes for the installed build packages and the given content folder."""
    frequencies = jieba_frequencies()
    keywords, content_words = legal_vocabulary(content_dir)
    content_chars = {c for w in keywords | content_words for c in w}
    chars = sorted(set(gb2312_chars()) | content_chars)
    words = word_entries(frequencies, set(chars), keywords, content_words)
    singles = char_entries(frequencies, chars, words)
    packed, children = flatten(words + singles)
    document = {
        "schema": SCHEMA,
        "sources": {name: metadata.version(name) for name in ("pypinyin", "jieba")},
        "counts": {"words": len(words), "chars": len(chars), "char_readings": len(singles)},
        "total_weight": sum(weight for _s, _w, weight in words + singles),
        "words": packed,
        "children": children,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk_build.ime", description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DICT_PATH, help="where to write the dictionary file")
    parser.add_argument("--check", action="store_true", help="only compare a fresh build with the file (exit 1)")
    args = parser.parse_args(argv)
    data = build_bytes()
    if args.check:
        same = args.output.exists() and args.output.read_bytes() == data
        print("up to date" if same else f"stale: {args.output}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
