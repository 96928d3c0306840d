"""Stable `PRN-0xx` codes of the printer's faults, each defined here once; the kiosk maps them to its catalogue.

Status conditions from DLE EOT replies are PRN-001..PRN-030 (`status.py`); faults of a job in progress are
PRN-040..PRN-042 (`driver.py`).
"""

from __future__ import annotations

OFFLINE = "PRN-001"
"""No reply to a status query, or no port."""
INVALID_REPLY = "PRN-002"
"""A reply arrived but is not a status byte (line noise, wrong baud rate, another device on the port)."""
COVER_OPEN = "PRN-010"
"""The cover is open."""
PAPER_OUT = "PRN-020"
"""The paper has run out."""
PAPER_NEAR_END = "PRN-021"
"""The paper-near-end sensor is on (ready, but a technician should act soon)."""
PRINTER_ERROR = "PRN-030"
"""Offline for another cause: cutter, head or an error the printer does not name."""
LINK_LOST = "PRN-040"
"""The link failed mid-job (cable pulled, adapter gone, or the printer fell silent)."""
STALLED = "PRN-041"
"""A write did not complete within the write timeout and status names no cause."""
NOT_READY = "PRN-042"
"""A job was refused because the printer was not ready before it started."""
