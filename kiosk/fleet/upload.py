"""Uploading a command's file (a screenshot, a span of logs) to the URL the server named in the command.

Why: a file outgrows any MQTT message (`protocol.MAX_PAYLOAD_BYTES`), so it travels over HTTP(S) the way content
jobs come down, to a URL minted for that one upload; the command's reply then names its size and sha256, so the
server can tell the object it received is the one the kiosk sent.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request

from kiosk.fleet.content_job import HTTP_TIMEOUT_S
from kiosk.fleet.protocol import Code, Rejected


def put(url: str, body: bytes, content_type: str, max_bytes: int) -> dict[str, int | str]:
    """PUT `body` to `url` (at most HTTP_TIMEOUT_S per socket operation); returns bytes, sha256 and the HTTP status.

    Rejected with 413 when `body` exceeds `max_bytes`, 500 when the receiver cannot be reached or refuses it.
    """
    if len(body) > max_bytes:
        raise Rejected(f"upload of {len(body)} bytes exceeds {max_bytes}", Code.TOO_LARGE)
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": content_type, "Content-Length": str(len(body))})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        raise Rejected(f"upload refused: HTTP {exc.code} {exc.reason}", Code.FAILED) from None
    except (urllib.error.URLError, OSError) as exc:
        raise Rejected(f"upload failed: {getattr(exc, 'reason', exc)}", Code.FAILED) from None
    return {"bytes": len(body), "sha256": hashlib.sha256(body).hexdigest(), "http_status": status}
