"""The law library on the kiosk (法律法规查询): search, read and browse every law of the content pack, offline.

Why: a citizen types a few words on the pinyin keyboard (欠薪, 离婚 孩子), a law's short name and an article
(劳动合同法第三十条, 民法典1165), or taps a topic, and must get the articles that matter first, with the words
marked, in milliseconds and without a network. The pack's `laws.sqlite` (built by kiosk_build.law_library) is
opened read-only; a query is cut into the same bigrams the index holds (kiosk.legal.law_text), widened by the
pack's reviewed synonyms (加班 → 延长工作时间), and the BM25 candidates are ranked again by how much of the query each
article covers. Thread-safe: the UI calls it from worker threads (kiosk.ui.bridge.run_off_ui).

    library = LawLibrary(lambda: pack_root)          # no I/O
    found = library.search("劳动合同法第三十条")     # opens the file on first use
    found.hits[0].article.law.short, found.hits[0].article.label   # ('劳动合同法', '第三十条')
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.legal.law_text import bigrams, fold, is_cjk, runs
from kiosk.core.errors import ErrorCode, KioskError

LIBRARY_UNAVAILABLE = ErrorCode("LAW-001", "law library missing or unreadable", "home.unavailable.body")
LIBRARY_NOT_BUILT = ErrorCode("LAW-002", "the law library cannot be built as its sources stand", "home.unavailable.body")
"""Only `kiosk content build` raises it (kiosk_build.law_library): a stale override, an unmerged amendment."""
LIBRARY_FILE = "laws.sqlite"
SCHEMA_VERSION = 1
"""Of the tables kiosk_build.law_library writes: bumped when they change; a library of another version is
refused."""
CANDIDATES = 200
"""BM25 candidates ranked again by coverage; more only costs time (tests/bench/law_search.py)."""
MAX_TERMS = 32
"""Distinct bigrams of one query searched at most: a pasted paragraph must not stall a search."""
WEIGHTS = (1.0, 2.0, 0.5)
"""BM25 weights of the index columns: article text, its chapter and section headings, its law's name."""
CITED_LAW_PRIOR = 1.25
"""Articles of the laws the pack's flows rely on (the laws of a citizen's everyday disputes) come first among
equals: a villager asking about 工资 means the Labour Contract Law before the Civil Servant Law."""
CITED_ARTICLE_PRIOR = 1.5
"""Articles the flows cite themselves: the pack's lawyers chose them as the rule of a citizen's dispute."""
DEFINITION_PRIOR = 1.5
"""An article defining a query word (本法所称家庭暴力，是指…) answers 'what is it' first."""
OPENING_PRIOR = 1.5
"""The first article under a heading naming a query word (第九章 诉讼时效 → 第一百八十八条) states the general rule
the following articles refine."""
NAMED_SCORE = 1e6
"""Score of the article a query names by number: above any BM25 score."""
SNIPPET_CHARS = 90
"""Characters of an article shown on a result card around the first marked word."""
PASSIVE_DOER = 3
"""Characters of a passive's doer a synonym may skip (被老公打 → 被打, 被电动车撞 → 被撞)."""

_SPOKEN = re.compile(r"请问|想问|问一下|一下|你好|您好|麻烦|找谁|他们|她们|你们|咱们|咱|俺|您|已经|偷偷|随便|突然|马上|到底"
                     r"|究竟|真的|算不算|怎么办|怎么样|怎么|怎样|如何|咋办|咋|能不能|可不可以|是不是|有没有|会不会"
                     r"|要不要|该不该|(?<![应活])该(?=怎|如|咋)|什么|哪些|哪里|哪儿|哪个"
                     r"|多少|多久|谁|吗|呢|吧|啊|呀|嘛|了(?!解|结)|(?<!目)的(?!确)|我们|我|你|(?<!其)他(?!人)|她|可以|应该|还是"
                     r"|(?<![可功职技智本才性效体动潜])能(?![力够源否])|(?<![需重主必纲摘只])要(?![求约件素点])|(?<![思理])想(?![法象])"
                     r"|(?<![计打结清核预换折估推运决演])算(?![数账术法])"
                     r"|一直|总是|老是|(?<![拿])把(?![握关])|又|(?<![首])都(?![市])|很|太(?!太)|还(?=能|要|用|有|会|得|可以)")
"""Question words, particles, greetings, pronouns (a dialect's 俺, 咱 too) and fillers (偷偷, 已经) of a spoken query
(离婚孩子归谁, 被狗咬了谁赔, 算工伤吗, 一直不给): they name nothing an article says, and their pairs (怎么, 了我) would match
stray articles; the words between them are searched apart."""
_REFUSED = re.compile(r"(?<=[不没])给(?=[\u4e00-\u9fff])")
"""The 给 of a refusal (不给签合同, 没给交社保), which parts the everyday word from its negation (不签合同, 没交社保)."""
_EITHER = re.compile(r"([\u4e00-\u9fff])[不没]\1")
"""An either-or question (合不合法, 犯不犯法, 给没给): the word once (合法, 犯法, 给), as the statute writes it."""
_PARTIES = frozenset("老板 公司 厂里 工厂 包工头 老公 老婆 丈夫 妻子 媳妇 前夫 前妻 儿子 女儿 爸爸 妈妈 爷爷 奶奶 孩子 小孩 老人 家人 "
                     "家里人 别人 邻居 房东 租客 物业 开发商 商家 医院 医生 司机 村里 村委会 居委会 政府 警察 派出所 城管".split())
"""Everyday words for who is in a dispute, not what happened (老公打我, 邻居家的树倒了): the coverage rerank counts
them at PARTY_WEIGHT, so an article on the act (殴打, 林木倾倒) is not outranked by one that only names the party."""
PARTY_WEIGHT = 0.5
_DONE = re.compile(r"了(?!解|结)")
"""The particle of a finished action (打了我, 收了我的地), which parts a verb from its object."""
_AMOUNT = re.compile(r"[零〇一二两三四五六七八九十百千万半几]+个?多?(?:个月|月|年|天|日|小时|周|万|千|块|元|岁|次|级|倍|份|折)")
"""An amount a citizen says (半年, 两万, 十二个小时): a word of its own, not paired with its neighbours (拖半年工资
must not search 年工)."""
_ARTICLE_REF = re.compile(r"^\s*第?\s*(?P<number>[0-9]{1,5}|[零〇一二两三四五六七八九十百千]+)\s*(?P<tiao>条)?"
                          r"(?:\s*(?P<suffix>之[一二三四五六七八九十]+))?")


@dataclass(frozen=True, slots=True)
class Law:
    """One law (or hand-checked regulation) of the library, with its status and version date."""

    id: int
    name: str
    short: str
    kind: str
    category: str
    version_date: str
    effective_date: str
    status: str
    note: str
    """Why the library's status was corrected (an override), else empty."""
    source: str
    """Where a hand-checked regulation's text was compared (empty for laws from the statute library)."""
    excerpt: bool
    """Only some articles are carried (a hand-checked regulation)."""
    articles: int


@dataclass(frozen=True, slots=True)
class Article:
    """One article: `number` as an integer (第一百三十三条之一 → 133, label keeps the whole), its headings and text."""

    id: int
    law: Law
    number: int
    label: str
    chapter: str
    section: str
    text: str
    note: str
    """An amendment the build merged into this article's text (经《刑法修正案（十二）》修改…), else empty."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the article, its score (higher is better) and the spans of `article.text` to mark."""

    article: Article
    score: float
    marks: tuple[tuple[int, int], ...]

    def snippet(self, width: int = SNIPPET_CHARS) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A piece of the text around the first mark (… where cut) with the marks moved into it."""
        text = self.article.text.replace("\n", " ")
        first = self.marks[0][0] if self.marks else 0
        start = max(0, min(first - width // 4, len(text) - width))
        end = min(len(text), start + width)
        prefix = "…" if start else ""
        shown = prefix + text[start:end] + ("…" if end < len(text) else "")
        shift = len(prefix) - start
        marks = tuple((max(a + shift, len(prefix)), min(b + shift, len(prefix) + end - start))
                      for a, b in self.marks if b > start and a < end)
        return shown, marks


@dataclass(frozen=True, slots=True)
class SearchResult:
    """What a query found: the law it named (if any), the article it named (if any) and the ranked hits."""

    query: str
    law: Law | None
    hits: tuple[Hit, ...]


@dataclass(frozen=True, slots=True)
class Chapter:
    """A run of articles under one chapter and section heading, in reading order."""

    title: str
    section: str
    first_id: int
    last_id: int
    first_label: str
    last_label: str


@dataclass(frozen=True, slots=True)
class TopicLaw:
    """A law (or the part of it, by article numbers) a topic opens."""

    law: Law
    part: str
    first: int
    last: int


class LawLibrary:
    """The pack's law library, opened read-only on first use; a new pack root opens the new file."""

    def __init__(self, pack_root: Callable[[], Path]) -> None:
        self._pack_root = pack_root
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._laws: dict[int, Law] = {}
        self._aliases: list[tuple[str, int]] = []
        self._synonyms: list[tuple[str, tuple[str, ...]]] = []
        self._cited: set[int] = set()
        self._common: set[str] = set()

    # ---- opening -----------------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        """The connection to the current pack's library (call with the lock held); KioskError LAW-001."""
        path = self._pack_root() / LIBRARY_FILE
        if self._connection is not None and path == self._path:
            return self._connection
        try:
            connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            schema = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if schema is None or schema[0] != str(SCHEMA_VERSION):
                raise KioskError(LIBRARY_UNAVAILABLE, f"{path}: schema {schema} is not {SCHEMA_VERSION}")
            laws = {row[0]: Law(*row[:-2], bool(row[-2]), row[-1]) for row in connection.execute(
                "SELECT l.id, name, short, kind, category, version_date, effective_date, status, l.note, source, "
                "excerpt, (SELECT count(*) FROM articles a WHERE a.law = l.id) FROM laws l")}
            aliases = sorted(((fold(alias), law) for alias, law in connection.execute("SELECT alias, law FROM aliases")),
                             key=lambda item: -len(item[0]))
            synonyms = sorted(((fold(word), tuple(json.loads(phrases))) for word, phrases in
                               connection.execute("SELECT word, phrases FROM synonyms")), key=lambda item: -len(item[0]))
        except sqlite3.Error as exc:
            raise KioskError(LIBRARY_UNAVAILABLE, f"{path}: {exc}") from exc
        if self._connection is not None:
            self._connection.close()
        self._connection, self._path = connection, path
        self._laws, self._aliases, self._synonyms = laws, aliases, synonyms
        self._cited = {row[0] for row in connection.execute("SELECT id FROM laws WHERE cited = 1")}
        self._common = {row[0] for row in connection.execute("SELECT term FROM common")}
        return connection

    def close(self) -> None:
        """Close the file (the next call opens it again)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None

    # ---- reading -----------------------------------------------------------------------------------------

    def laws(self) -> list[Law]:
        """Every law in the library's order (constitution first, then by category and name)."""
        with self._lock:
            self._open()
            return list(self._laws.values())

    def find_law(self, name: str) -> Law | None:
        """The law called `name` (full name, short name or a reviewed alias), else None."""
        with self._lock:
            self._open()
            wanted = fold(name).strip()
            return next((self._laws[law] for alias, law in self._aliases if alias == wanted), None)

    def article(self, law: Law, number: int, label: str = "") -> Article | None:
        """Article `number` of `law` (the first of that number unless `label` names 之一 …), else None."""
        with self._lock:
            rows = self._open().execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE law = ? AND number = ? ORDER BY id", (law.id, number))
            found = [self._article(row) for row in rows]
        return next((a for a in found if a.label == label), found[0] if found and not label else None)

    def articles(self, first_id: int, last_id: int) -> list[Article]:
        """Articles by id range (reading order), e.g. one chapter of `chapters`."""
        with self._lock:
            rows = self._open().execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id BETWEEN ? AND ? ORDER BY id",
                                        (first_id, last_id)).fetchall()
            return [self._article(row) for row in rows]

    def chapters(self, law: Law, first: int = 0, last: int = 0) -> list[Chapter]:
        """The law's headings in reading order (only articles `first`..`last` when given); a law without
        chapters is one untitled run."""
        with self._lock:
            rows = self._open().execute(
                "SELECT id, number, label, chapter, section FROM articles WHERE law = ? AND (? = 0 OR number BETWEEN ? AND ?) "
                "ORDER BY id", (law.id, last, first, last)).fetchall()
        out: list[Chapter] = []
        for article_id, _number, label, chapter, section in rows:
            if out and (out[-1].title, out[-1].section) == (chapter, section):
                out[-1] = Chapter(chapter, section, out[-1].first_id, article_id, out[-1].first_label, label)
            else:
                out.append(Chapter(chapter, section, article_id, article_id, label, label))
        return out

    def topic(self, topic_id: str) -> list[TopicLaw]:
        """The laws (or parts of laws) a topic opens, in the pack's order."""
        with self._lock:
            rows = self._open().execute("SELECT law, part, first, last FROM topics WHERE topic = ? ORDER BY position",
                                        (topic_id,)).fetchall()
            return [TopicLaw(self._laws[law], part, first, last) for law, part, first, last in rows]

    def _article(self, row: tuple) -> Article:
        article_id, law, number, label, chapter, section, text, note = row
        return Article(article_id, self._laws[law], number, label, chapter, section, text, note)

    # ---- searching ---------------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> SearchResult:
        """The articles that match `query`, best first: the article it names, then that law's articles for the
        other words, then the whole library's; a law named alone gives its first articles."""
        with self._lock:
            connection = self._open()
            law, rest, named = self._named_law(fold(query))
            rest = _EITHER.sub(r"\1", rest)
            words = _words(rest)
            wordings = self._wordings(_said(rest)) if words else {}
            hits = self._named_articles(connection, law, named) if named is not None else []
            if law is not None and words:
                hits += self._ranked(connection, words, wordings, law.id, limit)
            if law is None or words:
                hits += self._ranked(connection, words, wordings, None, limit)
            elif named is None:
                hits += self._first_articles(connection, law, limit)
        unique: dict[int, Hit] = {}
        for hit in hits:
            unique.setdefault(hit.article.id, hit)
        return SearchResult(query, law, tuple(list(unique.values())[:limit]))

    def _named_law(self, folded: str) -> tuple[Law | None, str, tuple[int, str] | None]:
        """(the law the query names, the query without its name and article, (number, suffix) of the article)."""
        for alias, law_id in self._aliases:
            at = folded.find(alias)
            if at < 0:
                continue
            rest = folded[at + len(alias):]
            match = _ARTICLE_REF.match(rest)
            named = None
            if match and (match["number"].isdigit() or match["tiao"]):
                from kiosk.legal.library import parse_chinese_number  # noqa: PLC0415 - keeps YAML out of start-up

                number = int(match["number"]) if match["number"].isdigit() else parse_chinese_number(
                    match["number"].replace("两", "二").replace("〇", "零"))
                named = (number, match["suffix"] or "")
                rest = rest[match.end():]
            return self._laws[law_id], folded[:at] + " " + rest, named
        return None, folded, None

    def _named_articles(self, connection: sqlite3.Connection, law: Law, named: tuple[int, str]) -> list[Hit]:
        number, suffix = named
        rows = connection.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE law = ? AND number = ? ORDER BY id",
                                  (law.id, number)).fetchall()
        articles = [self._article(row) for row in rows]
        exact = [a for a in articles if a.label.endswith(suffix)] if suffix else articles[:1]
        return [Hit(article, NAMED_SCORE, ()) for article in exact]

    def _first_articles(self, connection: sqlite3.Connection, law: Law, limit: int) -> list[Hit]:
        rows = connection.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE law = ? ORDER BY id LIMIT ?",
                                  (law.id, limit)).fetchall()
        return [Hit(self._article(row), 0.0, ()) for row in rows]

    def _wordings(self, said: list[str]) -> dict[str, tuple[str, ...]]:
        """The citizen's words (synonyms) found in `said`, the query's runs with and without its question words and
        particles (被车撞了 → 被车撞 holds 车撞; 要钱 keeps its 要), with the law's wordings of each; the longest
        where one holds another (狗咬人, not also 狗)."""
        found = {synonym: wording for run in said for synonym, wording in self._synonyms if synonym in run}
        return {synonym: wording for synonym, wording in found.items()
                if not any(synonym != longer and synonym in longer for longer in found)}

    def _ranked(self, connection: sqlite3.Connection, words: list[str], wordings: dict[str, tuple[str, ...]],
                law_id: int | None, limit: int) -> list[Hit]:
        """BM25 over the bigrams of the words and wordings, then ranked again by how much of the query each article
        holds (`_units`): a typed word by its bigrams, a citizen's word the synonyms know as one idea, however many
        wordings the law has for it."""
        phrases = [*words, *dict.fromkeys(w for wording in wordings.values() for w in wording)]
        terms = list(dict.fromkeys(t for phrase in phrases for run in runs(phrase)
                                   for t in (bigrams(run) if is_cjk(run) else [run])))
        terms = ([t for t in terms if t not in self._common] or terms)[:MAX_TERMS]
        if not terms:
            return []
        match = " OR ".join(f'"{t}"*' if len(t) == 1 and is_cjk(t) else f'"{t}"' for t in terms)
        units = self._units(words, wordings, terms)
        weights = [PARTY_WEIGHT if unit[0] in _PARTIES else 1.0 for unit in units]
        total = sum(weights)
        first, last = self._span(connection, law_id)
        rows = connection.execute(
            f"SELECT {_ARTICLE_COLUMNS.replace('id,', 'a.id,', 1)}, -s.rank, a.cited, a.opens FROM "
            "(SELECT rowid, rank FROM search WHERE search MATCH ? AND rank MATCH ? AND rowid BETWEEN ? AND ? "
            f"ORDER BY rank LIMIT {CANDIDATES}) s JOIN articles a ON a.id = s.rowid",
            (match, f"bm25({', '.join(map(str, WEIGHTS))})", first, last)).fetchall()
        scored = []
        for row in rows:
            article = self._article(row[:-3])
            text = article.text
            covered = sum(weight for unit, weight in zip(units, weights) if _held(text, unit)) / total
            score = (row[-3] * (0.5 + covered) * (CITED_LAW_PRIOR if article.law.id in self._cited else 1.0)
                     * (CITED_ARTICLE_PRIOR if row[-2] else 1.0)
                     * (DEFINITION_PRIOR if _defines(text, phrases)
                        or any(_lists_when(text, w) for w in words) else 1.0)
                     * (OPENING_PRIOR if row[-1] and any(p in article.chapter + article.section for p in phrases)
                        else 1.0))
            scored.append((score, article))
        scored.sort(key=lambda item: -item[0])
        return [Hit(article, score, _marks(article.text, phrases, terms)) for score, article in scored[:limit]]

    def _units(self, words: list[str], wordings: dict[str, tuple[str, ...]], terms: list[str]) -> list[tuple[str, ...]]:
        """The query's ideas, as the coverage rerank counts them: each citizen's word the synonyms know (the word, then
        the law's wordings of it), and each bigram of the characters typed outside those words (孩子改姓 is two
        ideas, not 孩子 改姓 子改 子女 未成年人 姓氏)."""
        units = [(key, *(w for w in wording if w != key)) for key, wording in wordings.items()]
        for run in words:
            held = [False] * len(run)
            for key in wordings:
                start = run.find(key)
                while start >= 0:
                    held[start:start + len(key)] = [True] * len(key)
                    start = run.find(key, start + 1)
            grams = bigrams(run) if is_cjk(run) else [run]
            units += [(t,) for i, t in enumerate(grams) if t not in self._common and t in terms
                      and not any(held[i:i + len(t)])]
        units = list(dict.fromkeys(units))
        return units or [(t,) for t in terms]

    def _span(self, connection: sqlite3.Connection, law_id: int | None) -> tuple[int, int]:
        """The article ids of one law (they are consecutive), or of the whole library."""
        if law_id is None:
            return 0, 2**62
        return connection.execute("SELECT min(id), max(id) FROM articles WHERE law = ?", (law_id,)).fetchone()


_ARTICLE_COLUMNS = "id, law, number, label, chapter, section, text, note"


def law_line(texts: Callable[..., str], law: Law) -> str:
    """现行有效 · 2012年12月28日版 (on the article page and its slip); a hand-checked regulation shows its kind
    (行政法规) instead of a status."""
    from kiosk.legal.answers import chinese_date  # noqa: PLC0415 - keeps the content model out of start-up

    version = texts("library.version", date=chinese_date(date.fromisoformat(law.version_date))) \
        if law.version_date else ""
    return " · ".join(part for part in (law.kind if law.excerpt else law.status, version) if part)


def _words(rest: str) -> list[str]:
    """The runs of a query to search, without its question words and particles; the whole query when nothing else is
    left."""
    return _searched(_AMOUNT.sub(r" \g<0> ", _SPOKEN.sub(" ", rest))) or _searched(rest)


def _said(rest: str) -> list[str]:
    """The runs a query's everyday words are looked up in: without its question words and particles (被车撞了 →
    被车撞 holds 车撞), as typed (要钱 keeps its 要), without 了 alone (打了我 → 打我), without a refusal's 给 (不给签合同 →
    不签合同), and each passive without its doer (被老公打 → 被打)."""
    said = [*_searched(_SPOKEN.sub("", rest)), *runs(rest), *runs(_DONE.sub("", rest)), *runs(_REFUSED.sub("", rest))]
    return said + [run[:at + 1] + run[at + 1 + doer:] for run in said for at, char in enumerate(run) if char == "被"
                   for doer in range(1, min(PASSIVE_DOER, len(run) - at - 2) + 1)]


def _searched(text: str) -> list[str]:
    """The runs of `text` worth searching: a bare figure names nothing an article says."""
    return [run for run in runs(text) if not run.isdigit()]


def _held(text: str, unit: tuple[str, ...]) -> bool:
    """Whether `text` holds a unit (from `_units`): the word typed or any of the law's wordings of it (孩子: 子女 or
    未成年人)."""
    return any(map(text.__contains__, unit))


def _defines(text: str, phrases: list[str]) -> bool:
    """Whether `text` defines one of `phrases` the way statutes do: 本法所称X / X，是指 / X是指 / X人是指 (the one who
    does X), or lists what counts as it (…下列财产，为夫妻的共同财产: read without 的, as a citizen types the phrase).
    Most articles define nothing: they are passed over without building a string per phrase."""
    if "所称" not in text and "是指" not in text and "为" not in text:
        return False
    plain = text.replace("的", "") if "为" in text else ""
    return any(phrase and (f"所称{phrase}" in text or f"{phrase}，是指" in text or f"{phrase}是指" in text
                           or f"{phrase}人是指" in text or f"，为{phrase}" in plain) for phrase in phrases)


def _lists_when(text: str, word: str) -> bool:
    """Whether `text` lists when the typed `word` applies: its lead sentence names 下列 cases and ends in the word
    (…有下列情形之一的，可以取保候审：, 遗产按照下列顺序继承：)."""
    lead, colon, _rest = text.partition("：")
    return bool(word and colon) and "下列" in lead and lead.endswith(word)


def _marks(text: str, phrases: list[str], terms: list[str]) -> tuple[tuple[int, int], ...]:
    """The spans of `text` holding a query bigram or phrase, merged, in order."""
    spans: list[tuple[int, int]] = []
    for needle in (*terms, *phrases):
        start = text.find(needle) if needle else -1
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = text.find(needle, start + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
