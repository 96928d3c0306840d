"""Pinyin keyboard benchmark: dictionary load time, look-up latency per keystroke, size; beside a linear scan.

The keystrokes are a citizen typing the common questions of `topics.yaml`: word by word, each word's full
pinyin letter by letter and then the word chosen (the rest of the letters stay), then the same questions in
简拼 (first letters), and finally each question's whole pinyin without choosing (long compositions, up to the
keyboard's limit). The baseline, measured in the same run on a sample of the same keystrokes, scans every
dictionary entry and matches its syllables against the letters (full syllable, initial, or a partial last
syllable), then ranks like the engine. Budgets: load ≤ 300 ms, p99 ≤ 2 ms per keystroke, file ≤ 5 MB.
Run: `python -m tests.bench.ime`. Prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import statistics
import time

import yaml

from kiosk_build.ime import CONTENT_DIR
from kiosk.ui.ime.engine import DICT_PATH, MAX_LETTERS, SEPARATOR, PinyinDictionary, normalise

LOAD_RUNS = 5
BASELINE_SAMPLE = 150
"""Keystrokes the (slow) linear scan is timed on, spread evenly over all of them."""
ZH_CH_SH = ("zh", "ch", "sh")

Entry = tuple[tuple[str, ...], str, int]
"""(syllables, word, weight), as `PinyinDictionary.entries()` lists them."""


def spell(question: str, readings: dict[str, tuple[str, ...]]) -> list[tuple[str, tuple[str, ...]]]:
    """The question cut into dictionary words (longest first) with their syllables; other characters dropped."""
    words, i = [], 0
    while i < len(question):
        for length in range(min(8, len(question) - i), 0, -1):
            piece = question[i:i + length]
            if piece in readings:
                words.append((piece, readings[piece]))
                i += length
                break
        else:
            i += 1
    return words


def initial(syllable: str) -> str:
    return syllable[:2] if syllable[:2] in ZH_CH_SH else syllable[0]


def keystrokes(questions: list[str], readings: dict[str, tuple[str, ...]]) -> list[str]:
    """The composition after every keystroke of the three typing styles."""
    states = []
    for question in questions:
        words = spell(question, readings)
        for _word, syllables in words:  # full pinyin, choosing each word
            typed = ""
            for letter in "".join(syllables):
                typed += letter
                states.append(typed)
        for _word, syllables in words:  # 简拼, choosing each word
            typed = ""
            for letter in "".join(initial(s) for s in syllables):
                typed += letter
                states.append(typed)
        whole = "".join(s for _w, syllables in words for s in syllables)[:MAX_LETTERS]
        states += [whole[:n] for n in range(1, len(whole) + 1)]
    return states


def scan_matches(entries: list[Entry], letters: str, limit: int = 60) -> list[str]:
    """The baseline: every entry checked against the letters, ranked by (letters used, fewer guesses, weight)."""
    text = normalise(letters)

    def match(syllables: tuple[str, ...], position: int, guessed: int) -> tuple[int, int] | None:
        if not syllables:
            return position, guessed
        if position >= len(text):
            return None
        syllable, rest = syllables[0], syllables[1:]
        options = []
        if text.startswith(syllable, position):
            options.append((position + len(syllable), guessed))
        head = initial(syllable)
        if text.startswith(head, position) and head != syllable:
            options.append((position + len(head), guessed + 1))
        tail = text[position:]
        if not rest and SEPARATOR not in tail and syllable.startswith(tail) and tail != syllable:
            options.append((len(text), guessed + 1))
        results = []
        for end, count in options:
            following = end + 1 if end < len(text) and text[end] == SEPARATOR else end
            found = match(rest, following, count) if rest else (end, count)
            if found:
                results.append(found)
        return max(results, key=lambda r: (r[0], -r[1])) if results else None

    scored = {}
    for syllables, word, weight in entries:
        found = match(syllables, 0, 0)
        if found and (found[0], -found[1], weight) > scored.get(word, (-1, 0, 0)):
            scored[word] = (found[0], -found[1], weight)
    return [w for w, _ in sorted(scored.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)[:limit]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(function, states: list[str]) -> tuple[list[float], list[str | None]]:
    """Milliseconds of `function(state)` for each state, and the first word it answered (only that is kept)."""
    times, firsts = [], []
    for state in states:
        start = time.perf_counter()
        answer = function(state)
        times.append((time.perf_counter() - start) * 1000)
        firsts.append(answer[0] if answer else None)
    return times, firsts


def full_collection_ms() -> float:
    """Median of a few full garbage collections (Python runs them on the UI thread whenever it likes)."""
    runs = []
    for _ in range(LOAD_RUNS):
        start = time.perf_counter()
        gc.collect()
        runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 2)


def main() -> None:
    gc_without_ms = full_collection_ms()
    loads = []
    for _ in range(LOAD_RUNS):
        start = time.perf_counter()
        dictionary = PinyinDictionary.load()
        loads.append((time.perf_counter() - start) * 1000)
    gc_with_ms = full_collection_ms()
    counts = json.loads(DICT_PATH.read_bytes())["counts"]
    entries = list(dictionary.entries())
    readings: dict[str, tuple[str, ...]] = {}
    for syllables, word, weight in sorted(entries, key=lambda e: e[2]):
        readings[word] = syllables  # the heaviest reading of a character wins
    topics = yaml.safe_load((CONTENT_DIR / "triage" / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    questions = [q for entry in topics.values() for q in entry.get("examples", [])]
    states = keystrokes(questions, readings)
    engine_ms, _ = timed(dictionary.candidates, states)
    sample = states[:: max(1, len(states) // BASELINE_SAMPLE)][:BASELINE_SAMPLE]
    sample_engine_ms, engine_top = timed(lambda s: [c.text for c in dictionary.matches(s)], sample)
    scan_ms, scan_top = timed(lambda s: scan_matches(entries, s), sample)
    agree = sum(a is not None and a == b for a, b in zip(engine_top, scan_top)) / len(sample)
    entry_count = len(entries)
    report = {
        "dictionary_bytes": DICT_PATH.stat().st_size,
        "words": counts["words"],
        "chars": counts["chars"],
        "entries": entry_count,
        "load_ms_median": round(statistics.median(loads), 1),
        "load_ms_max": round(max(loads), 1),
        "questions": len(questions),
        "keystrokes": len(states),
        "lookup_ms_p50": round(statistics.median(engine_ms), 3),
        "lookup_ms_p99": round(percentile(engine_ms, 0.99), 3),
        "lookup_ms_max": round(max(engine_ms), 3),
        "baseline": {
            "what": "linear scan of every entry, same matching rules and ranking",
            "keystrokes": len(sample),
            "lookup_ms_p50": round(statistics.median(scan_ms), 3),
            "lookup_ms_p99": round(percentile(scan_ms, 0.99), 3),
            "engine_same_keystrokes_ms_p50": round(statistics.median(sample_engine_ms), 3),
            "top1_agreement": round(agree, 3),
        },
        "gc_full_collection_ms": {"without_dictionary": gc_without_ms, "with_dictionary": gc_with_ms},
        "speedup_p50": round(statistics.median(scan_ms) / statistics.median(sample_engine_ms), 1),
        "budgets": {"load_ms": 300, "lookup_ms_p99": 2.0, "dictionary_bytes": 5_000_000},
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
