"""Layered configuration: packaged defaults < /etc/kiosk/kiosk.toml < /var/lib/kiosk/desired.toml (the fleet's
desired document) < /var/lib/kiosk/overrides.toml (the technician's) < KIOSK_* env.

Why: the installer provisions the system file, the bureau's server sends one full desired document per version
(replaced whole, so a key the next version leaves out falls back to the file or the default), technicians write
overrides on site that outrank the server, and development sets environment variables. Each value must be
traceable to where it came from (`kiosk config show` names `fleet` for the desired document), and a bad file
must stop the start with the file and key named rather than run on a half-read configuration.

Environment variables: `KIOSK_<SECTION>__<KEY>=value` (double underscore between levels), values read as TOML
literals when they parse (`true`, `3.5`, `"x"`) and as plain strings otherwise. `KIOSK_CONFIG_FILE` and
`KIOSK_OVERRIDES_FILE` move the two files (development, tests); the desired document lives beside the overrides
file unless `KIOSK_DESIRED_FILE` moves it.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.config.migrations import migrate
from kiosk.config.schema import KioskConfig
from kiosk.config.sections import ConfigInvalid, as_dict, parse
from kiosk.core.errors import CONFIG_INVALID, CONFIG_UNREADABLE, KioskError

SYSTEM_FILE = Path("/etc/kiosk/kiosk.toml")
OVERRIDES_FILE = Path("/var/lib/kiosk/overrides.toml")
ENV_PREFIX = "KIOSK_"
_PATH_VARIABLES = {"KIOSK_CONFIG_FILE", "KIOSK_OVERRIDES_FILE", "KIOSK_DESIRED_FILE", "KIOSK_DEV"}
DESIRED_FILE_NAME = "desired.toml"

DEFAULTS_SOURCE = "default"
FLEET_SOURCE = "fleet"
"""The origin `kiosk config show` names for a value of the fleet's desired document."""


@dataclass(frozen=True, slots=True)
class Layer:
    """One source of settings: its name (a path or `env`) and its nested values."""

    source: str
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LoadedConfig:
    """The effective configuration and, for every dotted key, the layer its value came from."""

    config: KioskConfig
    origins: dict[str, str] = field(default_factory=dict)
    files: tuple[Path, Path] = (SYSTEM_FILE, OVERRIDES_FILE)
    desired_file: Path = OVERRIDES_FILE.with_name(DESIRED_FILE_NAME)

    def origin(self, dotted_key: str) -> str:
        """Where a value came from: a file path, `env:NAME`, or `default`."""
        return self.origins.get(dotted_key, DEFAULTS_SOURCE)

    @property
    def overrides_file(self) -> Path:
        """The file a technician's changes are written to."""
        return self.files[1]


def config_paths(environ: Mapping[str, str]) -> tuple[Path, Path]:
    """The system and overrides files, honouring the development variables."""
    return (Path(environ.get("KIOSK_CONFIG_FILE", SYSTEM_FILE)),
            Path(environ.get("KIOSK_OVERRIDES_FILE", OVERRIDES_FILE)))


def desired_path(environ: Mapping[str, str]) -> Path:
    """The fleet's desired document: beside the overrides file unless KIOSK_DESIRED_FILE moves it."""
    default = config_paths(environ)[1].with_name(DESIRED_FILE_NAME)
    return Path(environ.get("KIOSK_DESIRED_FILE", default))


def read_toml_layer(path: Path, source: str = "") -> Layer | None:
    """A file layer, migrated to the current schema; None when the file does not exist."""
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KioskError(CONFIG_UNREADABLE, f"{path}: {exc}") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KioskError(CONFIG_UNREADABLE, f"{path}: not valid TOML: {exc}") from exc
    return Layer(source or str(path), migrate(raw, str(path)))


def _parse_env_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def env_layer(environ: Mapping[str, str]) -> Layer:
    """Settings from `KIOSK_SECTION__KEY` variables."""
    values: dict[str, Any] = {}
    for name, text in environ.items():
        if not name.startswith(ENV_PREFIX) or name in _PATH_VARIABLES:
            continue
        parts = [p.lower() for p in name[len(ENV_PREFIX):].split("__")]
        node = values
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = _parse_env_value(text)
    return Layer("env", values)


def flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf values of a nested mapping by dotted key (`ui.window_scale`)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def deep_merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `top` laid over it, tables merged key by key (neither argument is changed)."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def validate_layer(layer: Layer, base: dict[str, Any] | None = None) -> KioskConfig:
    """Validate one layer over `base`; errors name the source and every bad key."""
    try:
        return parse_config(deep_merge(base or {}, layer.values))
    except ConfigInvalid as exc:
        raise KioskError(CONFIG_INVALID, f"{layer.source}: {exc}") from exc


def parse_config(values: Mapping[str, Any]) -> KioskConfig:
    """The configuration from nested values over the defaults; ConfigInvalid naming every bad key."""
    return parse(KioskConfig, values)


def load(environ: Mapping[str, str] | None = None, *, desired: Mapping[str, Any] | None = None) -> LoadedConfig:
    """Read and validate every layer in order; raises KioskError naming the file and key of any problem.

    `desired` stands in for the desired document on disk: the configuration a new version would give."""
    environ = os.environ if environ is None else environ
    system_path, overrides_path = config_paths(environ)
    fleet = (Layer(FLEET_SOURCE, dict(desired)) if desired is not None
             else read_toml_layer(desired_path(environ), FLEET_SOURCE))
    layers = [layer for layer in (read_toml_layer(system_path), fleet, read_toml_layer(overrides_path)) if layer]
    layers.append(env_layer(environ))
    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in layers:
        validate_layer(layer, merged)  # each layer must be valid on its own terms, named by its source
        merged = deep_merge(merged, layer.values)
        for key in flatten(layer.values):
            origins[key] = layer.source
    config = validate_layer(Layer("merged", merged))
    return LoadedConfig(config=config, origins=origins, files=(system_path, overrides_path),
                        desired_file=desired_path(environ))


def check_file(path: Path) -> KioskConfig:
    """Validate one file on its own (over the defaults): `kiosk config check FILE`."""
    layer = read_toml_layer(path)
    if layer is None:
        raise KioskError(CONFIG_UNREADABLE, f"{path}: no such file")
    return validate_layer(layer)


def effective_items(loaded: LoadedConfig) -> list[tuple[str, Any, str]]:
    """Every leaf setting as (dotted key, value, origin), in schema order."""
    flat = flatten(as_dict(loaded.config))
    return [(key, value, _origin_of(loaded, key)) for key, value in flat.items()]


def _origin_of(loaded: LoadedConfig, key: str) -> str:
    """The origin of `key` or of the nearest parent set as a whole (e.g. a table of profiles)."""
    parts = key.split(".")
    for n in range(len(parts), 0, -1):
        origin = loaded.origins.get(".".join(parts[:n]))
        if origin:
            return origin
    return DEFAULTS_SOURCE
