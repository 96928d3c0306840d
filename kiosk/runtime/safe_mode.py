"""Safe mode on demand: a technician (the maintenance menu) or the bureau (the fleet's `safe_mode` command) restarts
the kiosk in safe mode, and takes it out again.

Why a file: the choice must outlive the restart it asks for and every restart after it (a power cut, the watchdog)
until someone leaves safe mode, and it is read before anything else is built (kiosk.runtime.runner), so a plain file
in the data directory like the crash-loop counter (kiosk.runtime.lifecycle), never the database, which may be what
fails. In safe mode the devices stay off, the fleet link and the maintenance menu run, and citizens see a calm
暂停服务 page saying where else to get help (kiosk/ui/maintenance/paused.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.events import RestartRequested
from kiosk.release.durable import write_atomic

if TYPE_CHECKING:
    from kiosk.runtime.bootstrap import Kiosk

logger = logging.getLogger(__name__)

REQUEST_FILE = "safe_mode_requested"
WHO = ("technician", "fleet")


def requested(data_dir: Path) -> dict | None:
    """Who asked for safe mode and when ({"by", "at"}), or None when nobody did (a crash loop may still trip it)."""
    try:
        request = json.loads((Path(data_dir) / REQUEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"by": "unknown", "at": ""}  # a torn or unreadable request still asks for safe mode
    return request if isinstance(request, dict) else {"by": "unknown", "at": ""}


def enter(kiosk: Kiosk, by: str) -> bool:
    """Ask for safe mode and restart into it; False (nothing done) when the kiosk already runs in it by request."""
    data_dir = Path(kiosk.config.paths.data_dir)
    if by not in WHO:
        raise ValueError(f"safe mode asked by {by!r}, not one of {WHO}")
    if kiosk.safe_mode and requested(data_dir) is not None:
        return False
    at = kiosk.clock.now().isoformat(timespec="seconds")
    data_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(data_dir / REQUEST_FILE, json.dumps({"by": by, "at": at}).encode())
    logger.warning("safe mode asked by the %s: restarting into it", by)
    kiosk.bus.publish(RestartRequested(by))
    return True


def leave(kiosk: Kiosk, by: str) -> bool:
    """Withdraw the request and restart out of safe mode; False when the kiosk is not in safe mode (a request
    that did not take effect yet is withdrawn all the same)."""
    (Path(kiosk.config.paths.data_dir) / REQUEST_FILE).unlink(missing_ok=True)
    if not kiosk.safe_mode:
        return False
    logger.warning("safe mode left by the %s: restarting", by)
    kiosk.bus.publish(RestartRequested(by))
    return True
