"""A udev rule that names an attached printer or card reader /dev/kiosk/<role>, whatever USB port it is in.

Why: a technician replacing a printer should not have to read `udevadm info`; the adapter's own identity (vendor,
product and serial number) makes a rule that follows it from port to port. An adapter without a serial number
(CH340) can only be told from an identical one by the port it sits in, so then the rule names that port and says
so (research/hardware.md §D.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

ROLES = ("printer", "idreader")
"""The stable names the kiosk's configuration defaults to (/dev/kiosk/printer, /dev/kiosk/idreader)."""
COMMON = 'SYMLINK+="kiosk/{role}", GROUP="dialout", MODE="0660", TAG+="systemd", ENV{{ID_MM_DEVICE_IGNORE}}="1"'
"""What every rule sets: the link, the kiosk's group, a systemd device unit, and ModemManager kept off the port
(its AT probes would print on a printer)."""


class UsbPort(Protocol):
    """The fields of pyserial's ListPortInfo a rule is made from."""

    device: str
    vid: int | None
    pid: int | None
    serial_number: str | None
    location: str | None
    description: str


def udev_rule(role: str, port: UsbPort, attached: Sequence[UsbPort]) -> str:
    """The rule (with a comment line) for `port` as /dev/kiosk/`role`; `attached` are all serial ports now present.
    udev matches the ATTRS and KERNELS of one rule on a single parent device: the ids and the serial number on the
    USB device, the port path on its interface, so a port-tied rule names the path alone.

    Raises ValueError for an unknown role or a port that is not a USB adapter (an on-board port gets a KERNEL rule).
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    common = COMMON.format(role=role)
    if port.vid is None or port.pid is None:
        kernel = port.device.rsplit("/", 1)[-1]
        return (f"# {role}: on-board port {port.device}\n"
                f'SUBSYSTEM=="tty", KERNEL=="{kernel}", {common}')
    ids = f'ATTRS{{idVendor}}=="{port.vid:04x}", ATTRS{{idProduct}}=="{port.pid:04x}"'
    if port.serial_number:
        return (f"# {role}: {port.description}, serial number {port.serial_number}: found in any USB port\n"
                f'SUBSYSTEM=="tty", {ids}, ATTRS{{serial}}=="{_quoted(port.serial_number)}", {common}')
    twins = [p for p in attached if (p.vid, p.pid) == (port.vid, port.pid) and p.device != port.device]
    if not twins:
        return (f"# {role}: {port.description} without a serial number, the only one of its kind: found in any USB "
                "port while no second adapter of the same kind is plugged in\n"
                f'SUBSYSTEM=="tty", {ids}, {common}')
    if not port.location:
        raise ValueError(f"{port.device} has no serial number and no USB port path to tell it from {twins[0].device}")
    return (f"# {role}: {port.description} without a serial number beside an identical adapter "
            f"({', '.join(p.device for p in twins)}): tied to USB port {port.location}, keep it plugged in there\n"
            f'SUBSYSTEM=="tty", KERNELS=="{port.location}", {common}')


def _quoted(value: str) -> str:
    """A serial number as a udev string (no quote or backslash can end it early)."""
    return value.replace("\\", "\\\\").replace('"', '\\"')
