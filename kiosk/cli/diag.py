"""`kiosk diag bundle [--to DIR]`: write the diagnostic bundle (kiosk.runtime.diag_bundle) from a shell on the terminal.

Why beside the menu's button: a technician with a laptop on the terminal's console, or a kiosk that will not start,
still gets the same bundle; the database is read read-only, so the running kiosk is not disturbed.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime, timezone
from pathlib import Path


def _bundle(args: argparse.Namespace) -> int:
    from kiosk.runtime.diag_bundle import export_from_files
    from kiosk.config.loader import load

    written = export_from_files(load(), datetime.now(timezone.utc), args.to)
    print(json.dumps({"path": str(written.path), "bytes": written.size, "files": list(written.files)}))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk diag`."""
    parser = subparsers.add_parser("diag", help="diagnostics for a support call (bundle to a USB stick)")
    sub = parser.add_subparsers(dest="diag_command", metavar="ACTION", required=True)
    bundle = sub.add_parser("bundle", help="write logs, health, versions, counts and the configuration without "
                                           "secrets as one zip")
    bundle.add_argument("--to", type=Path, default=None, metavar="DIR",
                        help="directory to write to (default: maintenance.bundle_dir, else the USB stick mounted "
                             "last under /media or /run/media)")
    bundle.set_defaults(handler=_bundle)
