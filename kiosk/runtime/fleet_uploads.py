"""The fleet commands that hand the server a file: `screenshot` (a PNG of the panel with personal fields hidden)
and `upload_logs` (the kiosk's journal of a time range).

Why here: they join a UI part, the journal and the HTTP upload, which only the composition root may wire. Both
run on the agent's command thread; the file goes to the command's `url` by HTTP PUT (kiosk.fleet.upload) and the
final reply names its size and sha256 with what it holds, never personal data.
"""

from __future__ import annotations

import gzip
import logging
from typing import Any

from kiosk.runtime.journal import MAX_LOG_BYTES, read_journal
from kiosk.fleet import upload
from kiosk.fleet.protocol import Code, Rejected, UploadArgs, UploadLogsArgs

logger = logging.getLogger(__name__)

SCREENSHOT_MAX_BYTES = 8 << 20
"""Largest PNG uploaded, in bytes (a 1080x1920 frame is 6.2 MB raw; its PNG far less)."""


def screenshot(args: UploadArgs) -> dict[str, Any]:
    """Take the screenshot (503 when this kiosk shows no screen) and PUT it as image/png."""
    from kiosk.ui.screen_capture import NoScreen, take_screenshot

    try:
        shot = take_screenshot()
    except (NoScreen, TimeoutError) as exc:
        raise Rejected(str(exc), Code.UNAVAILABLE) from None
    sent = upload.put(args.url, shot.png, "image/png", SCREENSHOT_MAX_BYTES)
    logger.info("screenshot of %s uploaded for the fleet (%d bytes, %d personal widgets hidden)", shot.screen,
                len(shot.png), shot.hidden)
    return {**sent, "width": shot.width, "height": shot.height, "screen": shot.screen, "hidden": shot.hidden}


def upload_logs(args: UploadLogsArgs) -> dict[str, Any]:
    """PUT the range's journal entries as gzip-compressed JSON lines (application/gzip), oldest first."""
    span = read_journal(args.since_ms, args.until_ms)
    body = gzip.compress(span.jsonl(), mtime=0)
    sent = upload.put(args.url, body, "application/gzip", MAX_LOG_BYTES)
    logger.info("logs uploaded for the fleet (%d entries, %d bytes, truncated=%s)", len(span.lines), len(body),
                span.truncated)
    result = {**sent, "entries": len(span.lines), "truncated": span.truncated}
    return {**result, "warning": span.warning} if span.warning else result
