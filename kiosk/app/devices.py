"""Device links by configuration: a real serial port, the bundled simulator on a pty, or nothing.

Why explicit: a kiosk whose printer cable is loose must report "printer offline", never quietly print into a
simulator. `kind = "sim"` is chosen in configuration (the development profile does) and starts the simulator
in this process; `kind = "none"` means the device is not fitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from typing import TYPE_CHECKING

from kiosk.config.schema import IdCardConfig

if TYPE_CHECKING:
    from firmware_bridge.transport.serial_port import SerialTransport


@dataclass
class DeviceLinks:
    """The transports the services use, and the simulators started for them (stopped last)."""

    idcard_transport: SerialTransport | None = None
    idcard_simulator: object | None = None
    _stoppers: list[Callable[[], None]] = field(default_factory=list)

    def stop(self) -> None:
        """Stop the simulators (the services close their own transports first)."""
        while self._stoppers:
            self._stoppers.pop()()


def open_idcard_link(config: IdCardConfig, links: DeviceLinks) -> None:
    """Fill `links` with the reader's transport (not opened yet: the driver opens it on its thread)."""
    if config.kind == "none":
        return
    from firmware_bridge.transport.serial_port import SerialTransport

    port = config.port
    if config.kind == "sim":
        from firmware_bridge.sim.idcard_sim import IdCardSimulator

        simulator = IdCardSimulator()
        simulator.start()
        links.idcard_simulator = simulator
        links._stoppers.append(simulator.stop)
        port = simulator.port_path
    links.idcard_transport = SerialTransport(port, baudrate=config.baudrate, flow_control="none")
