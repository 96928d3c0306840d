"""The import contracts of pyproject.toml hold (DESIGN §2: dependencies point one way; the running kiosk never
imports the content-build tools), checked with every test run rather than only when someone runs lint-imports."""

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_every_import_contract_is_kept(capsys):
    kept = lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == 0
    assert kept, capsys.readouterr().out
