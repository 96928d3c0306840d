"""Finding the technician's USB stick: the configured directory, else the stick mounted last under /media."""

import pytest

from kiosk.runtime.usb_stick import NoStick, removable_mounts, stick_directory

MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev 0 0
/dev/sdb1 /media/kiosk-usb vfat rw,uid=999,gid=999 0 0
/dev/sdc1 /run/media/tech/MY\\040STICK exfat rw 0 0
/dev/sda3 /var/lib/kiosk ext4 rw 0 0
"""


def test_removable_mounts_are_those_under_media_in_mount_order_with_spaces_decoded():
    assert [str(p) for p in removable_mounts(MOUNTS)] == ["/media/kiosk-usb", "/run/media/tech/MY STICK"]


def test_the_stick_mounted_last_is_chosen(tmp_path):
    table = tmp_path / "mounts"
    table.write_text(MOUNTS)
    assert str(stick_directory("", table)) == "/run/media/tech/MY STICK"


def test_no_stick_mounted_or_a_configured_directory_missing_is_no_stick(tmp_path):
    table = tmp_path / "mounts"
    table.write_text("/dev/sda2 / ext4 rw 0 0\n")
    with pytest.raises(NoStick, match="nothing mounted under /media/"):
        stick_directory("", table)
    with pytest.raises(NoStick, match="is not a directory"):
        stick_directory(str(tmp_path / "absent"), table)


def test_a_configured_directory_wins_over_the_mounts(tmp_path):
    table = tmp_path / "mounts"
    table.write_text(MOUNTS)
    assert stick_directory(str(tmp_path), table) == tmp_path
