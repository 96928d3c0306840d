"""The console store's migrations build exactly the tables the queries are written against, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.schema import metadata


def test_migrations_build_the_schema_the_queries_use(console_target):
    """GIVEN a store migrated to the head WHEN Alembic compares it with schema.py THEN nothing differs."""
    db = ConsoleDB(console_target)
    db.start()
    try:
        differences = db.call(lambda c: compare_metadata(
            MigrationContext.configure(c, opts={"compare_type": True, "compare_server_default": True}), metadata))
    finally:
        db.stop()
    assert differences == []
