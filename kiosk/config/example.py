"""Generate `config/kiosk.example.toml` from the schema: every key, its default and its description.

Why: the example a technician copies must never drift from what the code accepts; a test compares the
committed file with a fresh generation.
"""

from __future__ import annotations

from typing import Any

import tomli_w
from pydantic import BaseModel

from kiosk.config.schema import KioskConfig

HEADER = """\
# Kiosk configuration — generated from kiosk/config/schema.py by `kiosk config example`; do not edit by hand.
# Layers, lowest first: packaged defaults < /etc/kiosk/kiosk.toml < /var/lib/kiosk/overrides.toml < KIOSK_* env.
# Every value below is the packaged default. Copy only the keys you change.
"""


def _toml_value(value: Any) -> str:
    return tomli_w.dumps({"v": value}).strip()[len("v = "):]


def _section_lines(title: str, model: BaseModel) -> list[str]:
    lines = [f"[{title}]"]
    doc = (type(model).__doc__ or "").strip()
    if doc:
        lines.insert(0, f"# {doc}")
    nested: list[tuple[str, BaseModel]] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            nested.append((f"{title}.{name}", value))
            continue
        if isinstance(value, dict) and value and all(isinstance(v, BaseModel) for v in value.values()):
            nested.extend((f"{title}.{name}.{key}", item) for key, item in value.items())
            continue
        if info.description:
            lines.append(f"# {info.description}")
        lines.append(f"{name} = {_toml_value(value)}")
    out = lines
    for sub_title, sub_model in nested:
        out += [""] + _section_lines(sub_title, sub_model)
    return out


def render_example(config: KioskConfig | None = None) -> str:
    """The example file's text for the packaged defaults."""
    config = config or KioskConfig()
    lines = [HEADER.rstrip(), "", f"schema_version = {config.schema_version}"]
    for name, info in KioskConfig.model_fields.items():
        value = getattr(config, name)
        if isinstance(value, BaseModel):
            lines += [""] + _section_lines(name, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                lines += [""] + _section_lines(f"{name}.{key}", item)
    return "\n".join(lines) + "\n"
