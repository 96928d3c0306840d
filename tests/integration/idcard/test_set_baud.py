"""Changing the SAM's line speed against the simulator through a real pty and real pyserial, and from the CLI."""

from __future__ import annotations

import tomllib

import pytest

from firmware_bridge.errors import TransportTimeout
from firmware_bridge.idcard.client import SamClient, switch_baud
from firmware_bridge.idcard.commands import Command
from firmware_bridge.idcard.errors import SamResultError
from firmware_bridge.idcard.status import Sw3
from firmware_bridge.transport.serial_port import SerialTransport
from kiosk.cli.main import main


def transport_at(port: str):
    return lambda bps: SerialTransport(port, baudrate=bps, flow_control="none")


def status_at(port: str, bps: int) -> None:
    """A SAM status check at `bps` (raises when the SAM is silent there)."""
    transport = transport_at(port)(bps)
    transport.open()
    try:
        SamClient(transport, quick_timeout_s=0.3).sam_status()
    finally:
        transport.close()


def test_the_sam_moves_to_the_new_speed_and_goes_deaf_at_the_old(sim, recorder, start_driver):
    switch_baud(transport_at(sim.port_path), 115200, 9600)
    assert sim.baud_bps == 9600 and sim.count("set_baud") == 1
    status_at(sim.port_path, 9600)
    with pytest.raises(TransportTimeout):
        status_at(sim.port_path, 115200)
    switch_baud(transport_at(sim.port_path), 9600, 115200)
    assert sim.baud_bps == 115200
    driver = start_driver(sim.port_path)  # the kiosk's driver at the factory speed reads cards again
    sim.present("resident")
    driver.set_reading(True)
    assert [recorder.next()[0] for _ in range(3)] == ["online", "presented", "read"]


def test_a_wrong_current_speed_is_a_silent_reader_and_changes_nothing(sim):
    sim.baud_bps = 57600
    with pytest.raises(TransportTimeout):
        switch_baud(transport_at(sim.port_path), 115200, 9600)
    assert sim.baud_bps == 57600 and sim.count("set_baud") == 0


def test_a_rate_parameter_the_sam_lacks_is_a_command_error(sim):
    transport = transport_at(sim.port_path)(115200)
    transport.open()
    try:
        reply = SamClient(transport).transact(Command("set_baud_unknown_rate", 0x60, 0x07))
    finally:
        transport.close()
    assert reply.sw3 == Sw3.COMMAND_ERROR and sim.baud_bps == 115200


def test_a_sam_that_failed_its_self_test_refuses(sim):
    sim.faults.sam_self_test_failed = True
    with pytest.raises(SamResultError) as info:
        switch_baud(transport_at(sim.port_path), 115200, 9600)
    assert info.value.code == "IDR-060" and sim.baud_bps == 115200


def test_cli_switches_and_records_the_speed_in_the_overrides(sim, clean_env, monkeypatch, capsys):
    monkeypatch.setenv("KIOSK_IDCARD__KIND", "serial")
    monkeypatch.setenv("KIOSK_IDCARD__PORT", sim.port_path)
    assert main(["idcard", "set-baud", "19200"]) == 0
    assert sim.baud_bps == 19200 and "19200 bit/s" in capsys.readouterr().out
    overrides = tomllib.loads((clean_env / "overrides.toml").read_text())
    assert overrides["idcard"]["baudrate"] == 19200
    assert main(["idcard", "set-baud", "9600"]) == 0  # from the recorded speed, without --from
    assert sim.baud_bps == 9600
    sim.baud_bps = 38400
    assert main(["idcard", "set-baud", "115200"]) == 1
    assert "IDR-002" in capsys.readouterr().err
