"""The public page behind a slip's QR code (`/v?n=…&c=…&p=…`): the number and code to quote, and the full text of
every provision the slip prints only in short.

Why: a pocket slip carries each cited article as one plain line (kiosk.legal.gists); a citizen's phone or a clerk
at the arbitration window scans its QR code (kiosk.legal.verification.sign) or an article slip's
(kiosk.legal.article_link, `p` alone) and must read the articles themselves, without a login, from the law
library of the console's content pack. The page cannot tell a genuine slip from an altered one: the code is a MAC
over the slip's whole content under the issuing kiosk's key, and telemetry carries no slip numbers or codes
(kiosk.fleet.catalogue), so only the issuing centre, with the slip in hand, can check it; the page says so. The
query is whatever URL a phone opened: each parameter is checked and capped, only well-formed values are shown
back (a crafted link cannot put its own words on the bureau's page), and a client asking too often is slowed down.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from kiosk.legal.gists import parse_provisions_param
from kiosk.legal.law_library import LIBRARY_UNAVAILABLE, Article, Law, LawLibrary
from kiosk.legal.verification import CODE_ALPHABET, CODE_LENGTH, normalise_code
from kiosk.core.clock import Clock
from kiosk.core.errors import KioskError

VERIFY_PATHS = ("/v", "/v/")
"""Where the page is served: `[legal_aid] verify_url` is this console's address with `/v` (with or without the
slash), e.g. https://console.example/v."""
P_MAX_CHARS = 300
"""Longest `p` read: the longest of the shipped examples has 47 characters (traffic_accident), and a slip's QR code
holds a few hundred at most. (`n` and `c` need no cap: only their printed forms, of bounded length, are read.)"""
MAX_PROVISIONS = 30
"""Provisions shown for one link (a slip cites at most about ten)."""
PAGES_PER_MIN = 60
"""Pages one client address may open each minute: an office behind one address checks a few slips a minute."""
MAX_CLIENTS = 10_000
"""Addresses counted in one minute; beyond them new addresses are served uncounted (memory stays bounded)."""
_NUMBER = re.compile(r"(?P<kiosk>[A-Za-z0-9_-]{1,32})-(?P<date>[0-9]{8})-(?P<sequence>[0-9]{4})")
"""An opinion number (kiosk.legal.opinion.opinion_number): the kiosk id, the day of issue, the day's sequence."""
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH // 2}}}-[{CODE_ALPHABET}]{{{CODE_LENGTH // 2}}}")


@dataclass(frozen=True, slots=True)
class SlipReference:
    """The number and code a slip's QR code carries, and what the number says: which kiosk, which day, which slip."""

    number: str
    code: str
    kiosk_id: str
    issued: date
    sequence: int


def slip_reference(number: str, code: str) -> SlipReference | None:
    """The slip named by `n` and `c` (None when the link names none: an article's QR code); ValueError when either
    is missing or not the form a kiosk prints."""
    if not number and not code:
        return None
    found = _NUMBER.fullmatch(number)
    code = normalise_code(code)
    if found is None or not _CODE.fullmatch(code) or not 1 <= int(found["sequence"]):
        raise ValueError("not an opinion number and verification code")
    day = found["date"]
    issued = date(int(day[:4]), int(day[4:6]), int(day[6:]))   # ValueError for a day that does not exist
    return SlipReference(number, code, found["kiosk"], issued, int(found["sequence"]))


def named_provisions(value: str) -> tuple[tuple[tuple[str, int], ...], str]:
    """The (law code, article) pairs `p` names and '', or none and why: `long` (over P_MAX_CHARS characters or
    MAX_PROVISIONS provisions) or `malformed` (not what kiosk.legal.gists.provisions_param writes)."""
    if len(value) > P_MAX_CHARS:
        return (), "long"
    try:
        pairs = parse_provisions_param(value)
    except ValueError:
        return (), "malformed"
    return ((), "long") if len(pairs) > MAX_PROVISIONS else (pairs, "")


@dataclass(frozen=True, slots=True)
class CitedText:
    """One provision a link names: its law and article from the library, with the gist the slip printed; when it
    cannot be shown, `missing` says why (`law`: no law has that code, `article`: the law has no such article,
    `excerpt`: the library carries only some articles of that regulation)."""

    code: str
    number: int
    law: Law | None = None
    article: Article | None = None
    gist: str = ""
    missing: str = ""


class ProvisionTexts:
    """The law behind each code (from the content pack's gists) and its articles (the pack's law library), read on
    first use and kept: the pack is the console's own, replaced only with the software."""

    def __init__(self, pack_root: Path) -> None:
        self._root = pack_root
        self._library = LawLibrary(lambda: pack_root)
        self._lock = threading.Lock()
        self._loaded: tuple[str, dict[str, str], dict[tuple[str, int], str]] | None = None

    def _pack(self) -> tuple[str, dict[str, str], dict[tuple[str, int], str]]:
        """(pack version, law name by code, gist by (code, article)); KioskError LAW-001 when the pack is unreadable."""
        from kiosk.legal.loader import ContentError, load_pack

        with self._lock:
            if self._loaded is None:
                try:
                    pack = load_pack(self._root)
                except ContentError as exc:
                    raise KioskError(LIBRARY_UNAVAILABLE, f"{self._root}: {exc}") from exc
                coded = [p for p in pack.provisions.values() if p.law_code]
                self._loaded = (pack.version, {p.law_code: p.law for p in coded},
                                {(p.law_code, p.article): p.gist for p in coded})
            return self._loaded

    @property
    def version(self) -> str:
        """The content pack's version, named under the texts."""
        return self._pack()[0]

    def look_up(self, pairs: tuple[tuple[str, int], ...]) -> list[CitedText]:
        """Each (law code, article) as the page shows it, in the link's order; KioskError LAW-001."""
        _version, names, gists = self._pack()
        shown = []
        for code, number in pairs:
            law = self._library.find_law(names[code]) if code in names else None
            article = self._library.article(law, number) if law is not None else None
            missing = "" if article else "law" if law is None else "excerpt" if law.excerpt else "article"
            shown.append(CitedText(code, number, law, article, gists.get((code, number), ""), missing))
        return shown


class RateLimit:
    """At most `per_minute` pages per client address in each minute of the monotonic clock; called on the event
    loop only."""

    def __init__(self, clock: Clock, per_minute: int = PAGES_PER_MIN) -> None:
        self._clock = clock
        self._per_minute = per_minute
        self._minute = -1
        self._counts: dict[str, int] = {}

    def allow(self, address: str) -> bool:
        """Count one page for `address`; False once it has had its pages this minute."""
        minute = int(self._clock.monotonic() // 60)
        if minute != self._minute:
            self._minute, self._counts = minute, {}
        if address not in self._counts and len(self._counts) >= MAX_CLIENTS:
            return True
        self._counts[address] = self._counts.get(address, 0) + 1
        return self._counts[address] <= self._per_minute


def routes(templates: Jinja2Templates, clock: Clock, texts: ProvisionTexts) -> list[Route]:
    """The page at VERIFY_PATHS, public (no session): the slip's number and code, the cited provisions' texts."""
    limit = RateLimit(clock)

    def page(request: Request, status_code: int, **context) -> Response:
        response = templates.TemplateResponse(request, "verify.html", {"problem": "", "slip": None, "slip_bad": False,
                                                                       "cited": [], "provisions_bad": "",
                                                                       "version": "", **context},
                                              status_code=status_code)
        response.headers.update({"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                                 "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"})
        return response

    async def verify(request: Request) -> Response:
        if not limit.allow(request.client.host if request.client else ""):
            return page(request, 429, problem="busy")
        query = request.query_params
        number, code, cited_param = query.get("n", ""), query.get("c", ""), query.get("p", "")
        if not (number or code or cited_param):
            return page(request, 400, problem="empty")
        try:
            slip, slip_bad = slip_reference(number, code), False
        except ValueError:
            slip, slip_bad = None, True
        pairs, provisions_bad = named_provisions(cited_param)
        cited: list[CitedText] = []
        version = ""
        try:   # off the event loop: the first look-up loads the pack (a third of a second), each one reads SQLite
            if pairs:
                cited, version = await run_in_threadpool(lambda: (texts.look_up(pairs), texts.version))
        except KioskError:
            return page(request, 503, problem="library", slip=slip, slip_bad=slip_bad)
        found = any(not item.missing for item in cited)
        status = 400 if slip_bad or provisions_bad else 200 if slip or found else 404
        return page(request, status, slip=slip, slip_bad=slip_bad, cited=cited, provisions_bad=provisions_bad,
                    version=version)

    return [Route(path, verify) for path in VERIFY_PATHS]
