"""The verification code of an opinion: a keyed MAC over its content, short enough to read over the phone.

Why: a printed slip travels to a labour arbitration window or a court; staff must be able to tell a slip this
kiosk printed from an edited or forged one. The code is HMAC-SHA256 with the kiosk's own key over a canonical
serialisation of every field except the code and the verify URL, truncated to 50 bits and written as ten
characters of an alphabet without look-alikes (0/O, 1/I), e.g. `7KQ2M-XH4RA`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from datetime import date, datetime
from enum import Enum
from typing import Any
from urllib.parse import urlencode

from kiosk.legal.document import (Deadline, Fact, LegalAidResult, LegalAidVerdict, OpinionDocument, Provision,
                                    WayForward, WayKind)
from kiosk.legal.gists import provisions_param

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 10
"""Characters in a code: 10 × 5 bits = 50 bits of the MAC."""
_EXCLUDED = ("verification_code", "verify_url")


def canonical_bytes(document: OpinionDocument) -> bytes:
    """The document's content as UTF-8 JSON with sorted keys; the code and verify URL are left out."""
    content = {k: v for k, v in to_plain(document).items() if k not in _EXCLUDED}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def to_plain(document: OpinionDocument) -> dict[str, Any]:
    """The whole document as JSON-ready data (enums as values, dates as ISO text)."""
    return _plain(document)


def from_plain(data: dict[str, Any]) -> OpinionDocument:
    """Rebuild a document from `to_plain` output (e.g. a saved `--json` rendering)."""
    return OpinionDocument(
        **{**data,
           "issued_at": datetime.fromisoformat(data["issued_at"]),
           "facts": tuple(Fact(**f) for f in data["facts"]),
           "provisions": tuple(Provision(**{**p, "version_date": date.fromisoformat(p["version_date"])
                                            if p["version_date"] else None}) for p in data["provisions"]),
           "analysis": tuple(data["analysis"]), "risks": tuple(data["risks"]),
           "ways_forward": tuple(WayForward(WayKind(w["kind"]), w["body"], w["note"]) for w in data["ways_forward"]),
           "deadlines": tuple(Deadline(d["label"], date.fromisoformat(d["due"]), d["basis"], d.get("note", ""),
                                       d.get("own", True))
                              for d in data["deadlines"]),
           "materials": tuple(data["materials"]), "where_to_go": tuple(data["where_to_go"]),
           "legal_aid": LegalAidResult(LegalAidVerdict(data["legal_aid"]["verdict"]), data["legal_aid"]["reason"],
                                       data["legal_aid"]["special_group"]),
           "extra_sections": tuple((h, tuple(ps)) for h, ps in data.get("extra_sections", ()))})


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def compute_code(document: OpinionDocument, key: bytes) -> str:
    """The verification code of `document` under `key`, grouped as XXXXX-XXXXX."""
    if len(key) < 16:
        raise ValueError("verification key must be at least 16 bytes")
    digest = hmac.new(key, canonical_bytes(document), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:8], "big") >> (64 - 5 * CODE_LENGTH)
    chars = [CODE_ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH))]
    half = CODE_LENGTH // 2
    return "".join(chars[:half]) + "-" + "".join(chars[half:])


def normalise_code(code: str) -> str:
    """Accept what a person types: lower case, spaces, a missing dash."""
    raw = code.upper().replace("-", "").replace(" ", "")
    return raw[:CODE_LENGTH // 2] + "-" + raw[CODE_LENGTH // 2:] if len(raw) == CODE_LENGTH else raw


def verify(document: OpinionDocument, code: str, key: bytes) -> bool:
    """True when `code` is the code of exactly this content under `key` (constant-time compare)."""
    return hmac.compare_digest(compute_code(document, key), normalise_code(code))


def sign(document: OpinionDocument, key: bytes, verify_url_base: str) -> OpinionDocument:
    """A copy of `document` carrying its code and the URL a phone opens from the QR: the number and code to check
    the slip, and the cited provisions (`p`, kiosk.legal.gists.provisions_param) whose full texts the page shows
    from the bureau's copy of the content pack, since the slip prints each only in short."""
    code = compute_code(document, key)
    query = {"n": document.number, "c": code, "p": provisions_param(document.provisions)}
    url = f"{verify_url_base}?{urlencode({k: v for k, v in query.items() if v})}" if verify_url_base else ""
    return dataclasses.replace(document, verification_code=code, verify_url=url)
