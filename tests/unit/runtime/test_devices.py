"""Device links made one way: none, a serial port by URL, or the bundled simulator on a pty, stopped last."""

import os

import pytest

from firmware_bridge.escpos.profile import GENERIC_58MM
from firmware_bridge.sim.idcard_sim import IdCardSimulator
from firmware_bridge.sim.printer_sim import PrinterSimulator
from kiosk.runtime.devices import DeviceLinks
from kiosk.config.schema import CallBellConfig, HandoffConfig, IdCardConfig, PrinterConfig


def test_a_device_not_fitted_has_no_link():
    links = DeviceLinks()
    assert links.open_printer(PrinterConfig(kind="none"), GENERIC_58MM) is None
    assert links.open_idcard(IdCardConfig(kind="none")) is None
    assert links.open_bell(HandoffConfig(call="none")) is None
    assert (links.printer, links.idcard, links.bell) == (None, None, None)


def test_a_serial_device_gets_its_configured_port_and_settings_without_opening_it(tmp_path):
    port = str(tmp_path / "no-such-port")
    links = DeviceLinks()
    printer = links.open_printer(PrinterConfig(kind="serial", port=port, baudrate=9600, flow_control="xonxoff",
                                               write_timeout_s=2.5), GENERIC_58MM)
    reader = links.open_idcard(IdCardConfig(kind="serial", port=port, baudrate=57600))
    bell = links.open_bell(HandoffConfig(call="bell", bell=CallBellConfig(port=port, write_timeout_s=1.5)))
    assert (printer.transport.url, printer.transport.baudrate, printer.transport.flow_control,
            printer.transport.write_timeout_s) == (port, 9600, "xonxoff", 2.5)
    assert (reader.transport.url, reader.transport.baudrate, reader.transport.flow_control) == (port, 57600, "none")
    assert (bell.transport.url, bell.transport.write_timeout_s) == (port, 1.5)
    assert not any(link.transport.is_open or link.simulator for link in (printer, reader, bell))
    assert links.bell is bell


@pytest.mark.parametrize("call", ["gpio", "video"])
def test_a_staff_call_that_is_not_a_serial_bell_has_no_link(call):
    assert DeviceLinks().open_bell(HandoffConfig(call=call, video_url="https://v.example.cn/1")) is None


def test_simulated_devices_run_on_ptys_until_the_links_stop():
    links = DeviceLinks()
    printer = links.open_printer(PrinterConfig(kind="sim", flow_control="xonxoff"), GENERIC_58MM)
    reader = links.open_idcard(IdCardConfig(kind="sim"))
    try:
        assert isinstance(printer.simulator, PrinterSimulator) and isinstance(reader.simulator, IdCardSimulator)
        assert printer.simulator.model == GENERIC_58MM and printer.simulator.xonxoff
        assert printer.transport.url == printer.simulator.port_path and os.path.exists(printer.transport.url)
        assert reader.transport.url == reader.simulator.port_path and os.path.exists(reader.transport.url)
    finally:
        links.stop()
    assert not os.path.exists(reader.transport.url)
