"""The driver against the simulator through a real pty and real pyserial, for every card kind and fault knob."""

from __future__ import annotations

import os

import pytest

from firmware_bridge.idcard.card import CardKind
from firmware_bridge.sim.idcard_sim import IdCardSimulator
from firmware_bridge.sim.idcard_cards import TEST_CARDS

from .conftest import WAIT_S


@pytest.mark.parametrize("card", sorted(TEST_CARDS))
def test_every_test_card_reads(sim, recorder, start_driver, card):
    driver = start_driver(sim.port_path)
    assert recorder.next() == ("online",)
    sim.present(card)
    driver.set_reading(True)
    assert recorder.next() == ("presented",)
    what, record = recorder.next()
    assert what == "read"
    assert record == TEST_CARDS[card]


def test_card_must_be_lifted_and_presented_again(sim, recorder, start_driver):
    driver = start_driver(sim.port_path)
    sim.present("rare_long_term")
    driver.set_reading(True)
    assert [recorder.next()[0] for _ in range(3)] == ["online", "presented", "read"]
    assert sim.wait_for_command("find_card", sim.count("find_card") + 3, WAIT_S)
    assert recorder.events.empty() and sim.count("read_base_info") == 1
    sim.lift()
    sim.present("rare_long_term")
    assert [recorder.next()[0] for _ in range(2)] == ["presented", "read"]


@pytest.mark.parametrize(("fault", "code"), [
    ("bad_checksum", "IDR-004"),
    ("lift_mid_read", "IDR-041"),
    ("unreadable_chip", "IDR-041"),
    ("unknown_card_type", "IDR-040"),
])
def test_card_faults_report_read_failed(sim, recorder, start_driver, fault, code):
    driver = start_driver(sim.port_path)
    assert recorder.next() == ("online",)
    setattr(sim.faults, fault, True)
    sim.present("resident")
    driver.set_reading(True)
    assert recorder.next() == ("presented",)
    assert recorder.next() == ("failed", code)
    setattr(sim.faults, fault, False)
    sim.lift()
    assert sim.wait_for_command("find_card", sim.count("find_card") + 2, WAIT_S)
    sim.present("foreign_2023")
    assert recorder.next() == ("presented",)
    what, record = recorder.next()
    assert what == "read" and record.kind is CardKind.FOREIGN_PERMANENT_2023


def test_lift_mid_read_leaves_no_card(sim, recorder, start_driver):
    driver = start_driver(sim.port_path)
    sim.faults.lift_mid_read = True
    sim.present("resident")
    driver.set_reading(True)
    assert [recorder.next() for _ in range(3)] == [("online",), ("presented",), ("failed", "IDR-041")]
    assert sim.wait_for_command("find_card", sim.count("find_card") + 2, WAIT_S)
    sim.faults.lift_mid_read = False
    sim.present("resident")
    assert [recorder.next()[0] for _ in range(2)] == ["presented", "read"]


@pytest.mark.parametrize(("fault", "code"), [("no_reply", "IDR-002"), ("sam_self_test_failed", "IDR-060")])
def test_reader_faults_go_offline_and_recover(sim, recorder, start_driver, fault, code):
    setattr(sim.faults, fault, True)
    driver = start_driver(sim.port_path)
    assert recorder.next() == ("offline", code)
    setattr(sim.faults, fault, False)
    assert recorder.next() == ("online",)
    sim.present("hk_permit")
    driver.set_reading(True)
    assert [recorder.next()[0] for _ in range(2)] == ["presented", "read"]


def test_faults_while_reading_take_the_reader_offline(sim, recorder, start_driver):
    driver = start_driver(sim.port_path)
    driver.set_reading(True)
    assert recorder.next() == ("online",)
    sim.faults.sam_self_test_failed = True
    assert recorder.next() == ("offline", "IDR-060")
    sim.faults.sam_self_test_failed = False
    assert recorder.next() == ("online",)


def test_pulled_cable_reconnects(tmp_path, recorder, start_driver):
    """The port is a udev-style symlink; pulling the cable removes the device, plugging it in makes a new one."""
    link = tmp_path / "idreader"
    first = IdCardSimulator()
    first.start()
    os.symlink(first.port_path, link)
    driver = start_driver(str(link))
    driver.set_reading(True)
    assert recorder.next() == ("online",)
    first.stop()
    link.unlink()
    assert recorder.next() == ("offline", "IDR-001")
    second = IdCardSimulator()
    second.start()
    try:
        os.symlink(second.port_path, link)
        assert recorder.next() == ("online",)
        second.present("minor")
        assert [recorder.next()[0] for _ in range(2)] == ["presented", "read"]
    finally:
        driver.stop()
        second.stop()


def test_an_older_sam_without_the_additional_address_read_still_reads_every_card(sim, recorder, start_driver):
    """Issue 15 item 4: 30 03 answered 'command error' loses only the additional address, and is asked once."""
    from dataclasses import replace

    sim.faults.no_new_address_command = True
    driver = start_driver(sim.port_path)
    sim.present("rare_long_term")
    driver.set_reading(True)
    assert [recorder.next()[0] for _ in range(2)] == ["online", "presented"]
    what, record = recorder.next()
    assert what == "read" and record.new_address_unavailable and record.new_address == ""
    assert record == replace(TEST_CARDS["rare_long_term"], new_address="", new_address_unavailable=True)
    sim.lift()
    sim.present("resident")
    assert recorder.next() == ("presented",)
    what, record = recorder.next()
    assert what == "read" and record.name == TEST_CARDS["resident"].name and record.new_address_unavailable
    assert sim.count("read_base_info") == 2 and sim.count("read_new_address") == 1


def test_a_sam_that_has_the_read_is_asked_on_every_card(sim, recorder, start_driver):
    driver = start_driver(sim.port_path)
    for card in ("rare_long_term", "resident"):
        sim.present(card)
        driver.set_reading(True)
        while (event := recorder.next())[0] != "read":
            pass
        assert event[1] == TEST_CARDS[card] and not event[1].new_address_unavailable
        sim.lift()
    assert sim.count("read_new_address") == 2
