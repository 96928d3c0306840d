"""Desired configuration from the fleet: one full document per version, kept as its own layer, taken whole or not.

Why: the server sends one full, versioned document (§3.5). It is the `fleet` layer of the configuration
(kiosk.config.loader: above the system file, below the technician's overrides), replaced whole on each version, so
a key that version N set and N+1 leaves out falls back to the file or the default, and a technician's override
stays the technician's. The bureau may change only what the schema marks `remote=True` (timeouts, texts,
thresholds, the printer profile …): who the kiosk is, where its files and keys live and how it reaches the broker
are refused by default, so a new setting is never remotely writable by accident.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from kiosk.config.loader import LoadedConfig, load
from kiosk.config.schema import SCHEMA_VERSION, KioskConfig
from kiosk.config.sections import ConfigInvalid, not_remote
from kiosk.core.errors import KioskError


class DesiredRejected(ValueError):
    """The document is refused; `errors` lists each problem as `dotted.key: message`."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def preview(document: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> LoadedConfig:
    """The configuration `document` would give as the fleet layer, validated whole; DesiredRejected naming every
    key the bureau may not set and every invalid value."""
    document = {key: value for key, value in document.items() if key != "schema_version"}
    errors = [f"{key}: may not be set remotely" for key in not_remote(KioskConfig, document)]
    try:
        loaded = load(environ, desired=document)
    except KioskError as exc:
        cause = exc.__cause__
        problems = cause.problems if isinstance(cause, ConfigInvalid) else [("config", str(exc))]
        errors += [f"{key}: {message}" for key, message in problems]
    if errors:
        raise DesiredRejected(errors)
    return loaded


def write_desired(path: Path, document: Mapping[str, Any]) -> None:
    """Replace the desired document on disk whole and atomically (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as stream:
        tomli_w.dump({"schema_version": SCHEMA_VERSION, **document}, stream)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(tmp, path)
