"""Runs one UI scenario of tests/ui/harness.py in its own process and hands its report to a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "_artifacts" / "ui"
SCENARIO_TIMEOUT_S = 120


def run_scenario(name: str, display: str, tmp_path: Path, *, full_panel: bool = False,
                 env: dict[str, str] | None = None) -> dict:
    """Run one harness scenario (at the panel's full 1080x1920 when `full_panel`, with `env` over this process's
    environment less its KIOSK_ variables); returns its report (screenshots are copied to the artifacts folder)."""
    outdir = tmp_path / name
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}, **(env or {})}
    env["DISPLAY"] = display
    env.setdefault("SDL_AUDIODRIVER", "dummy")  # speech plays into SDL's null sink (a test machine has no card)
    command = [sys.executable, "-m", "tests.ui.harness", name, str(outdir), *(["1.0"] if full_panel else [])]
    completed = subprocess.run(command, cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S)
    report_path = outdir / "report.json"
    assert report_path.exists(), completed.stderr[-3000:]
    report = json.loads(report_path.read_text())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for shot, path in report["shots"].items():
        Path(path).replace(ARTIFACTS / f"{name}-{shot}.png")
    assert report["ok"], report.get("error", "") + completed.stderr[-3000:]
    return report
