"""YAML loading that remembers the line of every mapping, key and list item.

Why: a content error must name the file and the line an author has to fix, not just the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class MarkedDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    lines: dict[str, int]


class MarkedList(list):
    """A sequence from YAML that knows its own line and the line of each item."""

    line: int = 0
    lines: list[int]


class DuplicateKeyError(yaml.YAMLError):
    """A key appears twice in one mapping; YAML would silently keep the last one."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (no Python tags) building marked containers; libyaml's parser when installed (~5x faster)."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    out = MarkedDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise DuplicateKeyError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    out = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_marked(path: Path) -> Any:
    """Parse one YAML file into marked containers; YAML syntax errors propagate with their mark."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader


def line_of(container: Any, key: Any = None) -> int:
    """Line of `container[key]` (or of the container itself) when known, else 0."""
    if key is None:
        return getattr(container, "line", 0)
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, getattr(container, "line", 0))
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(container, "line", 0)
