"""`kiosk idcard read` against the simulator on a pty: masked by default, full with --unmasked, coded failures."""

from __future__ import annotations

import json

from kiosk.cli.main import main


def test_read_prints_masked_json(sim, capsys):
    sim.present("foreign_2023")
    assert main(["idcard", "read", "--port", sim.port_path, "--json", "--timeout", "15"]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert fields["kind"] == "foreign_permanent_2023"
    assert fields["id_number"] == "911724********0123"
    assert fields["name"] == "玛*"
    assert fields["issues"] == [] and fields["photo_bytes"] == 1024


def test_read_unmasked_shows_rare_characters(sim, capsys):
    sim.present("rare_long_term")
    assert main(["idcard", "read", "--port", sim.port_path, "--json", "--unmasked", "--timeout", "15"]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert (fields["name"], fields["valid_to"], fields["elderly"]) == ("李\u4dae", "长期", True)


def test_failed_read_exits_1_with_code(sim, capsys):
    sim.faults.unreadable_chip = True
    sim.present("resident")
    assert main(["idcard", "read", "--port", sim.port_path, "--timeout", "15"]) == 1
    assert capsys.readouterr().err.startswith("kiosk: IDR-041")


def test_no_card_times_out_with_code(sim, capsys):
    assert main(["idcard", "read", "--port", sim.port_path, "--timeout", "0.5"]) == 1
    assert capsys.readouterr().err.startswith("kiosk: IDR-071")
