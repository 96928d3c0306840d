"""`kiosk legal-aid export|purge|count`: hand stored pre-applications to the legal-aid office, then drop them.

Why: the kiosk keeps a pre-application only until the office takes it (DESIGN §7); a technician or the office's
staff runs the export on the kiosk (or from its data directory) and carries the JSON file away.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.config.loader import load
from kiosk.core.clock import SystemClock
from kiosk.services.legal_aid_application import LegalAidApplications
from kiosk.storage.db import Database


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk legal-aid`."""
    parser = subparsers.add_parser("legal-aid", help="legal-aid pre-applications (export to the office, purge)")
    sub = parser.add_subparsers(dest="legal_aid_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="write waiting pre-applications (decrypted) as JSON, then drop them")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.json", help="where to write them")
    export.set_defaults(handler=_export)
    purge = sub.add_parser("purge", help="delete pre-applications past the retention period")
    purge.set_defaults(handler=_purge)
    count = sub.add_parser("count", help="print how many are waiting and how many were handed over (JSON)")
    count.set_defaults(handler=_count)


def _with_service(action) -> int:
    config = load().config
    clock = SystemClock()
    db = Database(Path(config.paths.data_dir) / config.storage.db_filename, clock,
                  busy_timeout_ms=config.storage.busy_timeout_ms)
    db.start()
    try:
        db.wait_open()
        return action(LegalAidApplications(config.legal_aid, config.kiosk.id, db, clock))
    finally:
        db.stop()


def _export(args: argparse.Namespace) -> int:
    def run(service: LegalAidApplications) -> int:
        purged = service.purge_expired()
        handed = service.export(args.out)
        print(json.dumps({"exported": handed, "purged_expired": purged, "out": str(args.out)}))
        return 0

    return _with_service(run)


def _purge(_args: argparse.Namespace) -> int:
    return _with_service(lambda service: print(json.dumps({"purged_expired": service.purge_expired()})) or 0)


def _count(_args: argparse.Namespace) -> int:
    return _with_service(lambda service: print(json.dumps(service.counts())) or 0)
