"""The settings a technician may change on the panel, generated from the schema, and the one way they are written.

Why: a technician on site tunes what the bureau could also set remotely (the schema's `remote` settings), by touch
and without a keyboard: switches, numbers stepped within their bounds, and choices. A change goes to the overrides
layer (kiosk.config.overrides) and is then read back by the real loader; a file the loader refuses is put back as
it was, so a terminal never stops starting because of a tap. No Kivy here.
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.config.loader import LoadedConfig, flatten, load
from kiosk.config.overrides import write_overrides
from kiosk.config.schema import KioskConfig
from kiosk.config.sections import as_dict
from kiosk.core.errors import KioskError
from kiosk.release.durable import write_atomic


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as the page shows it: "switch", "number" (stepped by `step` within `bounds`) or "choice"."""

    key: str
    kind: str
    value: Any
    choices: tuple[str, ...] = ()
    step: float = 1
    bounds: tuple[float | None, float | None] = (None, None)
    """(lowest, highest) allowed, inclusive (a strict bound is moved in by one step)."""


def editable(config: KioskConfig) -> list[Setting]:
    """Every remotely settable switch, number and choice, in schema order, with its value now."""
    values = flatten(as_dict(config))
    found: list[Setting] = []

    def walk(cls: type, prefix: str) -> None:
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            kind, key = hints[field.name], f"{prefix}{field.name}"
            if dataclasses.is_dataclass(kind):
                walk(kind, f"{key}.")
            elif field.metadata.get("remote") and key in values:
                setting = _setting(key, kind, values[key], field.metadata.get("bounds", {}))
                if setting is not None:
                    found.append(setting)

    walk(KioskConfig, "")
    return found


def _setting(key: str, kind: Any, value: Any, bounds: dict[str, float]) -> Setting | None:
    if kind is bool:
        return Setting(key, "switch", value)
    if typing.get_origin(kind) is Literal:
        return Setting(key, "choice", value, choices=tuple(typing.get_args(kind)))
    if kind in (int, float):
        step = 1 if kind is int else (5.0 if value >= 10 else 0.5 if value >= 1 else 0.1)
        low = bounds.get("ge", bounds["gt"] + step if "gt" in bounds else None)
        high = bounds.get("le", bounds["lt"] - step if "lt" in bounds else None)
        return Setting(key, "number", value, step=step, bounds=(low, high))
    return None  # text (names, addresses): typed in kiosk.toml, not on the panel


def changed(setting: Setting, direction: int) -> Any:
    """The value one tap gives: a number stepped up (+1) or down (-1) within its bounds, a switch flipped, the next
    choice."""
    if setting.kind == "switch":
        return not setting.value
    if setting.kind == "choice":
        return setting.choices[(setting.choices.index(setting.value) + direction) % len(setting.choices)]
    value = round(setting.value + direction * setting.step, 6)
    low, high = setting.bounds
    value = max(value, low) if low is not None else value
    value = min(value, high) if high is not None else value
    return int(value) if isinstance(setting.value, int) else float(value)


def save(loaded: LoadedConfig, key: str, value: Any) -> LoadedConfig:
    """Write `key` = `value` to the overrides file and load every layer again; a refused file is put back as it was
    and the loader's KioskError raised."""
    path = Path(loaded.overrides_file)
    before = path.read_bytes() if path.exists() else None
    nested: dict[str, Any] = {}
    *sections, leaf = key.split(".")
    target = nested
    for section in sections:
        target = target.setdefault(section, {})
    target[leaf] = value
    write_overrides(path, nested)
    try:
        return load()
    except KioskError:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, before)
        raise
