"""Law-library benchmark: relevance and latency of the kiosk's search, the tokenizers it was chosen over, the
library's build time and what it adds to the content pack.

Prints one JSON object. Measured in the same run on the same articles and queries:
- `shipped`: kiosk.legal.law_library as the kiosk runs it (bigram BM25, names and numbers, synonyms, reranking);
- `bigram_bm25`: the shipped index queried with BM25 alone (no synonyms, no reranking), what the extras add;
- `trigram`: SQLite FTS5's own trigram tokenizer over the same texts, the query cut into trigrams (OR), runs of
  two characters (欠薪, 离婚) matched by substring since a trigram index cannot hold them;
- `jieba`: the texts and the query segmented by jieba (search mode, the build-time `ime` extra), BM25.
Queries: the word queries of tests/data/law_search_queries.tsv (top-3 hit rate, the issue's measure), its
everyday sentences (kind said: 老板不给工资, 上班路上出车祸算工伤吗; said_fresh: those of them written before the
search was measured on them, 打零工摔伤了老板不管; also by the session that wrote them), and, when
../shared/data is there, the real questions of LeCoQA with the articles their answers cite (hit@3, hit@10; a whole
question is far longer than what a citizen types on the kiosk, so this compares tokenizers, not the kiosk).
Latency: the shipped search over the typed queries (20 rounds) and over the real questions, p50/p95/p99 in ms.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
import sqlite3
import statistics
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.legal.law_library import LawLibrary
from kiosk.legal.law_text import bigrams, fold, is_cjk, runs
from kiosk.legal.library import parse_chinese_number
from kiosk_build.law_library import build_law_library
from kiosk_build.statutes import default_source_db
from tests.law_relevance import QUERIES, relevance_set

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "kiosk" / "content"
LECOQA = ROOT.parent / "shared" / "data" / "legal_qa_sample.jsonl"
ROUNDS = 20
DEPTH = 10
SOURCES = ("pack.yaml", "law_sources.yaml", "regulations.yaml", "statutes.json")
_SESSION = re.compile(r"session (\d+)")
_BASIS = re.compile(r"(?P<law>[^；;，,\s]+?)第(?P<article>[零一二三四五六七八九十百千]+)条")

Ranker = Callable[[str], list[int]]
"""A query → article ids of the shipped library, best first."""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def typed_queries(library: LawLibrary, *kinds: str) -> list[tuple[str, set[int]]]:
    """The relevance set's queries of the given kinds (words, said, said_fresh) with the ids of their expected
    articles."""
    return [(query, {a for key in expected if (a := _article_id(library, key))})
            for kind, query, expected in relevance_set() if kind in kinds]


def _article_id(library: LawLibrary, key: str) -> int | None:
    short, number = key.split(":")
    law = library.find_law(short)
    base, _, suffix = number.partition("之")
    found = [a for a in (library.article(law, int(base)),) if a] if law else []
    if suffix and found:
        found = [a for a in library.articles(found[0].id, found[0].id + 5) if a.label.endswith(f"之{suffix}")]
    return found[0].id if found else None


def fresh_by_session(queries: list[tuple[str, set[int]]]) -> dict[str, list[tuple[str, set[int]]]]:
    """The said_fresh queries grouped by the session that wrote them, as the comment line above each group names it
    (`# fresh: … session 25`, `# (session 27: …)`), so each set's hit rate shows whether what it taught generalises."""
    session, sessions = "", {}
    fresh = dict(queries)
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#"):
            session = named[1] if (named := _SESSION.search(line)) else session
        elif session and len(cells) == 3 and cells[1] in fresh:
            sessions.setdefault(session, []).append((cells[1], fresh[cells[1]]))
    return sessions


def real_questions(library: LawLibrary) -> list[tuple[str, set[int]]]:
    """LeCoQA's questions whose cited articles are all in the library (read at run time, never copied)."""
    if not LECOQA.exists():
        return []
    out = []
    for line in LECOQA.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["source"] != "LeCoQA":
            continue
        wanted = set()
        for match in _BASIS.finditer(row["legal_basis"] or ""):
            law = library.find_law(match["law"])
            article = library.article(law, parse_chinese_number(match["article"])) if law else None
            if article is not None:
                wanted.add(article.id)
        if wanted:
            out.append((row["question"], wanted))
    return out


def hit_rates(rank: Ranker, queries: list[tuple[str, set[int]]]) -> dict:
    """hit@3 and hit@10: the share of queries with an expected article among the first 3 / 10."""
    ranked = [(rank(query), wanted) for query, wanted in queries]
    return {"n": len(queries),
            "hit_at_3": round(sum(bool(set(r[:3]) & w) for r, w in ranked) / len(ranked), 3),
            "hit_at_10": round(sum(bool(set(r[:DEPTH]) & w) for r, w in ranked) / len(ranked), 3)}


def shipped_ranker(library: LawLibrary) -> Ranker:
    return lambda query: [hit.article.id for hit in library.search(query, limit=DEPTH).hits]


def fts_ranker(connection: sqlite3.Connection, terms: Callable[[str], list[str]],
               substring: Callable[[str], list[str]] = lambda _q: []) -> Ranker:
    """BM25 over `search` of `connection` for the OR of the query's terms; runs the index cannot hold are matched
    by substring in the shipped texts (attached as `lib`) and ordered by how many they hold."""

    def rank(query: str) -> list[int]:
        wanted = list(dict.fromkeys(t.replace('"', "") for t in terms(query)))[:32]
        if wanted:
            return [row[0] for row in connection.execute(
                "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rank LIMIT ?",
                (" OR ".join(f'"{t}"' for t in wanted), DEPTH))]
        short = substring(query)
        if not short:
            return []
        held = " + ".join("(instr(text, ?) > 0)" for _ in short)
        return [row[0] for row in connection.execute(
            f"SELECT id FROM lib.articles WHERE {held} > 0 ORDER BY {held} DESC, id LIMIT ?",
            (*short, *short, DEPTH))]

    return rank


def bigram_terms(query: str) -> list[str]:
    return [t for run in runs(query) for t in (bigrams(run) if is_cjk(run) else [run])]


def trigram_terms(query: str) -> list[str]:
    return [run[i:i + 3] for run in runs(query) for i in range(max(0, len(run) - 2))]


def build_alternative(path: Path, library: Path, tokenize: str, cut: Callable[[str], str]) -> tuple[float, int]:
    """An index of the shipped articles with another tokenizer: (build seconds, bytes)."""
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute(f"ATTACH DATABASE 'file:{library}?mode=ro' AS lib")
    connection.execute(f"CREATE VIRTUAL TABLE search USING fts5(body, content='', tokenize='{tokenize}')")
    rows = connection.execute("SELECT id, text FROM lib.articles").fetchall()
    connection.executemany("INSERT INTO search(rowid, body) VALUES (?, ?)", ((i, cut(t)) for i, t in rows))
    connection.execute("INSERT INTO search(search) VALUES ('optimize')")
    connection.commit()
    connection.execute("DETACH DATABASE lib")
    connection.execute("VACUUM")
    connection.close()
    return round(time.perf_counter() - start, 2), path.stat().st_size


def pack_bytes(exclude: str | None) -> int:
    """Size of the content pack as a fleet job ships it (tar.gz of the content directory)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(CONTENT, arcname="content",
                    filter=lambda info: None if "__pycache__" in info.name or (exclude and info.name.endswith(exclude))
                    else info)
    return buffer.tell()


def latencies(library: LawLibrary, queries: list[str], rounds: int) -> dict:
    times = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            library.search(query)
            times.append((time.perf_counter() - start) * 1000)
    return {"n": len(times), "p50_ms": round(statistics.median(times), 3), "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99), "max_ms": round(max(times), 3)}


def main() -> None:
    import jieba  # noqa: PLC0415 - build-time `ime` extra; only this comparison needs it

    jieba.setLogLevel(60)
    shipped = CONTENT / "laws.sqlite"
    library = LawLibrary(lambda: CONTENT)
    typed = typed_queries(library, "words")
    said = typed_queries(library, "said", "said_fresh")
    fresh = typed_queries(library, "said_fresh")
    real = real_questions(library)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "content").mkdir()
        for name in SOURCES:
            shutil.copy(CONTENT / name, work / "content" / name)
        shutil.copytree(CONTENT / "regulation_texts", work / "content" / "regulation_texts")
        start = time.perf_counter()
        built = build_law_library(work / "content", default_source_db())
        build_s = round(time.perf_counter() - start, 2)
        alternatives = {
            "trigram": (build_alternative(work / "trigram.db", shipped, "trigram", fold), trigram_terms,
                        lambda q: [r for r in runs(q) if len(r) < 3]),
            "jieba": (build_alternative(work / "jieba.db", shipped, "unicode61",
                                        lambda t: " ".join(w for w in jieba.cut_for_search(fold(t)) if w.strip())),
                      lambda q: [w for w in jieba.cut_for_search(fold(q)) if runs(w) == [w]],
                      lambda _q: []),
        }
        methods: dict[str, dict] = {}
        rankers = {"shipped": (shipped_ranker(library), None),
                   "bigram_bm25": (fts_ranker(_connect(shipped), bigram_terms), None)}
        for name, ((seconds, size), terms, substring) in alternatives.items():
            rankers[name] = (fts_ranker(_connect(work / f"{name}.db", shipped), terms, substring),
                             {"index_build_s": seconds, "index_bytes": size})
        for name, (rank, index) in rankers.items():
            methods[name] = {"typed": hit_rates(rank, typed), "said": hit_rates(rank, said),
                             "said_fresh": hit_rates(rank, fresh),
                             **({"said_fresh_by_session": {session: hit_rates(rank, rows) for session, rows
                                                           in fresh_by_session(fresh).items()}} if name == "shipped" else {}),
                             **({"real_questions": hit_rates(rank, real)} if real else {}), **(index or {})}
    with_pack, without_pack = pack_bytes(None), pack_bytes("laws.sqlite")
    print(json.dumps({
        "library": {"laws": built.laws, "articles": built.articles, "file_bytes": built.bytes,
                    "gzip_bytes": len(gzip.compress(shipped.read_bytes())), "build_s": build_s},
        "pack": {"tar_gz_bytes": with_pack, "tar_gz_bytes_without_library": without_pack,
                 "added_bytes": with_pack - without_pack},
        "latency_typed": latencies(library, [q for q, _ in typed], ROUNDS),
        "latency_real_questions": latencies(library, [q for q, _ in real], 1) if real else None,
        "relevance": methods,
    }, ensure_ascii=False))


def _connect(path: Path, library: Path | None = None) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.execute(f"ATTACH DATABASE 'file:{library or path}?mode=ro' AS lib")
    return connection


if __name__ == "__main__":
    main()
