"""Desired configuration from the fleet: an overlay on the kiosk's own file, validated whole before it counts.

Why: the server sends one full, versioned overlay (§3.5); the kiosk must either take all of it or none of it,
and some keys must never be changed remotely: who the kiosk is, where its files live, and how it reaches the
broker (a wrong host pushed from the centre would cut the kiosk off for good).
"""

from __future__ import annotations

from typing import Any

from kiosk.config.loader import deep_merge, parse_config
from kiosk.config.schema import KioskConfig
from kiosk.config.sections import ConfigInvalid, as_dict

LOCKED = (("kiosk", "id"), ("kiosk", "region"), ("paths",), ("storage",),
          ("fleet", "enabled"), ("fleet", "host"), ("fleet", "port"), ("fleet", "tls"), ("fleet", "ca_file"),
          ("fleet", "cert_file"), ("fleet", "key_file"), ("fleet", "username"), ("fleet", "password_file"),
          ("fleet", "content_dir"), ("fleet", "content_key_file"))
"""Key paths a desired overlay may not touch."""


class DesiredRejected(ValueError):
    """The overlay is refused; `errors` lists each problem as `dotted.key: message`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _touches(overlay: dict[str, Any], path: tuple[str, ...]) -> bool:
    node: Any = overlay
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def apply_overlay(base: KioskConfig, overlay: dict[str, Any]) -> KioskConfig:
    """The configuration `base` with `overlay` merged in, validated whole; DesiredRejected with every error."""
    locked = [".".join(path) + ": may not be set remotely" for path in LOCKED if _touches(overlay, path)]
    if locked:
        raise DesiredRejected(locked)
    try:
        return parse_config(deep_merge(as_dict(base), overlay))
    except ConfigInvalid as exc:
        raise DesiredRejected([f"{key}: {message}" for key, message in exc.problems]) from None
