"""`kiosk run`, what systemd starts, imports only what running needs; every other command still parses."""

import json
import os
import subprocess
import sys

import pytest

from kiosk.cli.main import command_modules, main

CHILD_TIMEOUT_S = 60

# Stands in for the runner's prepare() so the process stops where `kiosk run` hands over to the kiosk, and reports
# what it imported: everything, and what the command line added to the runner's own imports.
_HANDOVER = """
import json, sys
import kiosk.runtime.runner as runner
runner_modules = set(sys.modules)

def handover(**_options):
    print(json.dumps({"all": sorted(sys.modules), "added": sorted(set(sys.modules) - runner_modules)}))
    raise SystemExit(0)

runner.prepare = handover
from kiosk.cli.main import main
main(["run"])
"""


@pytest.fixture(scope="module")
def run_imports() -> dict[str, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    done = subprocess.run([sys.executable, "-c", _HANDOVER], capture_output=True, text=True, env=env,
                          timeout=CHILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_kiosk_run_imports_no_other_command_nor_their_libraries(run_imports):
    loaded = set(run_imports["all"])
    other_commands = {f"kiosk.cli.{name}" for name in command_modules()} - {"kiosk.cli.run"}
    assert not loaded & other_commands
    assert not loaded & {"PIL", "qrcode", "yaml", "serial", "escpos", "kivy"}


def test_the_command_line_adds_only_its_own_two_modules_to_the_runners_imports(run_imports):
    added = {name for name in run_imports["added"] if name.partition(".")[0] not in sys.stdlib_module_names}
    assert added <= {"kiosk.cli", "kiosk.cli.main", "kiosk.cli.run"}


@pytest.mark.parametrize("module", command_modules())
def test_each_command_parses_on_its_own(module, capsys):
    """Also holds the convention that lets a command line load only its command's module: the command is named
    after its module (`legal_aid.py` → `legal-aid`)."""
    with pytest.raises(SystemExit) as exit_:
        main([module.replace("_", "-"), "--help"])
    assert exit_.value.code == 0
    assert f"usage: kiosk {module.replace('_', '-')}" in capsys.readouterr().out


def test_help_and_unknown_commands_see_every_command(capsys):
    commands = [module.replace("_", "-") for module in command_modules()]
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    listed = capsys.readouterr().out
    assert all(f"\n    {command}" in listed for command in commands)
    with pytest.raises(SystemExit) as exit_:
        main(["legal_aid"])  # a module's name, not a command's
    assert exit_.value.code == 2
    refused = capsys.readouterr().err
    assert "invalid choice: 'legal_aid'" in refused and all(f"'{command}'" in refused for command in commands)
