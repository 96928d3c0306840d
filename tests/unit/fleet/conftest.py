"""Fixtures for fleet unit tests: a real kiosk database on disk and an outbox on it."""

from __future__ import annotations

import pytest

from kiosk.core.clock import FakeClock
from kiosk.fleet.outbox import Outbox
from kiosk.storage.db import Database
from tests.postgres import console_stores, console_target, postgres  # noqa: F401  (fixtures for the console store tests)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path, clock):
    database = Database(tmp_path / "kiosk.db", clock)
    database.start()
    yield database
    database.stop()


@pytest.fixture
def outbox(db, clock):
    box = Outbox(db, clock, boot_id="boot-1", max_bytes=10_000_000)
    box.start()
    yield box
    box.stop()
