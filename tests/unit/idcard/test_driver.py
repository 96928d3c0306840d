"""The polling driver's sequence and its reaction to every reply, over the in-memory transport."""

from __future__ import annotations

import queue

import pytest

from firmware_bridge.idcard import commands
from firmware_bridge.idcard.client import SamClient
from firmware_bridge.idcard.driver import DriverTimings, IdCardDriver, ReaderCallbacks
from firmware_bridge.idcard.errors import FrameChecksumError, SamResultError
from firmware_bridge.idcard.frame import decode_frame
from firmware_bridge.sim.idcard_sim import IdCardSimulator
from firmware_bridge.transport.fake import FakeTransport

WAIT_S = 10.0


@pytest.fixture
def sim():
    return IdCardSimulator()


@pytest.fixture
def transport(sim):
    return FakeTransport(responder=lambda data: sim.respond(decode_frame(data)) or b"")


class Recorder:
    """Collects the driver's callbacks in order, for the test thread to wait on."""

    def __init__(self):
        self.events: queue.SimpleQueue = queue.SimpleQueue()
        self.callbacks = ReaderCallbacks(
            card_presented=lambda: self.events.put(("presented",)),
            card_read=lambda record: self.events.put(("read", record)),
            card_read_failed=lambda code: self.events.put(("failed", code)),
            reader_online=lambda: self.events.put(("online",)),
            reader_offline=lambda code: self.events.put(("offline", code)))

    def next(self):
        return self.events.get(timeout=WAIT_S)


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def driver(transport, recorder):
    driver = IdCardDriver(transport, recorder.callbacks, DriverTimings(poll_interval_s=0.01, status_interval_s=0.01,
                                                                       reconnect_interval_s=0.01))
    yield driver
    driver.stop()


def test_client_sequence_bytes(sim, transport):
    sim.present("resident")
    client = SamClient(transport)
    assert client.find_card()
    client.select_card()
    record = client.read_card()
    assert record.id_number == "110105198506150014"
    assert transport.writes == [commands.FIND_CARD.encode(), commands.SELECT_CARD.encode(),
                                commands.READ_BASE_INFO.encode(), commands.READ_NEW_ADDRESS.encode()]
    assert not client.find_card()


def test_client_raises_coded_result_errors(sim, transport):
    sim.faults.sam_self_test_failed = True
    with pytest.raises(SamResultError) as info:
        SamClient(transport).sam_status()
    assert (info.value.sw3, info.value.code) == (0x60, "IDR-060")


def test_client_reports_bad_checksum(sim, transport):
    sim.present("resident")
    sim.faults.bad_checksum = True
    client = SamClient(transport)
    client.find_card()
    client.select_card()
    with pytest.raises(FrameChecksumError):
        client.read_card()


def test_client_sam_id(transport):
    assert SamClient(transport).sam_id() == "05.01-20240101-0012345678-0087654321"


def test_driver_reads_once_then_needs_lift(sim, driver, recorder):
    driver.start()
    assert recorder.next() == ("online",)
    sim.present("hk_permit")
    driver.set_reading(True)
    assert recorder.next() == ("presented",)
    kind, record = recorder.next()
    assert kind == "read" and record.pass_number == "H12345678"
    sim.lift()
    sim.present("foreign_2017")
    assert recorder.next() == ("presented",)
    assert recorder.next()[1].name_en == "SMITH, JOHN ALEXANDER"


def test_failed_read_waits_for_lift(sim, driver, recorder):
    sim.faults.unreadable_chip = True
    sim.present("resident")
    driver.set_reading(True)
    driver.start()
    assert [recorder.next(), recorder.next(), recorder.next()] == [("online",), ("presented",), ("failed", "IDR-041")]
    assert sim.wait_for_command("find_card", sim.count("find_card") + 3, WAIT_S)
    assert recorder.events.empty()
    assert sim.count("read_base_info") == 1
    sim.faults.unreadable_chip = False
    sim.lift()
    assert sim.wait_for_command("find_card", sim.count("find_card") + 2, WAIT_S)
    sim.present("resident")
    assert recorder.next() == ("presented",)
    assert recorder.next()[0] == "read"


def test_silent_reader_goes_offline_and_back(sim, driver, recorder):
    sim.faults.no_reply = True
    driver.start()
    assert recorder.next() == ("offline", "IDR-002")
    sim.faults.no_reply = False
    assert recorder.next() == ("online",)


def test_pulled_cable_goes_offline_and_back(transport, driver, recorder):
    driver.start()
    assert recorder.next() == ("online",)
    transport.fail_writes = True
    assert recorder.next() == ("offline", "IDR-001")
    transport.fail_writes = False
    assert recorder.next() == ("online",)


def test_reading_off_only_checks_status(sim, driver, recorder):
    sim.present("resident")
    driver.start()
    assert recorder.next() == ("online",)
    assert sim.wait_for_command("sam_status", 3, WAIT_S)
    assert sim.count("find_card") == 0
