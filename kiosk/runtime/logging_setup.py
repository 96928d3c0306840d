"""Structured logging to stderr (journald on the kiosk), every line tagged with the boot id.

Why: a technician reading `journalctl -u kiosk` must be able to tell one boot from the next and grep by field;
the bureau's log upload must never carry personal data, so messages log codes and ids, never citizen input.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import deque

_TEXT_FORMAT = "%(asctime)s level=%(levelname)s boot=%(boot_id).8s logger=%(name)s msg=%(message)s"


class BootIdFilter(logging.Filter):
    """Stamps every record with the boot id."""

    def __init__(self, boot_id: str) -> None:
        super().__init__()
        self.boot_id = boot_id

    def filter(self, record: logging.LogRecord) -> bool:
        record.boot_id = self.boot_id
        return True


class NoCutBufferAlarm(logging.Filter):
    """Drops Kivy's CRITICAL "Cutbuffer: Unable to find any valuable Cutbuffer provider" (with its tracebacks).

    Why: every TextInput on Linux makes Kivy look for xclip or xsel, for an X selection buffer a kiosk never uses
    (no citizen pastes); without them it logs a critical alarm on each start, which would head the technician's
    list of problems on the maintenance menu while nothing is wrong.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Cutbuffer: Unable to find")


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
    _install(handler)
    logging.getLogger().setLevel(level)
    kivy_logger = logging.getLogger("kivy")
    if not any(isinstance(f, NoCutBufferAlarm) for f in kivy_logger.filters):
        kivy_logger.addFilter(NoCutBufferAlarm())
    return handler


def _install(handler: logging.Handler) -> None:
    """Add `handler` to the root logger in place of an earlier one of the same name (a second call replaces)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == handler.get_name()]:
        root.removeHandler(old)
    root.addHandler(handler)


class RecentProblems(logging.Handler):
    """The last warnings and errors in memory, for the maintenance menu: a technician at the kiosk sees what went
    wrong without a laptop (logs carry codes and ids only, never citizen data)."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__(logging.WARNING)
        self._lines: deque[str] = deque(maxlen=capacity)
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%m-%d %H:%M:%S")
        self.setFormatter(formatter)
        self.set_name("kiosk-recent")

    def emit(self, record: logging.LogRecord) -> None:
        message = self.format(record).splitlines()
        self._lines.append(message[0] if message else "")

    def lines(self, count: int) -> list[str]:
        """The newest `count` lines, oldest first (the first line of each record; tracebacks stay in the journal)."""
        return list(self._lines)[-count:]


def keep_recent_problems(capacity: int = 200) -> RecentProblems:
    """Install a RecentProblems handler on the root logger (replacing ours from an earlier call); returns it."""
    handler = RecentProblems(capacity)
    _install(handler)
    return handler
