"""Fixtures of the deploy tests: an installation bundle built once per run, a virtual display."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.runtime.display import start_xvfb
from tests.integration.deploy.scratch_root import available
from tests.integration.fleet.conftest import broker, broker_factory  # noqa: F401  (the fleet tests' real broker)

ROOT = Path(__file__).resolve().parents[3]
BUNDLE_TIMEOUT_S = 600


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`deploy/bundle.sh` run on this checkout: the wheel, its dependencies' wheels, the installer and its files."""
    reason = available()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("bundle")
    built = subprocess.run(["bash", str(ROOT / "deploy" / "bundle.sh"), str(out)], timeout=BUNDLE_TIMEOUT_S,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-4000:]
    return out


@pytest.fixture
def display() -> Iterator[str]:
    """An Xvfb display at the panel's size (the scratch root's kiosk draws there instead of on KMS/DRM)."""
    process, name = start_xvfb()
    yield name
    process.kill()
    process.wait()
