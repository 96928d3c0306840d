"""`kiosk fleet serve|status|config|cmd|job|report`: the reference central server and its operator commands."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from datetime import date
from pathlib import Path

from kiosk.core.clock import SystemClock
from kiosk.core.errors import BAD_USAGE, KioskError

DEFAULT_DB = "fleet-console.db"


def _broker(args: argparse.Namespace):
    from kiosk.fleet.console.server import BrokerSettings

    password = Path(args.password_file).read_text(encoding="utf-8").strip() if args.password_file else None
    return BrokerSettings(host=args.host, port=args.port, username=args.username, password=password,
                          ca_file=args.ca_file, cert_file=args.cert_file, key_file=args.key_file)


def _store(args: argparse.Namespace):
    from kiosk.fleet.console.server import open_store

    db = open_store(args.db)
    db.start()
    return db


def _serve(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import settings
    from kiosk.fleet.console.server import IngestServer
    from kiosk.fleet.console.watch import AlertWatch

    console_settings = settings.load(Path(args.config) if args.config else None)
    db = _store(args)
    watch = AlertWatch(db, console_settings, SystemClock())
    server = IngestServer(db, _broker(args), SystemClock(), client_id=args.client_id, group=args.group,
                          reorder_timeout_s=args.reorder_timeout)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server.start()
    watch.start()
    while not stop.is_set():
        if server.connected.wait(0.2):
            print(f"fleet console ingesting as {args.client_id} (group {args.group}) into "
                  f"{db.url.render_as_string()}", file=sys.stderr, flush=True)
            break
    stop.wait()
    watch.stop()
    server.stop()
    db.stop()
    return 0


def _web(args: argparse.Namespace) -> int:
    import uvicorn

    from kiosk.fleet.console import settings
    from kiosk.fleet.console.web.app import build_app

    console_settings = settings.load(Path(args.config) if args.config else None)
    db = _store(args)
    try:
        uvicorn.run(build_app(db, _broker(args), SystemClock(), console_settings), host=args.listen,
                    port=args.http_port,
                    log_level="warning", proxy_headers=True)
    finally:
        db.stop()
    return 0


def _user(args: argparse.Namespace) -> int:
    import getpass

    from kiosk.fleet.console.web import auth

    if args.password_file:
        password = Path(args.password_file).read_text(encoding="utf-8").strip()
    else:
        password = getpass.getpass(f"password for {args.name}: ")
    db = _store(args)
    try:
        db.call(lambda c: auth.add_user(c, args.name, password, args.role, int(time.time() * 1000)))
    except ValueError as exc:
        raise KioskError(BAD_USAGE, str(exc)) from None
    finally:
        db.stop()
    print(f"console user {args.name} ({args.role}) saved")
    return 0


def _status(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import alerts as operator_alerts
    from kiosk.fleet.console import status, store, trust
    from kiosk.fleet.console.web.queries import presence

    db = _store(args)
    try:
        rows = db.call(store.kiosk_rows)
        alerts = db.call(lambda d: trust.alert_rows(d, status.ALERTS_SHOWN))
        open_alerts = db.call(operator_alerts.open_rows)
    finally:
        db.stop()
    now_ms = int(time.time() * 1000)
    for row in rows:
        row["presence"] = presence(row["online"], row["changed_ms"], now_ms)
    print(status.to_json(rows, alerts, open_alerts) if args.json else status.to_text(rows, alerts, open_alerts))
    return 0


def _config(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import control

    try:
        overlay = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KioskError(BAD_USAGE, f"{args.file}: {exc}") from None
    db = _store(args)
    try:
        desired = control.send_desired(db, _broker(args), SystemClock(), args.kid, overlay)
    finally:
        db.stop()
    print(f"desired version {desired.version} published to {args.kid}")
    return 0


def _parse_args(pairs: list[str]) -> dict:
    parsed = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise KioskError(BAD_USAGE, f"argument {pair!r} is not KEY=VALUE")
        try:
            parsed[key] = json.loads(value)
        except ValueError:
            parsed[key] = value
    return parsed


def _cmd(args: argparse.Namespace) -> int:
    from kiosk.fleet.console import control, store

    db = _store(args)
    try:
        command = control.send_command(db, _broker(args), SystemClock(), args.kid, args.name,
                                       _parse_args(args.args), ttl_s=args.ttl)
        deadline = time.monotonic() + args.wait
        row = db.call(lambda d: store.command_row(d, command.id))
        while row["phase"] != "final" and time.monotonic() < deadline:
            threading.Event().wait(0.2)
            row = db.call(lambda d: store.command_row(d, command.id))
    finally:
        db.stop()
    print(json.dumps(row, ensure_ascii=False))
    return 0 if row["phase"] != "final" or row["code"] == 200 else 1


def _job(args: argparse.Namespace) -> int:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from kiosk.fleet import protocol
    from kiosk.fleet.console import control, store

    try:
        signing_key = load_pem_private_key(Path(args.signing_key).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise KioskError(BAD_USAGE, f"{args.signing_key}: {exc}") from None
    db = _store(args)
    try:
        job = control.send_job(db, _broker(args), SystemClock(), args.kid,
                               job_id=args.job or f"{args.kind.replace('_', '-')}-{args.version.replace('.', '-')}",
                               version=args.version, pack=Path(args.pack), url=args.url, signing_key=signing_key,
                               ttl_s=args.ttl, kind=args.kind)
        deadline = time.monotonic() + args.wait
        row = db.call(lambda d: store.job_row(d, job.job, args.kid))
        while row["status"] not in protocol.JOB_FINAL and time.monotonic() < deadline:
            threading.Event().wait(0.5)
            row = db.call(lambda d: store.job_row(d, job.job, args.kid))
    finally:
        db.stop()
    print(json.dumps({k: v for k, v in row.items() if k != "document"}, ensure_ascii=False))
    return 1 if row["status"] in protocol.JOB_FINAL and row["status"] != "SUCCEEDED" else 0


def _report(args: argparse.Namespace) -> int:
    from kiosk.legal.loader import load_topics
    from kiosk.legal.service import DEFAULT_CONTENT_ROOT
    from kiosk.fleet.console import report

    try:
        first, last = date.fromisoformat(args.from_), date.fromisoformat(args.to)
    except ValueError as exc:
        raise KioskError(BAD_USAGE, str(exc)) from None
    db = _store(args)
    try:
        topics = load_topics(Path(args.content) if args.content else DEFAULT_CONTENT_ROOT)
        table = db.call(lambda d: report.build(d, first, last, args.by, {t.id: t.name for t in topics.values()}))
    finally:
        db.stop()
    if args.format == "csv":
        text = report.to_csv(table)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if not args.out:
        raise KioskError(BAD_USAGE, "--format png needs --out FILE")
    report.to_png(table, Path(args.out))
    return 0


def _add_broker_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="broker host")
    parser.add_argument("--port", type=int, default=8884, help="broker port (the server listener)")
    parser.add_argument("--username", default="fleet-ingest", help="server principal")
    parser.add_argument("--password-file", default="", help="file holding the principal's password")
    parser.add_argument("--ca-file", default=None, help="CA (PEM) for TLS; omit for a plain loopback broker")
    parser.add_argument("--cert-file", default=None, help="client certificate (PEM), if the listener wants one")
    parser.add_argument("--key-file", default=None, help="client key (PEM)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `kiosk fleet` and its subcommands."""
    parser = subparsers.add_parser("fleet", help="central server: ingest, status, config, commands, reports")
    commands = parser.add_subparsers(dest="fleet_command", metavar="ACTION", required=True)

    def sub(name: str, help_text: str, handler, broker: bool) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        p.add_argument("--db", default=DEFAULT_DB, help="console database: a SQLite file, sqlite:///FILE or "
                                                        "postgresql://USER@HOST:PORT/NAME")
        if broker:
            _add_broker_args(p)
        p.set_defaults(handler=handler)
        return p

    serve = sub("serve", "ingest telemetry and presence until stopped", _serve, True)
    serve.add_argument("--client-id", default="fleet-ingest-1", help="fixed client id of this worker")
    serve.add_argument("--group", default="ingest", help="shared-subscription group of the workers")
    serve.add_argument("--config", default="", help="console settings (TOML): alert thresholds, the webhook")
    serve.add_argument("--reorder-timeout", type=float, default=10.0,
                       help="seconds a gap in a kiosk's seqs may stay open before a resend is asked for")
    status = sub("status", "kiosks with presence, config versions, events, gaps, drops, batches quarantined, "
                           "rewinds and epochs forced; the latest alerts", _status, False)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    config = sub("config", "publish a desired configuration overlay (JSON file) to a kiosk", _config, True)
    config.add_argument("kid")
    config.add_argument("file")
    cmd = sub("cmd", "send an allow-listed command and wait for its final reply", _cmd, True)
    cmd.add_argument("kid")
    cmd.add_argument("name")
    cmd.add_argument("args", nargs="*", help="KEY=VALUE (VALUE parsed as JSON when it is)")
    cmd.add_argument("--ttl", type=int, default=600, help="seconds until the command expires")
    cmd.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the final reply")
    job = sub("job", "send a signed content pack (tar.gz served over HTTP(S)) to a kiosk as a job", _job, True)
    job.add_argument("kid")
    job.add_argument("pack", help="the pack archive (.tar.gz of the content directory) to sign")
    job.add_argument("--url", required=True, help="where kiosks download that same file")
    job.add_argument("--version", required=True, help="pack version label, e.g. 2026.12.1")
    job.add_argument("--job", default="", help="job id (default: KIND-VERSION); reissuing bumps exec_ver")
    job.add_argument("--kind", choices=("content", "app_update"), default="content",
                     help="content: a content pack; app_update: a kiosk release (its wheel, or a bundle as a tar)")
    job.add_argument("--signing-key", required=True, help="the bureau's Ed25519 private key (PEM)")
    job.add_argument("--ttl", type=int, default=7 * 24 * 3600, help="seconds until the job expires")
    job.add_argument("--wait", type=float, default=0.0, help="seconds to wait for the kiosk's final state")
    web = sub("web", "serve the operators' web console (Chinese; login with roles)", _web, True)
    web.add_argument("--listen", default="127.0.0.1", help="address to serve on (put TLS in front of it)")
    web.add_argument("--http-port", type=int, default=8080, help="HTTP port")
    web.add_argument("--config", default="", help="console settings (TOML): the content packs it may roll out")
    user = sub("user", "create a web console user or reset their password and role", _user, False)
    user.add_argument("name")
    user.add_argument("--role", choices=("viewer", "operator", "administrator"), required=True)
    user.add_argument("--password-file", default="", help="file holding the password (default: ask)")
    rep = sub("report", "the bureau's figures for a period as CSV or a PNG chart", _report, False)
    rep.add_argument("--from", dest="from_", required=True, help="first day, YYYY-MM-DD (China time)")
    rep.add_argument("--to", required=True, help="last day, YYYY-MM-DD (inclusive)")
    rep.add_argument("--by", choices=("region", "kiosk", "topic", "group"), default="region")
    rep.add_argument("--format", choices=("csv", "png"), default="csv")
    rep.add_argument("--out", default="", help="output file (required for png)")
    rep.add_argument("--content", default="", help="content pack directory whose topic names the report uses "
                                                   "(default: the packaged pack; other topic ids print as ids)")
