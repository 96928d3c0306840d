"""Fixtures shared by every test level: a virtual display for the real Kivy app, clean config environments."""

from __future__ import annotations

import os

import pytest

from kiosk.runtime.display import have_display, start_xvfb


@pytest.fixture(scope="session")
def display() -> str:
    """An X display for UI tests: the existing one, or an Xvfb started for the session."""
    if have_display():
        yield os.environ.get("DISPLAY", "")
        return
    process, name = start_xvfb()
    try:
        yield name
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No KIOSK_* variables leak in from the caller; config files and every file the kiosk writes point into
    tmp_path (never /var/lib/kiosk of the machine running the tests)."""
    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KIOSK_CONFIG_FILE", str(tmp_path / "kiosk.toml"))
    monkeypatch.setenv("KIOSK_OVERRIDES_FILE", str(tmp_path / "overrides.toml"))
    monkeypatch.setenv("KIOSK_PATHS__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_LEGAL_AID__VERIFICATION_KEY_FILE", str(tmp_path / "data" / "opinion.key"))
    monkeypatch.setenv("KIOSK_FLEET__CONTENT_DIR", str(tmp_path / "data" / "content"))
    monkeypatch.setenv("KIOSK_LEGAL_AID__APPLICATION_KEY_FILE", str(tmp_path / "data" / "application.key"))
    return tmp_path
