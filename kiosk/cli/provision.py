"""`kiosk provision ca|broker-cert|broker-auth|kiosk`: the bureau's credentials for its site broker and kiosks.

deploy/mosquitto/README.md gives the order a site runs them in.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.core.errors import BAD_USAGE, KioskError


def _secret(path: str) -> str:
    try:
        secret = Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise KioskError(BAD_USAGE, f"{path}: {exc}") from None
    if not secret:
        raise KioskError(BAD_USAGE, f"{path} is empty")
    return secret


def _load_ca(ca_dir: str):
    from kiosk.fleet.console import pki

    try:
        return pki.load(Path(ca_dir) / "ca")
    except (OSError, ValueError) as exc:
        raise KioskError(BAD_USAGE, f"CA in {ca_dir}: {exc}") from None


def _write(pair, stem: Path) -> None:
    from kiosk.fleet.console import pki

    stem.parent.mkdir(parents=True, exist_ok=True)
    try:
        cert, key = pki.write(pair, stem)
    except FileExistsError as exc:
        raise KioskError(BAD_USAGE, str(exc)) from None
    print(f"wrote {cert} and {key}")


def _ca(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import pki

    _write(pki.make_ca(args.name), Path(args.dir) / "ca")
    return 0


def _broker_cert(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import pki

    _write(pki.issue(_load_ca(args.ca_dir), args.names[0], server_names=tuple(args.names)), Path(args.out) / "broker")
    return 0


def _broker_auth(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import broker_auth
    from kiosk.fleet.console.provision import write_document

    path = Path(args.file)
    if path.exists():
        raise KioskError(BAD_USAGE, f"{path} exists: it holds the site's identities; add kiosks with "
                                    "`kiosk provision kiosk` instead")
    write_document(path, broker_auth.new_document(_secret(args.admin_password_file),
                                                  _secret(args.console_password_file), args.group))
    print(f"wrote {path}: administrator {broker_auth.ADMIN_USER}, console {broker_auth.CONSOLE_USER}, no kiosks")
    return 0


def _kiosk(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import broker_auth
    from kiosk.fleet.console.provision import provision_kiosk
    from kiosk.fleet.console.server import BrokerSettings

    password = _secret(args.password_file) if args.password_file else None
    ca = _load_ca(args.ca_dir)
    if args.auth_file:
        paths = provision_kiosk(args.kid, args.region, ca, Path(args.out), auth_file=Path(args.auth_file),
                                password=password)
    else:
        if not args.admin_password_file:
            raise KioskError(BAD_USAGE, "give --admin-password-file (running broker) or --auth-file (stopped one)")
        admin = BrokerSettings(host=args.host, port=args.port, username=broker_auth.ADMIN_USER,
                               password=_secret(args.admin_password_file), ca_file=args.ca_file)
        paths = provision_kiosk(args.kid, args.region, ca, Path(args.out), admin=admin, password=password)
    print(f"{args.kid} may connect in region {args.region}; install {paths[0]} and {paths[1]} on it "
          "as fleet.cert_file and fleet.key_file", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk provision` and its subcommands."""
    parser = subparsers.add_parser("provision", help="bureau CA, broker certificate and identities, kiosk credentials")
    commands = parser.add_subparsers(dest="provision_command", metavar="ACTION", required=True)

    ca = commands.add_parser("ca", help="make the bureau's fleet CA (DIR/ca.pem, DIR/ca.key)")
    ca.add_argument("dir")
    ca.add_argument("--name", default="Bureau of Justice kiosk fleet CA", help="the CA's common name")
    ca.set_defaults(handler=_ca)

    cert = commands.add_parser("broker-cert", help="the broker's server certificate (OUT/broker.pem, broker.key)")
    cert.add_argument("out")
    cert.add_argument("--ca-dir", required=True, help="directory holding ca.pem and ca.key")
    cert.add_argument("--name", dest="names", action="append", required=True,
                      help="host name or IP address kiosks and the console dial (repeat for several)")
    cert.set_defaults(handler=_broker_cert)

    auth = commands.add_parser("broker-auth", help="the dynamic-security file of a new site broker")
    auth.add_argument("file", help="e.g. /var/lib/mosquitto/dynamic-security.json (the broker must be stopped)")
    auth.add_argument("--admin-password-file", required=True,
                      help="password of the plugin's administrator (fleet-admin)")
    auth.add_argument("--console-password-file", required=True, help="password of the console (fleet-ingest)")
    auth.add_argument("--group", default="ingest", help="shared-subscription group of the ingest workers")
    auth.set_defaults(handler=_broker_auth)

    kiosk = commands.add_parser("kiosk", help="issue a kiosk's certificate and add its broker identity")
    kiosk.add_argument("kid", help="kiosk id: certificate CN, MQTT username and client id")
    kiosk.add_argument("--region", required=True, help="the region its topics live under; it may publish no other")
    kiosk.add_argument("--ca-dir", required=True, help="directory holding ca.pem and ca.key")
    kiosk.add_argument("--out", required=True, help="directory for KID.pem and KID.key")
    kiosk.add_argument("--admin-password-file", default="", help="administrator password: add to a running broker")
    kiosk.add_argument("--host", default="127.0.0.1", help="broker host (its console listener)")
    kiosk.add_argument("--port", type=int, default=8884, help="broker port (its console listener)")
    kiosk.add_argument("--ca-file", default=None, help="CA (PEM) of the broker's certificate; omit for plain TCP")
    kiosk.add_argument("--auth-file", default="",
                       help="instead: add to this dynamic-security file of a stopped broker")
    kiosk.add_argument("--password-file", default="",
                       help="also let the kiosk log in with this password (sites without kiosk certificates)")
    kiosk.set_defaults(handler=_kiosk)
