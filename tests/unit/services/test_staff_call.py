"""呼叫工作人员: the serial bell over a real pty through pyserial, the GPIO pulse on a plain file, the cool-down,
the audit rows and the health board's failure and recovery."""

import select

import pytest

from firmware_bridge.sim.pty import open_pty
from firmware_bridge.transport.fake import FakeTransport
from kiosk.runtime.devices import DeviceLinks
from kiosk.config.schema import CallBellConfig, GpioCallConfig, HandoffConfig
from kiosk.core.clock import FakeClock
from kiosk.core.errors import KioskError
from kiosk.core.events import EventBus, SubsystemFailed, SubsystemRecovered
from kiosk.services.staff_call import (SUBSYSTEM, CallOutcome, CallResult, GpioPulse, SerialBell, StaffCall,
                                       signal_for)
from tests.pty_reading import received

COOLDOWN_S = 30.0
READ_TIMEOUT_S = 5.0


def _nothing_waiting(fd: int) -> bool:
    """Whether the device side has no unread byte (a refused call writes nothing, so none can be on its way)."""
    return select.select([fd], [], [], 0)[0] == []


class Recorder:
    """The audit log and the bus events of one test."""

    def __init__(self, bus: EventBus) -> None:
        self.audit: list[tuple[str, str, str]] = []
        self.events: list[object] = []
        bus.subscribe(SubsystemFailed, self.events.append)
        bus.subscribe(SubsystemRecovered, self.events.append)

    def record(self, action: str, detail: str, actor: str = "technician") -> None:
        self.audit.append((action, detail, actor))


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def pty():
    pair = open_pty()
    yield pair
    pair.close()


def _signal(config: HandoffConfig):
    """The site's signal wired as the composition root wires it: the bell's link from the device links."""
    link = DeviceLinks().open_bell(config)
    return signal_for(config, link.transport if link is not None else None)


def _staff_call(signal, bus, clock):
    recorder = Recorder(bus)
    return StaffCall(signal, bus, clock, recorder.record, cooldown_s=COOLDOWN_S), recorder


def test_the_serial_bell_receives_its_bytes_once_per_cooldown(pty, bus, clock):
    config = HandoffConfig(call="bell", bell=CallBellConfig(port=pty.port_path, ring_hex="AA 01 55"))
    service, recorder = _staff_call(_signal(config), bus, clock)
    service.start()
    try:
        assert service.call() == CallOutcome(CallResult.CALLED)
        assert received(pty.master_fd, 3, READ_TIMEOUT_S) == b"\xaa\x01\x55"
        clock.advance(COOLDOWN_S - 1)
        assert service.call() == CallOutcome(CallResult.COOLING)
        assert _nothing_waiting(pty.master_fd)
        clock.advance(1)
        assert service.call().result is CallResult.CALLED
        assert received(pty.master_fd, 3, READ_TIMEOUT_S) == b"\xaa\x01\x55"
    finally:
        service.stop()
    assert recorder.audit == [("staff_call", f"rang bell:{pty.port_path}", "citizen")] * 2
    assert recorder.events == []


def test_a_missing_bell_port_is_a_coded_fault_at_start_and_on_call(bus, clock, tmp_path):
    port = str(tmp_path / "no-such-bell")
    config = HandoffConfig(call="bell", bell=CallBellConfig(port=port))
    service, recorder = _staff_call(_signal(config), bus, clock)
    with pytest.raises(KioskError) as raised:
        service.start()
    assert raised.value.code == "HND-001"
    assert service.call() == CallOutcome(CallResult.FAILED, "HND-001")
    assert recorder.audit == [("staff_call", f"failed HND-001 bell:{port}", "citizen")]
    assert [(e.subsystem, e.code) for e in recorder.events] == [(SUBSYSTEM, "HND-001")]


def test_a_stalled_bell_fails_and_a_later_ring_reports_recovery(bus, clock):
    transport = FakeTransport("fake://bell")
    transport.stall_writes = True
    service, recorder = _staff_call(SerialBell(CallBellConfig(ring_hex="07"), transport), bus, clock)
    assert service.call() == CallOutcome(CallResult.FAILED, "HND-001")
    assert service.call().result is CallResult.COOLING  # a failed call also holds the cool-down: no write storm
    transport.stall_writes = False
    clock.advance(COOLDOWN_S)
    assert service.call().result is CallResult.CALLED
    assert transport.written == b"\x07"
    assert [type(e).__name__ for e in recorder.events] == ["SubsystemFailed", "SubsystemRecovered"]


def test_the_gpio_line_is_active_for_the_pulse_then_idle(tmp_path, bus, clock):
    value = tmp_path / "value"
    value.write_text("0")
    seen = []
    line = GpioPulse(GpioCallConfig(value_path=str(value), pulse_s=0.7),
                     sleep=lambda seconds: seen.append((value.read_bytes(), seconds)))
    service, recorder = _staff_call(line, bus, clock)
    service.start()
    assert service.call().result is CallResult.CALLED
    assert seen == [(b"1", 0.7)]
    assert value.read_bytes() == b"0"
    assert recorder.audit == [("staff_call", f"rang gpio:{value}", "citizen")]


def test_an_active_low_line_is_pulled_low_and_left_high(tmp_path):
    value = tmp_path / "value"
    value.write_text("1")
    seen = []
    GpioPulse(GpioCallConfig(value_path=str(value), active_low=True),
              sleep=lambda _s: seen.append(value.read_bytes())).ring()
    assert seen == [b"0"]
    assert value.read_bytes() == b"1"


def test_a_line_that_is_not_exported_fails_and_is_not_created(tmp_path, bus, clock):
    value = tmp_path / "gpio17" / "value"
    service, recorder = _staff_call(GpioPulse(GpioCallConfig(value_path=str(value))), bus, clock)
    with pytest.raises(KioskError) as raised:
        service.start()
    assert raised.value.code == "HND-002"
    tmp_path.joinpath("gpio17").mkdir()
    assert service.call() == CallOutcome(CallResult.FAILED, "HND-002")
    assert not value.exists()
    assert [(e.subsystem, e.code) for e in recorder.events] == [(SUBSYSTEM, "HND-002")]


@pytest.mark.parametrize("call", ["none", "video"])
def test_no_signal_without_a_bell_or_line(call):
    config = HandoffConfig(call=call, video_url="https://video.example.cn/room/1" if call == "video" else "")
    assert _signal(config) is None
    assert not StaffCall(None, EventBus(), FakeClock(), lambda *a, **k: None, cooldown_s=COOLDOWN_S).available
