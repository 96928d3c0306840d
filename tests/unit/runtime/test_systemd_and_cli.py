"""systemd notification over a real datagram socket, and the foundation's command line."""

import os
import socket
import subprocess
import sys

from kiosk.runtime.systemd import SystemdNotifier
from kiosk.cli.main import main
from kiosk.services.pin import pin_matches


def test_notifier_sends_to_the_socket_and_computes_the_watchdog_interval(tmp_path):
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        server.settimeout(5)
        notifier = SystemdNotifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
        notifier.notify("READY=1")
        assert server.recv(64) == b"READY=1"
    assert notifier.watchdog_interval_s == 15.0


def test_notifier_is_silent_outside_systemd():
    notifier = SystemdNotifier({})
    assert not notifier.enabled and notifier.watchdog_interval_s == 0.0
    notifier.notify("READY=1")


def test_help_lists_the_working_subcommands(capsys):
    try:
        main(["--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    out = capsys.readouterr().out
    for command in ("run", "config", "maintenance"):
        assert command in out


def test_config_commands_exit_codes(clean_env, tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ui]\nwindow_scale = 7\n")
    assert main(["config", "check", str(bad)]) == 1
    assert "CFG-002" in capsys.readouterr().err
    assert main(["config", "show", "--json"]) == 0
    assert '"origin": "default"' in capsys.readouterr().out
    assert main([]) == 2


def test_hash_pin_reads_stdin_and_refuses_short_pins(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    good = subprocess.run([sys.executable, "-m", "kiosk", "maintenance", "hash-pin"], input="2468\n",
                          capture_output=True, text=True, env=env, timeout=60)
    assert good.returncode == 0
    stored = good.stdout.split('"')[1]
    assert pin_matches("2468", stored)
    short = subprocess.run([sys.executable, "-m", "kiosk", "maintenance", "hash-pin"], input="12\n",
                           capture_output=True, text=True, env=env, timeout=60)
    assert short.returncode == 1 and "CLI-001" in short.stderr


def test_devices_reports_a_missing_configured_port(clean_env, monkeypatch, capsys):
    import json

    monkeypatch.setenv("KIOSK_PRINTER__PORT", str(clean_env / "no-such-port"))
    monkeypatch.setenv("KIOSK_IDCARD__KIND", "sim")
    assert main(["devices", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["configured"]["printer"]["present"] is False
    assert found["configured"]["idcard"]["present"] is None  # a simulator: nothing to check on disk
    monkeypatch.setenv("KIOSK_PRINTER__KIND", "none")
    assert main(["devices"]) == 0
