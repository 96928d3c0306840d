"""Numbered database migrations, discovered from the modules `mNNNN_name.py` of this package.

Why: every kiosk in the field upgrades from whatever version it has; each step is applied once, in order,
inside one transaction, and recorded in the `_migrations` table. A module defines `apply(db)` and a
one-line docstring saying what it adds. Never edit a shipped migration; add the next number.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from kiosk.core.clock import Clock
from kiosk.core.errors import DB_MIGRATION_FAILED, KioskError

_MODULE_NAME = re.compile(r"^m(\d{4})_\w+$")


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered step."""

    version: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]


def discover(package_name: str) -> tuple[Migration, ...]:
    """The migrations of a package (this one for the kiosk, another for the fleet console), in order."""
    package = importlib.import_module(package_name)
    found: list[Migration] = []
    for info in pkgutil.iter_modules(package.__path__):
        match = _MODULE_NAME.match(info.name)
        if match:
            module = importlib.import_module(f"{package_name}.{info.name}")
            found.append(Migration(int(match.group(1)), info.name, module.apply))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number in {package_name}: {versions}")
    return tuple(found)


MIGRATIONS = discover(__name__)


def applied_versions(db: sqlite_utils.Database) -> set[int]:
    """Versions recorded in `_migrations`."""
    if "_migrations" not in db.table_names():
        return set()
    return {row["version"] for row in db["_migrations"].rows}


def apply_pending(db: sqlite_utils.Database, migrations: tuple[Migration, ...], clock: Clock) -> list[int]:
    """Apply every migration not yet recorded, each in its own transaction; returns the versions applied."""
    with db.atomic():
        db["_migrations"].create({"version": int, "name": str, "applied_at": str}, pk="version",
                                 if_not_exists=True)
    done = applied_versions(db)
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        try:
            with db.atomic():
                migration.apply(db)
                db["_migrations"].insert({"version": migration.version, "name": migration.name,
                                          "applied_at": clock.now().isoformat()})
        except Exception as exc:
            raise KioskError(DB_MIGRATION_FAILED, f"{migration.name}: {exc}") from exc
        applied.append(migration.version)
    return applied
