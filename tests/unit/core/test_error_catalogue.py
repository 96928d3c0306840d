"""Every error code in the source is catalogued once, written once, and has a citizen message in zh_CN.yaml.

The source is read: every string literal and comment of kiosk/ and firmware_bridge/ that looks like a code
(`AREA-NNN`) must be in a catalogue (a module that defines `NAME = ErrorCode(...)`; kiosk/core/errors.py names one
per area), and a code may be written as a literal in one place only (docstrings and comments may name it
anywhere); the reader's SAM codes, computed from the result byte, are checked from the table they come from.
"""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path

import pytest

from firmware_bridge.idcard.status import SUCCESS_CODES, UNKNOWN_RESULT_CODE, Sw3, result_code
from kiosk.core import errors as core_errors
from kiosk.core.errors import ErrorCode
from kiosk.services import identity
from kiosk.ui.i18n import load_catalogue

ROOT = Path(__file__).resolve().parents[3]
SOURCE_DIRS = ("kiosk", "firmware_bridge")
CODE = re.compile(r"\b([A-Z]{2,4})-(\d{3})\b")
NOT_CODES = frozenset({"AES", "SHA"})
"""Prefixes of names that look like codes (AES-256, SHA-256)."""
DEVICE_BASE_CODES = frozenset({"DEV-000", "DEV-010", "TRN-001", "TRN-002"})
"""The codes of firmware_bridge's base error classes: every service maps a DeviceError to its own area's code
(the printer to PRN-030/040/041, the bell to HND-001, the reader to IDR-001/002), so none reaches a screen, the
health board or telemetry, and none needs a citizen message."""


def _source_files() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py") if "__pycache__" not in p.parts)


def _defines_error_codes(tree: ast.Module) -> bool:
    """Whether a module assigns an `ErrorCode(...)` at its top level (it holds a catalogue)."""
    return any(isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call)
               and isinstance(node.value.func, ast.Name) and node.value.func.id == "ErrorCode" for node in tree.body)


def _catalogue_modules() -> list[str]:
    return [".".join(path.relative_to(ROOT).with_suffix("").parts) for path in _source_files()
            if _defines_error_codes(ast.parse(path.read_text(encoding="utf-8")))]


def _catalogued(modules: list[str]) -> dict[str, list[ErrorCode]]:
    """Code → the distinct ErrorCode objects the catalogue modules hold for it (module globals and dict values)."""
    found: dict[str, set[ErrorCode]] = defaultdict(set)
    for name in modules:
        for value in vars(importlib.import_module(name)).values():
            entries = value.values() if isinstance(value, dict) else (value,)
            for entry in entries:
                if isinstance(entry, ErrorCode):
                    found[entry.code].add(entry)
    return {code: sorted(entries, key=repr) for code, entries in found.items()}


def _codes(text: str) -> list[str]:
    return [match.group(0) for match in CODE.finditer(text) if match.group(1) not in NOT_CODES]


def _scan() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(code → places it is mentioned anywhere, code → places it is written as a literal outside documentation)."""
    mentioned: dict[str, list[str]] = defaultdict(list)
    written: dict[str, list[str]] = defaultdict(list)
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        tree = ast.parse(text, name)
        documentation = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for code in _codes(node.value):
                    mentioned[code].append(f"{name}:{node.lineno}")
                    if id(node) not in documentation:
                        written[code].append(f"{name}:{node.lineno}")
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                for code in _codes(token.string):
                    mentioned[code].append(f"{name}:{token.start[0]}")
    return mentioned, written


CATALOGUE_MODULES = _catalogue_modules()
CATALOGUED = _catalogued(CATALOGUE_MODULES)
MENTIONED, WRITTEN = _scan()


def test_the_scan_sees_the_codes_and_catalogues_it_must():
    assert {"DB-001", "PRN-020", "IDR-001", "CNT-010", "HND-001"} <= MENTIONED.keys()
    assert {"kiosk.core.errors", "kiosk.services.printing", "kiosk.legal.errors"} <= set(CATALOGUE_MODULES)
    assert len(CATALOGUED) > 50


def test_every_area_is_listed_with_its_catalogue_in_the_core_module():
    """A reader looking for a code's meaning starts at kiosk/core/errors.py."""
    doc = core_errors.__doc__
    areas = {code.split("-")[0] for code in CATALOGUED}
    assert {area for area in areas if not re.search(rf"\b{area}\b", doc)} == set()
    listed = {name for name in CATALOGUE_MODULES if name.replace(".", "/") + ".py" in doc}
    assert set(CATALOGUE_MODULES) - listed == {"kiosk.core.errors"}


def test_every_code_in_the_source_is_catalogued():
    missing = {code: places for code, places in MENTIONED.items()
               if code not in CATALOGUED and code not in DEVICE_BASE_CODES}
    assert missing == {}


def test_each_code_is_catalogued_once():
    assert {code: entries for code, entries in CATALOGUED.items() if len(entries) > 1} == {}


def test_each_code_is_written_in_one_place():
    assert {code: places for code, places in WRITTEN.items() if len(places) > 1} == {}


def test_every_failing_sam_result_has_its_reader_code_catalogued():
    codes = {result_code(sw3) for sw3 in Sw3 if sw3 not in SUCCESS_CODES} | {UNKNOWN_RESULT_CODE}
    assert codes - identity.IDR_CODES.keys() == set()


@pytest.mark.parametrize("code", sorted(CATALOGUED))
def test_every_catalogued_code_has_a_citizen_message(code):
    (error,) = CATALOGUED[code]
    assert error.citizen_key in load_catalogue("zh_CN"), f"{code}: no {error.citizen_key} in zh_CN.yaml"
