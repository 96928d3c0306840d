"""`kiosk devices --udev-rule ROLE=PORT`: the rule follows an adapter from USB port to USB port by its own identity,
and only an adapter without a serial number beside its identical twin is tied to its port."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from serial.tools.list_ports_common import ListPortInfo

from kiosk.runtime.udev_rule import udev_rule

ROOT = Path(__file__).resolve().parents[3]
COMMON = 'SYMLINK+="kiosk/{}", GROUP="dialout", MODE="0660", TAG+="systemd", ENV{{ID_MM_DEVICE_IGNORE}}="1"'


def usb(device: str, vid: int | None, pid: int | None, serial: str | None, location: str | None) -> ListPortInfo:
    """A serial port as pyserial lists it on Linux."""
    port = ListPortInfo(device, skip_link_detection=True)
    port.vid, port.pid, port.serial_number, port.location = vid, pid, serial, location
    port.description = "USB serial adapter"
    return port


CP210X = usb("/dev/ttyUSB0", 0x10C4, 0xEA60, "0001", "1-1.2:1.0")
CH340_A = usb("/dev/ttyUSB1", 0x1A86, 0x7523, None, "1-1.3:1.0")
CH340_B = usb("/dev/ttyUSB2", 0x1A86, 0x7523, None, "1-1.4:1.0")
ONBOARD = usb("/dev/ttyS1", None, None, None, None)


def rule_line(text: str) -> str:
    comment, line = text.split("\n")
    assert comment.startswith("# ")
    return line


def test_an_adapter_with_a_serial_number_is_found_in_any_port() -> None:
    assert rule_line(udev_rule("printer", CP210X, [CP210X, CH340_A])) == (
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="10c4", ATTRS{idProduct}=="ea60", ATTRS{serial}=="0001", '
        + COMMON.format("printer"))


def test_a_lone_adapter_without_serial_is_found_by_its_ids_and_twins_are_told_apart_by_port() -> None:
    assert rule_line(udev_rule("idreader", CH340_A, [CP210X, CH340_A])) == (
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", ' + COMMON.format("idreader"))
    tied = udev_rule("idreader", CH340_A, [CH340_A, CH340_B])
    assert "tied to USB port 1-1.3:1.0" in tied and "/dev/ttyUSB2" in tied
    # udev matches one rule's KERNELS and ATTRS on one parent device: the interface's path alone, no USB ids.
    assert rule_line(tied) == 'SUBSYSTEM=="tty", KERNELS=="1-1.3:1.0", ' + COMMON.format("idreader")


def test_an_onboard_port_and_bad_input() -> None:
    assert rule_line(udev_rule("printer", ONBOARD, [ONBOARD])) == 'SUBSYSTEM=="tty", KERNEL=="ttyS1", ' + \
        COMMON.format("printer")
    with pytest.raises(ValueError, match="role must be one of printer, idreader"):
        udev_rule("scanner", CP210X, [CP210X])
    odd = usb("/dev/ttyUSB3", 0x10C4, 0xEA60, 'a"b', "1-2:1.0")
    assert 'ATTRS{serial}=="a\\"b"' in udev_rule("printer", odd, [odd])


def test_the_shipped_rules_have_the_generated_form() -> None:
    shipped = [line for line in (ROOT / "deploy/udev/99-kiosk.rules").read_text().splitlines()
               if line and not line.startswith("#")]
    assert shipped and all(re.fullmatch(r'SUBSYSTEM=="tty", ATTRS\{idVendor\}=="[0-9a-f]{4}", '
                                        r'ATTRS\{idProduct\}=="[0-9a-f]{4}", SYMLINK\+="kiosk/(printer|idreader)", '
                                        r'GROUP="dialout", MODE="0660", TAG\+="systemd", '
                                        r'ENV\{ID_MM_DEVICE_IGNORE\}="1"', line) for line in shipped), shipped


def test_the_command_names_a_port_that_is_not_attached() -> None:
    done = subprocess.run([sys.executable, "-m", "kiosk", "devices", "--udev-rule", "printer=/dev/ttyUSB97"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2 and "no serial port '/dev/ttyUSB97' attached" in done.stderr
