"""Configuration file migrations: one function per schema_version step.

Why: kiosks in the field keep their `/etc/kiosk/kiosk.toml` across upgrades; when the schema changes, the old
file is rewritten forward one numbered step at a time instead of being rejected. Each step's docstring says
what changed. Version 1 is the first schema, so the chain is empty; the machinery is exercised by tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.config.schema import SCHEMA_VERSION
from kiosk.core.errors import CONFIG_VERSION, KioskError

RawConfig = dict[str, Any]

STEPS: dict[int, Callable[[RawConfig], RawConfig]] = {}
"""`STEPS[n]` turns a version-n document into a version-(n+1) document."""


def migrate(raw: RawConfig, source: str, steps: dict[int, Callable[[RawConfig], RawConfig]] | None = None,
            target: int = SCHEMA_VERSION) -> RawConfig:
    """Bring a raw layer up to `target`; a layer without schema_version is taken as current."""
    steps = STEPS if steps is None else steps
    version = raw.get("schema_version", target)
    if not isinstance(version, int) or version < 1 or version > target:
        raise KioskError(CONFIG_VERSION, f"{source}: schema_version {version!r} (this kiosk reads up to {target})")
    while version < target:
        step = steps.get(version)
        if step is None:
            raise KioskError(CONFIG_VERSION, f"{source}: no migration from schema_version {version}")
        raw = step(dict(raw))
        version += 1
        raw["schema_version"] = version
    return raw
