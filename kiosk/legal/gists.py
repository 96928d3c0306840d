"""The law in short: one plain line per cited provision (法条要旨), and each law's code for the verification URL.

Why: a citizen's slip cannot carry half a metre of statute text. It prints each cited provision as the law's
short name, the article number and a line a villager can read, written and checked as content (`gists.yaml`,
named by pack.yaml `gists:`); the full texts stay on the screen and one scan away, because the verification URL
names the cited provisions by law code and article (`provisions_param`). The linter checks that every cited
provision has a gist and that it fits (kiosk.legal.lint).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.legal.document import Provision
from kiosk.legal.flow import ContentPack
from kiosk.legal.yamlmarks import line_of, load_marked

GIST_MAX_CHARS = 30
"""Characters a gist may have: with 《short name》第N条 in front it takes two lines of 80 mm paper."""
LAW_CODE = re.compile(r"^[a-z]{2,8}$")
"""A law's code: lower-case ASCII letters (usually the pinyin initials of its short name), safe in a URL unescaped;
no digits, so that in `provisions_param` a code ends where its first article number begins."""
_PARAM_GROUP = re.compile(r"([a-z]{2,8})([1-9][0-9]{0,3}(?:\.[1-9][0-9]{0,3})*)")
"""One law in `provisions_param`: its code, then its article numbers (1-9999, no leading zero) joined by '.'."""


@dataclass(frozen=True, slots=True)
class Gists:
    """The gists by (short law name, article) and the code of each law by short name."""

    lines: dict[tuple[str, int], str]
    codes: dict[str, str]

    def apply(self, short: str, provision: Provision) -> Provision:
        """`provision` (cited in content as `short`) with its short name, gist and law code."""
        return replace(provision, short=short, gist=self.lines.get((short, provision.article), ""),
                       law_code=self.codes.get(short, ""))


NO_GISTS = Gists({}, {})


def parse_gists(data: Any) -> tuple[Gists, list[tuple[int, str]]]:
    """The gists of a loaded `gists.yaml` (`{short name: {code, articles: {number: gist}}}`) and its problems
    as (line, message): a law without a valid or with a shared code, an article that is not a number, a gist
    that is not text. Lengths and coverage are the linter's."""
    if not isinstance(data, dict):
        return NO_GISTS, [(line_of(data), "gists must map each law's short name to its `code` and `articles`")]
    lines: dict[tuple[str, int], str] = {}
    codes: dict[str, str] = {}
    problems: list[tuple[int, str]] = []
    for short, entry in data.items():
        where = line_of(data, short)
        if not isinstance(entry, dict) or not isinstance(entry.get("articles"), dict):
            problems.append((where, f"{short}: needs `code` and `articles` (article number: gist)"))
            continue
        code = str(entry.get("code", ""))
        if not LAW_CODE.match(code):
            problems.append((line_of(entry, "code") or where, f"{short}: code {code!r} must be 2-8 lower-case "
                                                                "letters"))
        elif code in codes.values():
            other = next(name for name, taken in codes.items() if taken == code)
            problems.append((line_of(entry, "code"), f"{short}: code {code!r} is already {other}'s"))
        else:
            codes[str(short)] = code
        articles = entry["articles"]
        for article, gist in articles.items():
            if not isinstance(article, int) or isinstance(article, bool) or article < 1:
                problems.append((line_of(articles, article), f"{short}: article {article!r} must be a number"))
            elif not isinstance(gist, str) or not gist.strip():
                problems.append((line_of(articles, article), f"{short} Art. {article}: the gist must be text"))
            else:
                lines[(str(short), article)] = gist.strip()
    return Gists(lines, codes), problems


def provisions_param(provisions: Iterable[Provision]) -> str:
    """The cited provisions as one URL-safe value, each law's code with its articles in citation order:
    `ldht30.82-ldzy27` = 劳动合同法 Arts. 30 and 82, 劳动争议调解仲裁法 Art. 27. A provision whose law has no code
    is left out ('' when none has one)."""
    by_code: dict[str, list[int]] = {}
    for provision in provisions:
        if provision.law_code:
            articles = by_code.setdefault(provision.law_code, [])
            if provision.article not in articles:
                articles.append(provision.article)
    return "-".join(code + ".".join(map(str, articles)) for code, articles in by_code.items())


def parse_provisions_param(value: str) -> tuple[tuple[str, int], ...]:
    """The (law code, article) pairs a `provisions_param` value names, in its order, each once ('' names none);
    ValueError names the first part that is not a law code followed by article numbers joined by '.'."""
    pairs: dict[tuple[str, int], None] = {}
    for group in value.split("-") if value else ():
        match = _PARAM_GROUP.fullmatch(group)
        if match is None:
            raise ValueError(f"{group[:20]!r} is not a law code followed by article numbers")
        pairs.update(((match[1], int(article)), None) for article in match[2].split("."))
    return tuple(pairs)


def gist_findings(pack: ContentPack, root: Path, manifest: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """The linter's gist check, as (errors, warnings): in a pack that names its gists, every provision an outcome
    cites has one of at most GIST_MAX_CHARS characters and its law a code (errors); a gist no flow cites is left
    over, and a pack without gists prints full texts (warnings, as for a pack without a glossary). Gists are
    the statute's own meaning after its citation, like the statute words the glossary check skips, so they are
    held to length, not to the glossary. The file's structure is the loader's to check."""
    if not manifest.get("gists"):
        return [], ["pack.yaml names no gists (`gists:`): slips print every cited provision's full text"]
    name = f"{root.name}/{manifest['gists']}"
    data = load_marked(root / str(manifest["gists"]))
    gists, _problems = parse_gists(data)
    errors: list[str] = []
    cited: dict[tuple[str, int], str] = {}
    for flow in pack.flows.values():
        for outcome in flow.outcomes.values():
            for item in outcome.provisions:
                provision: Provision = item.value
                cited.setdefault((provision.short, provision.article), str(item.where))
    for (short, article), where in cited.items():
        if (short, article) not in gists.lines:
            errors.append(f"{where}: {short} Art. {article} has no gist in {name} (one plain line of at most "
                          f"{GIST_MAX_CHARS} characters of what the article says)")
        if short not in gists.codes:
            errors.append(f"{where}: {short} has no code in {name}: the slip's QR link cannot name its provisions")
    for (short, article), gist in gists.lines.items():
        if len(gist) > GIST_MAX_CHARS:
            errors.append(f"{name}:{line_of(data[short]['articles'], article)}: the gist of {short} Art. {article} "
                          f"has {len(gist)} characters (at most {GIST_MAX_CHARS})")
    warnings = [f"{name}:{line_of(data[short]['articles'], article)}: {short} Art. {article} has a gist but no "
                f"flow cites it" for short, article in gists.lines if (short, article) not in cited]
    return errors, warnings
