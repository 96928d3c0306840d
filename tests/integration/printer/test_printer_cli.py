"""`kiosk printer status|test` against the simulator on a pty, with exit codes and coded errors."""

from __future__ import annotations

import json

from kiosk.cli.main import main


def test_status_json_online_then_paper_out(sim, clean_env, capsys):
    args = ["printer", "status", "--port", sim.port_path, "--profile", "generic_58mm", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out) == {"state": "online", "code": None, "eot1": "12", "eot2": "12",
                                                   "eot4": "12"}
    sim.faults.paper_out_after_mm = 0
    assert main(args) == 1
    assert json.loads(capsys.readouterr().out)["code"] == "PRN-020"


def test_test_print_reaches_the_printer_and_cover_open_is_coded(sim, clean_env, capsys):
    args = ["printer", "test", "--port", sim.port_path, "--profile", "generic_58mm", "--flow", "none", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "online"
    assert sim.wait_until(lambda s: "打印测试" in s.printout.lines, 10)
    sim.faults.cover_open = True
    assert main(args) == 1
    assert "PRN-010" in capsys.readouterr().err
