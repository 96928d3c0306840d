"""Writing `/var/lib/kiosk/overrides.toml`: the layer technicians and the fleet change at run time.

Why: a change applied over MQTT or from the maintenance menu must survive a reboot without the network, and
must be written so a power cut never leaves half a file (the loader would then refuse to start). Only the keys
that changed are written, merged over what the file already holds.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.config.loader import deep_merge
from kiosk.config.schema import SCHEMA_VERSION, KioskConfig
from kiosk.config.sections import as_dict


def changed_values(old: KioskConfig, new: KioskConfig) -> dict[str, Any]:
    """The nested mapping of every leaf whose value differs between `old` and `new` (tables as a whole)."""

    def diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in b.items():
            before = a.get(key)
            if isinstance(value, dict) and isinstance(before, dict) and key != "printer_profiles":
                nested = diff(before, value)
                if nested:
                    out[key] = nested
            elif value != before:
                out[key] = value
        return out

    return diff(as_dict(old), as_dict(new))


def write_overrides(path: Path, changes: dict[str, Any]) -> None:
    """Merge `changes` into the overrides file atomically (temp file, fsync, rename)."""
    try:
        current = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        current = {}
    merged = deep_merge(current, changes)
    merged.setdefault("schema_version", SCHEMA_VERSION)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as stream:
        tomli_w.dump(merged, stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, path)
