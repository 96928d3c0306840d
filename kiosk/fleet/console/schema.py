"""The console store's tables as SQLAlchemy Core objects: what the queries of every module are written against.

Why: one description of the tables serves SQLite and PostgreSQL alike; the migrations under `migrations/versions`
build exactly this (a unit test compares them). Seqs, epochs and times (ms) are 64-bit; JSON documents are kept
as text, as they were received or encoded.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, SmallInteger, Table, Text, text

metadata = MetaData()

Id = BigInteger().with_variant(Integer, "sqlite")
"""A generated row id: SQLite numbers only an INTEGER PRIMARY KEY itself."""


def _ms(name: str, **options) -> Column:
    return Column(name, BigInteger, **options)


kiosks = Table(
    "kiosks", metadata,
    Column("kid", Text, primary_key=True), Column("region", Text, nullable=False),
    Column("online", SmallInteger, nullable=False, server_default="0"),
    Column("sess", BigInteger, nullable=False, server_default="0"),
    _ms("changed_ms", nullable=False, server_default="0"), _ms("last_seen_ms", nullable=False, server_default="0"),
    Column("boot", Text), Column("sw", Text), Column("birth", Text),
    Column("applied_version", BigInteger, nullable=False, server_default="0"), Column("reported", Text),
    _ms("clock_offset_ms"),
)

streams = Table(
    "streams", metadata,
    Column("kid", Text, primary_key=True), Column("stream", Text, primary_key=True),
    Column("epoch", BigInteger, primary_key=True),
    Column("upto", BigInteger, nullable=False), Column("high", BigInteger, nullable=False),
    Column("refused", BigInteger, nullable=False, server_default="0"),
    Column("dropped", BigInteger, nullable=False, server_default="0"),
    Column("announced", BigInteger, nullable=False, server_default="0"),
    Column("seen", BigInteger, nullable=False, server_default="0"),
    Column("ceiling", BigInteger), _ms("floor_ms"), _ms("t_max_ms"), _ms("resend_ms"),
)

desired = Table(
    "desired", metadata,
    Column("kid", Text, primary_key=True), Column("region", Text, nullable=False),
    Column("version", BigInteger, nullable=False), Column("config", Text, nullable=False),
    _ms("updated_ms", nullable=False),
)

commands = Table(
    "commands", metadata,
    Column("id", Text, primary_key=True), Column("kid", Text, nullable=False), Column("region", Text, nullable=False),
    Column("name", Text, nullable=False), Column("args", Text, nullable=False),
    _ms("issued_ms", nullable=False), _ms("expires_ms", nullable=False),
    Column("phase", Text), Column("code", Integer), Column("result", Text), Column("error", Text),
    _ms("updated_ms", nullable=False),
)

jobs = Table(
    "jobs", metadata,
    Column("id", Text, primary_key=True), Column("kid", Text, primary_key=True),
    Column("region", Text, nullable=False), Column("exec_ver", BigInteger, nullable=False),
    Column("document", Text, nullable=False), _ms("issued_ms", nullable=False),
    Column("status", Text, nullable=False, server_default="QUEUED"),
    Column("progress_cnt", BigInteger), Column("progress_of", BigInteger), Column("error", Text),
    _ms("updated_ms", nullable=False),
)

batches = Table(
    "batches", metadata,
    Column("kid", Text, primary_key=True), Column("stream", Text, primary_key=True),
    Column("epoch", BigInteger, primary_key=True), Column("first", BigInteger, primary_key=True),
    Column("last", BigInteger, nullable=False), Column("region", Text, nullable=False),
    Column("q", BigInteger, nullable=False), _ms("offset_ms", nullable=False), _ms("received_ms", nullable=False),
    Column("payload", Text, nullable=False),
)
"""Telemetry as received: one row per seq range `first`…`last` of a batch that no earlier row covered."""

daily_counts = Table(
    "daily_counts", metadata,
    Column("day", Integer, primary_key=True), Column("kid", Text, primary_key=True),
    Column("region", Text, primary_key=True), Column("kind", Text, primary_key=True),
    Column("data", Text, primary_key=True), Column("n", Integer, nullable=False),
)
"""Events per China day number, kiosk, kind and content: what the reports read."""

quarantine = Table(
    "quarantine", metadata,
    Column("kid", Text, primary_key=True), Column("stream", Text, primary_key=True),
    Column("epoch", BigInteger, primary_key=True), Column("first", BigInteger, primary_key=True),
    Column("last", BigInteger, primary_key=True), Column("reason", Text, primary_key=True),
    Column("region", Text, nullable=False), _ms("received_ms", nullable=False),
    Column("hits", Integer, nullable=False, server_default="1"), Column("detail", Text, nullable=False),
    Column("payload", Text, nullable=False),
)

rewinds = Table(
    "rewinds", metadata,
    Column("kid", Text, primary_key=True), Column("stream", Text, primary_key=True),
    Column("epoch", BigInteger, primary_key=True), Column("region", Text, nullable=False),
    Column("cause", Text, nullable=False), Column("high", BigInteger, nullable=False),
    Column("ceiling", BigInteger, nullable=False), _ms("detected_ms", nullable=False), Column("command_id", Text),
    _ms("forced_ms"), Column("new_epoch", BigInteger), _ms("resolved_ms"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", Id, primary_key=True, autoincrement=True), _ms("at_ms", nullable=False),
    Column("kid", Text, nullable=False), Column("region", Text, nullable=False), Column("kind", Text, nullable=False),
    Column("stream", Text), Column("epoch", BigInteger), Column("detail", Text, nullable=False),
    _ms("updated_ms"), _ms("closed_ms"),
    Index("alerts_kid", "kid", "at_ms"),
    Index("alerts_open", "kid", "kind", unique=True, sqlite_where=text("closed_ms IS NULL"),
          postgresql_where=text("closed_ms IS NULL")),
)
"""What the operators are told: a condition (`alerts.RULES`) open from `at_ms` while `closed_ms` is NULL, at most
one open per kiosk and kind; a finding (`trust`) opened and closed at once."""

notices = Table(
    "notices", metadata,
    Column("id", Id, primary_key=True, autoincrement=True), Column("alert_id", BigInteger, nullable=False),
    Column("event", Text, nullable=False), Column("text", Text, nullable=False), _ms("created_ms", nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"), _ms("next_ms", nullable=False),
    _ms("claimed_until_ms"), _ms("sent_ms"), Column("error", Text),
    Index("notices_due", "sent_ms", "next_ms"),
)
"""Webhook messages owed for alerts (open, update, close), each sent once by whichever worker claims it."""

device_states = Table(
    "device_states", metadata,
    Column("kid", Text, primary_key=True), Column("device", Text, primary_key=True),
    Column("state", Text, nullable=False), Column("code", Text), _ms("t_ms", nullable=False),
)
"""Each kiosk's latest reported state per device (`printer.paper`, or a device's fault), by event time."""

users = Table(
    "users", metadata,
    Column("username", Text, primary_key=True), Column("password_hash", Text, nullable=False),
    Column("role", Text, nullable=False), _ms("created_ms", nullable=False),
)
"""The web console's operators: a role (viewer, operator, administrator) and an Argon2id hash of the password."""

web_sessions = Table(
    "web_sessions", metadata,
    Column("token_hash", Text, primary_key=True), Column("username", Text, nullable=False),
    Column("csrf", Text, nullable=False), _ms("created_ms", nullable=False), _ms("expires_ms", nullable=False),
)
"""Logged-in browsers: the SHA-256 of the cookie's token (the token itself is never stored) and the form token."""

audit = Table(
    "audit", metadata,
    Column("id", Id, primary_key=True, autoincrement=True), _ms("at_ms", nullable=False),
    Column("username", Text, nullable=False), Column("action", Text, nullable=False),
    Column("target", Text, nullable=False), Column("detail", Text, nullable=False),
    Index("audit_at", "at_ms"),
)
"""Every operator action of the web console (and its refusals), newest last."""

login_failures = Table(
    "login_failures", metadata,
    Column("kind", Text, primary_key=True), Column("name", Text, primary_key=True),
    Column("failures", Integer, nullable=False), _ms("last_ms", nullable=False),
)
"""Failed web console logins in a row per account and per source address (`web.throttle`), while they matter."""

health_samples = Table(
    "health_samples", metadata,
    Column("kid", Text, primary_key=True), _ms("at_ms", primary_key=True), _ms("span_ms", nullable=False),
    Column("samples", Integer, nullable=False), Column("online", Integer, nullable=False), Column("paper", Text),
    Column("faults", Text, nullable=False), Column("backlog", BigInteger, nullable=False), _ms("clock_offset_ms"),
    Column("sw", Text), Column("applied_version", BigInteger, nullable=False), Column("desired_version", BigInteger),
    Column("content_version", Text),
    Index("health_samples_at", "at_ms"),
)
"""Each kiosk's health over time (`history`): a five-minute or hourly slot from `at_ms`, how many samples it folds
and how many were online, the worst paper state and faults, the largest backlog and clock offset, the last versions."""
