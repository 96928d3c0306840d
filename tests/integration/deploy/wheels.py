"""Another release of the kiosk made from a built wheel: a new version, optionally with files replaced.

Why: the upgrade and rollback tests need a second and a third release; rebuilding the project twice more would
triple the test's time, and a wheel is a zip whose version lives in two names and one metadata line.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

from kiosk.release.unpack import DISTRIBUTION, wheel_version


def derive(wheel: Path, out_dir: Path, version: str, replace: dict[str, bytes] | None = None) -> Path:
    """Write `wheel` again as `version` (dist-info renamed, METADATA and RECORD rewritten) with `replace` applied."""
    old = wheel_version(wheel)
    old_info, new_info = f"{DISTRIBUTION}-{old}.dist-info/", f"{DISTRIBUTION}-{version}.dist-info/"
    target = out_dir / wheel.name.replace(f"-{old}-", f"-{version}-")
    replace = replace or {}
    records = []
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            name = item.filename.replace(old_info, new_info)
            if name == f"{new_info}RECORD":
                continue
            data = replace.get(name, source.read(item))
            if name == f"{new_info}METADATA":
                data = data.replace(f"\nVersion: {old}\n".encode(), f"\nVersion: {version}\n".encode())
            out.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            records.append(f"{name},sha256={digest},{len(data)}")
        records.append(f"{new_info}RECORD,,")
        out.writestr(f"{new_info}RECORD", "\n".join(records) + "\n")
    return target


def read_member(wheel: Path, name: str) -> bytes:
    """One file of a wheel."""
    with zipfile.ZipFile(wheel) as source:
        return source.read(name)
