"""Coded errors: a stable code for technicians and telemetry, an i18n key for the citizen, and detail.

Why: the same failure must read the same way on the screen, in the maintenance menu, in the log and in the
bureau's fault counters. Codes are `AREA-NNN` and never change meaning once shipped; add new ones at the end.

| code    | meaning                                         |
|---------|-------------------------------------------------|
| CFG-001 | configuration file unreadable or not TOML        |
| CFG-002 | configuration key unknown or value invalid       |
| CFG-003 | configuration schema_version unsupported         |
| DB-001  | database corrupt or unreadable, moved aside      |
| DB-002  | database write failed (disk full, I/O)           |
| DB-003  | database migration failed                        |
| DB-004  | telemetry unwritten, held in memory (disk full)  |
| APP-001 | start-up failed; counted toward safe mode        |
| APP-002 | booted into safe mode after a crash loop         |
| MNT-001 | maintenance PIN wrong                            |
| MNT-002 | maintenance locked out after repeated failures   |
| CLI-001 | bad command-line usage                           |

The other areas keep one catalogue each, beside the code that raises them; a device's own codes are constants in
firmware_bridge (which cannot import this module) that its kiosk catalogue maps to citizen messages:

| area     | catalogue                                     | the device's own codes                      |
|----------|-----------------------------------------------|---------------------------------------------|
| PRN      | kiosk/services/printing.py                    | firmware_bridge/escpos/errors.py            |
| IDR      | kiosk/services/identity.py                    | firmware_bridge/idcard/errors.py, status.py |
| HND      | kiosk/services/staff_call.py                  |                                             |
| SPK      | kiosk/services/speech.py                      |                                             |
| LAA      | kiosk/services/legal_aid_application.py       |                                             |
| CNT      | kiosk/legal/errors.py                       |                                             |
| LAW      | kiosk/legal/law_library.py                  |                                             |
| REL      | kiosk/release/tree.py, kiosk/release/guard.py |                                             |
| FLT      | kiosk/fleet/console/control.py                |                                             |
| PRV      | kiosk/fleet/console/provision.py              |                                             |
| DIA      | kiosk/runtime/diag_bundle.py                      |                                             |

Each code is written once; elsewhere it is named through its `ErrorCode`. tests/unit/core/test_error_catalogue.py
finds every code in the source and checks that it is catalogued once, with a citizen message in zh_CN.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorCode:
    """One entry of the error catalogue: stable code, short English title, citizen message key."""

    code: str
    title: str
    citizen_key: str = "error.generic"


class KioskError(Exception):
    """An error with a stable code, a citizen-message key and technician detail."""

    def __init__(self, error: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{error.code} {error.title}: {detail}" if detail else f"{error.code} {error.title}")
        self.error = error
        self.detail = detail or error.title

    @property
    def code(self) -> str:
        """The stable code, e.g. `CFG-002`."""
        return self.error.code

    @property
    def citizen_key(self) -> str:
        """The i18n key of the calm message shown to a citizen."""
        return self.error.citizen_key


CONFIG_UNREADABLE = ErrorCode("CFG-001", "configuration file unreadable", "error.config")
CONFIG_INVALID = ErrorCode("CFG-002", "configuration invalid", "error.config")
CONFIG_VERSION = ErrorCode("CFG-003", "configuration schema_version unsupported", "error.config")
DB_CORRUPT = ErrorCode("DB-001", "database corrupt or unreadable, moved aside", "error.storage")
DB_WRITE_FAILED = ErrorCode("DB-002", "database write failed", "error.storage")
DB_MIGRATION_FAILED = ErrorCode("DB-003", "database migration failed", "error.storage")
OUTBOX_NOT_WRITTEN = ErrorCode("DB-004", "telemetry not written (disk full or I/O error): held in memory until a "
                               "write succeeds, lost if the kiosk stops first", "error.storage")
STARTUP_FAILED = ErrorCode("APP-001", "start-up failed", "error.generic")
SAFE_MODE = ErrorCode("APP-002", "booted into safe mode after repeated failed starts", "error.generic")
PIN_WRONG = ErrorCode("MNT-001", "maintenance PIN wrong", "maintenance.pin_wrong")
PIN_LOCKED = ErrorCode("MNT-002", "maintenance locked after repeated failures", "maintenance.pin_locked")
BAD_USAGE = ErrorCode("CLI-001", "bad usage", "error.generic")
