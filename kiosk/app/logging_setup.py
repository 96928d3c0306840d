"""Structured logging to stderr (journald on the kiosk), every line tagged with the boot id.

Why: a technician reading `journalctl -u kiosk` must be able to tell one boot from the next and grep by field;
the bureau's log upload must never carry personal data, so messages log codes and ids, never citizen input.
"""

from __future__ import annotations

import json
import logging
import sys
import time

_TEXT_FORMAT = "%(asctime)s level=%(levelname)s boot=%(boot_id).8s logger=%(name)s msg=%(message)s"


class BootIdFilter(logging.Filter):
    """Stamps every record with the boot id."""

    def __init__(self, boot_id: str) -> None:
        super().__init__()
        self.boot_id = boot_id

    def filter(self, record: logging.LogRecord) -> bool:
        record.boot_id = self.boot_id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, boot, logger, msg (and exc when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": round(record.created, 3),
            "level": record.levelname,
            "boot": getattr(record, "boot_id", ""),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str, boot_id: str, stream=None) -> logging.Handler:
    """Install one stderr handler on the root logger (replacing ours from an earlier call); returns it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(BootIdFilter(boot_id))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        formatter = logging.Formatter(_TEXT_FORMAT)
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.set_name("kiosk")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "kiosk"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler
