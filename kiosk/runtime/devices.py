"""Device links by configuration, all made here the same way: a real serial port, the bundled simulator on a pty,
or nothing.

Why explicit: a kiosk whose printer cable is loose must report "printer offline", never quietly print into a
simulator. `kind = "sim"` is chosen in configuration (the development profile does) and starts the simulator
in this process; `kind = "none"` means the device is not fitted.

Why one place: every device is wired alike. `DeviceLinks.open_<device>(config)` turns the device's section of the
configuration into a `DeviceLink` (its transport, not opened yet, and the simulator behind it), the composition
root hands the transport to the device's service, the service opens and closes it, and `stop()` stops the
simulators after the services closed their ports. A new device adds one `open_` method and one field here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.config.schema import HandoffConfig, IdCardConfig, PrinterConfig

if TYPE_CHECKING:
    from firmware_bridge.escpos.profile import PrinterModel
    from firmware_bridge.transport.serial_port import SerialTransport


class Simulator(Protocol):
    """A device simulator on a pty (firmware_bridge.sim): started here, stopped last."""

    @property
    def port_path(self) -> str:
        """The pty a driver opens like a serial port."""

    def start(self) -> None:
        """Open the pty and answer on it."""

    def stop(self) -> None:
        """Stop answering and close the pty."""


@dataclass(frozen=True, slots=True)
class DeviceLink:
    """One device's transport (opened by its service's driver) and the simulator on its other end, if any."""

    transport: SerialTransport
    simulator: Simulator | None = None
    """The `PrinterSimulator` or `IdCardSimulator` when the device is simulated (tests reach its fault knobs here)."""


@dataclass
class DeviceLinks:
    """The links the device services use, one field per device (None: not fitted, or not opened yet)."""

    printer: DeviceLink | None = None
    idcard: DeviceLink | None = None
    bell: DeviceLink | None = None
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    def open_printer(self, config: PrinterConfig, model: PrinterModel) -> DeviceLink | None:
        """The printer's link; its simulator prints on `model`'s paper and honours XON/XOFF when configured."""
        def simulator() -> Simulator:
            from firmware_bridge.sim.printer_sim import PrinterSimulator

            return PrinterSimulator(model, xonxoff=config.flow_control == "xonxoff")

        self.printer = self._open(config.kind, config.port, simulator, baudrate=config.baudrate,
                                  flow_control=config.flow_control, write_timeout_s=config.write_timeout_s)
        return self.printer

    def open_idcard(self, config: IdCardConfig) -> DeviceLink | None:
        """The ID card reader's link (the SAM module has no flow control lines)."""
        def simulator() -> Simulator:
            from firmware_bridge.sim.idcard_sim import IdCardSimulator

            return IdCardSimulator()

        self.idcard = self._open(config.kind, config.port, simulator, baudrate=config.baudrate, flow_control="none")
        return self.idcard

    def open_bell(self, config: HandoffConfig) -> DeviceLink | None:
        """The staff-call bell's link when the site rings a serial bell (it has no simulator, so no I/O here)."""
        bell = config.bell
        self.bell = self._open("serial" if config.call == "bell" else "none", bell.port, None,
                               baudrate=bell.baudrate, flow_control="none", write_timeout_s=bell.write_timeout_s)
        return self.bell

    def _open(self, kind: str, port: str, simulator: Callable[[], Simulator] | None,
              **serial_settings: Any) -> DeviceLink | None:
        """A link of `kind` (serial, sim or none): a simulator is started first and the transport points at its pty."""
        if kind == "none":
            return None
        from firmware_bridge.transport.serial_port import SerialTransport

        started = None
        if kind == "sim":
            if simulator is None:
                raise ValueError("this device has no simulator")
            started = simulator()
            started.start()
            self._stoppers.append(started.stop)
            port = started.port_path
        return DeviceLink(SerialTransport(port, **serial_settings), started)

    def stop(self) -> None:
        """Stop the simulators (the services close their own transports first)."""
        while self._stoppers:
            self._stoppers.pop()()
