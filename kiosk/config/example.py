"""Generate `config/kiosk.example.toml` from the schema: every key, its default and its description.

Why: the example a technician copies must never drift from what the code accepts; a test compares the
committed file with a fresh generation.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import tomli_w

from kiosk.config.schema import KioskConfig
from kiosk.config.sections import description, is_section

HEADER = """\
# Kiosk configuration — generated from kiosk/config/schema.py by `kiosk config example`; do not edit by hand.
# Layers, lowest first: packaged defaults < /etc/kiosk/kiosk.toml < /var/lib/kiosk/overrides.toml < KIOSK_* env.
# Every value below is the packaged default. Copy only the keys you change.
"""


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).strip()[len("v = "):]


def _section_lines(title: str, section: Any) -> list[str]:
    lines = [f"[{title}]"]
    doc = (type(section).__doc__ or "").strip()
    if doc:
        lines.insert(0, f"# {doc}")
    nested: list[tuple[str, Any]] = []
    for field in dataclasses.fields(section):
        name, value = field.name, getattr(section, field.name)
        if is_section(value):
            nested.append((f"{title}.{name}", value))
            continue
        if isinstance(value, dict) and value and all(map(is_section, value.values())):
            nested.extend((f"{title}.{name}.{key}", item) for key, item in value.items())
            continue
        if description(field):
            lines.append(f"# {description(field)}")
        lines.append(f"{name} = {_toml_value(value)}")
    out = lines
    for sub_title, sub_model in nested:
        out += [""] + _section_lines(sub_title, sub_model)
    return out


def render_example(config: KioskConfig | None = None) -> str:
    """The example file's text for the packaged defaults."""
    config = config or KioskConfig()
    lines = [HEADER.rstrip(), "", f"schema_version = {config.schema_version}"]
    for field in dataclasses.fields(config):
        name, value = field.name, getattr(config, field.name)
        if is_section(value):
            lines += [""] + _section_lines(name, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                lines += [""] + _section_lines(f"{name}.{key}", item)
    return "\n".join(lines) + "\n"
