"""The fleet protocol contract (research/fleet_mqtt.md §3): topics, message schemas, result codes, validation.

Why: the kiosk agent and the central server import this one module, so both sides agree byte for byte, and
every inbound payload is checked here before anyone acts on it. A payload that is oversized, not JSON, of the
wrong shape or version, expired or on the wrong topic raises `Rejected` with a plain reason; never a crash.

Major version in the topic (`kiosk/v1/…`), minor in the payload field `v`. Topic tree (`{r}` region, `{k}` kid):

| topic                         | dir     | retain | model         |
|-------------------------------|---------|--------|---------------|
| kiosk/v1/{r}/{k}/state        | dev→srv | yes    | State         |
| kiosk/v1/{r}/{k}/up/birth     | dev→srv | no     | Birth         |
| kiosk/v1/{r}/{k}/up/tel/{s}   | dev→srv | no     | Batch         |
| kiosk/v1/{r}/{k}/up/reported  | dev→srv | no     | Reported      |
| kiosk/v1/{r}/{k}/up/res       | dev→srv | no     | CommandResult |
| kiosk/v1/{r}/{k}/up/req       | dev→srv | no     | Request       |
| kiosk/v1/{r}/{k}/up/job       | dev→srv | no     | JobStatus     |
| kiosk/v1/{r}/{k}/down/desired | srv→dev | yes    | Desired       |
| kiosk/v1/{r}/{k}/down/cmd     | srv→dev | no     | Command       |
| kiosk/v1/{r}/_all/down/cmd    | srv→dev | no     | Command       |
| kiosk/v1/{r}/{k}/down/ack     | srv→dev | no     | Ack           |
| kiosk/v1/{r}/{k}/down/res     | srv→dev | no     | Response      |
| kiosk/v1/{r}/{k}/down/job     | srv→dev | yes    | Job           |
| kiosk/v1/_srv/state           | srv→all | yes    | ServerState   |

Every message is published with QoS 1. Times are UTC epoch milliseconds (`*_ms` or `t`).

Minor versions: 1 is the first contract; 2 sends telemetry batches by columns (`Batch`: integer arrays plus a
per-batch vocabulary of distinct events, one boot per batch). Minor-1 batches, one JSON object per event, were
never deployed and are refused; every other message of minor 1 is read as before.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

MAJOR = 1
"""Protocol major version: part of every topic; a breaking change means `kiosk/v2/…` run side by side."""

MINOR = 2
"""Highest payload minor version this code reads and writes (the `v` field)."""

COLUMNAR_MINOR = 2
"""First minor whose telemetry batches are by columns; batches of an older minor are refused."""

ROOT = f"kiosk/v{MAJOR}"

QOS = 1
"""Every message is QoS 1: QoS 0 is lost while offline, QoS 2 duplicates on reconnect (research §4 #3, #13)."""

MAX_PAYLOAD_BYTES = 65536
"""Largest payload either side accepts, in bytes; bulky content travels as a job over HTTPS instead."""

BATCH_MAX_BYTES = 60000
"""Bytes a telemetry batch is filled to at most, leaving room under MAX_PAYLOAD_BYTES for the envelope."""

STREAMS = ("audit", "usage", "hw", "ui")
"""Telemetry streams in drain priority order; eviction goes the other way and never touches `audit`."""

BOOT_ID_MAX_CHARS = 64
"""Length of a boot id at most (the kernel's is a 36-character UUID)."""

BATCH_MAX_EVENTS = 1000
"""Events one telemetry batch carries at most (`FleetConfig.batch_max_events` is capped to it)."""

ALL_KIOSKS = "_all"
SERVER_SEGMENT = "_srv"

_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_ID = r"^[A-Za-z0-9_-]{1,64}$"

Stream = Literal["audit", "usage", "hw", "ui"]
Millis = Annotated[int, Field(ge=0, lt=2**53)]
Count = Annotated[int, Field(ge=0, lt=2**63)]
"""A count or version; below 2**63 like every integer here, so that it fits the console's SQLite columns (a
larger one would fail the whole transaction it arrived in, and that run would be redelivered for ever)."""
OffsetMillis = Annotated[int, Field(gt=-(2**53), lt=2**53)]
Seq = Annotated[int, Field(ge=1, lt=2**63)]
Epoch = Annotated[int, Field(ge=1, lt=2**63)]
Version = Annotated[int, Field(ge=1, le=MINOR)]


class Code(enum.IntEnum):
    """HTTP-like result codes of command replies and request responses (research §3.6)."""

    OK = 200
    ACCEPTED = 202
    BAD_REQUEST = 400
    NOT_FOUND = 404
    CONFLICT = 409
    GONE = 410
    TOO_LARGE = 413
    RATE_LIMITED = 429
    FAILED = 500
    UNAVAILABLE = 503


class Kind(enum.Enum):
    """What a topic carries; the key into `MODELS`."""

    STATE = "state"
    SERVER_STATE = "srv_state"
    BIRTH = "birth"
    TELEMETRY = "tel"
    REPORTED = "reported"
    COMMAND_RESULT = "res"
    REQUEST = "req"
    DESIRED = "desired"
    COMMAND = "cmd"
    ACK = "ack"
    RESPONSE = "down_res"
    JOB = "job"
    JOB_STATUS = "job_status"


_UP_KINDS = {"birth": Kind.BIRTH, "reported": Kind.REPORTED, "res": Kind.COMMAND_RESULT, "req": Kind.REQUEST,
             "job": Kind.JOB_STATUS}
_DOWN_KINDS = {"desired": Kind.DESIRED, "cmd": Kind.COMMAND, "ack": Kind.ACK, "res": Kind.RESPONSE,
               "job": Kind.JOB}


class Rejected(ValueError):
    """An inbound message refused; `reply_id` is the command/request id when a reply is still owed."""

    def __init__(self, reason: str, code: Code = Code.BAD_REQUEST, reply_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.reply_id = reply_id


# ---- topics -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topics:
    """The topics of one kiosk."""

    region: str
    kid: str

    def __post_init__(self) -> None:
        for value in (self.region, self.kid):
            if not _SEGMENT.match(value) or value in (ALL_KIOSKS, SERVER_SEGMENT):
                raise ValueError(f"not a valid topic segment: {value!r}")

    @property
    def base(self) -> str:
        return f"{ROOT}/{self.region}/{self.kid}"

    @property
    def state(self) -> str:
        return f"{self.base}/state"

    def up(self, kind: str) -> str:
        """`up/birth`, `up/reported`, `up/res`, `up/req`, `up/job`."""
        return f"{self.base}/up/{kind}"

    def tel(self, stream: str) -> str:
        return f"{self.base}/up/tel/{stream}"

    def down(self, kind: str) -> str:
        """`down/desired`, `down/cmd`, `down/ack`, `down/res`, `down/job`."""
        return f"{self.base}/down/{kind}"

    @property
    def subscriptions(self) -> tuple[str, ...]:
        """What a kiosk subscribes to after every connect, before it announces itself (§3.3 step 1)."""
        return (f"{self.base}/down/#", f"{ROOT}/{self.region}/{ALL_KIOSKS}/down/#", SERVER_STATE_TOPIC)


SERVER_STATE_TOPIC = f"{ROOT}/{SERVER_SEGMENT}/state"


@dataclass(frozen=True, slots=True)
class TopicRef:
    """A parsed topic: whose it is and what it carries; `kid` is `_all` for a regional broadcast."""

    kind: Kind
    region: str = ""
    kid: str = ""
    stream: str = ""


def parse_topic(topic: str) -> TopicRef:
    """Map a topic to what it carries; Rejected for anything outside the tree above."""
    if topic == SERVER_STATE_TOPIC:
        return TopicRef(Kind.SERVER_STATE)
    parts = topic.split("/")
    if len(parts) < 4 or "/".join(parts[:2]) != ROOT:
        raise Rejected(f"topic outside {ROOT}: {topic[:120]!r}")
    region, kid, rest = parts[2], parts[3], parts[4:]
    if not (_SEGMENT.match(region) and _SEGMENT.match(kid)):
        raise Rejected(f"bad region or kiosk segment in {topic[:120]!r}")
    if rest == ["state"] and kid != ALL_KIOSKS:
        return TopicRef(Kind.STATE, region, kid)
    if len(rest) == 2 and rest[0] == "up" and rest[1] in _UP_KINDS and kid != ALL_KIOSKS:
        return TopicRef(_UP_KINDS[rest[1]], region, kid)
    if len(rest) == 3 and rest[:2] == ["up", "tel"] and rest[2] in STREAMS and kid != ALL_KIOSKS:
        return TopicRef(Kind.TELEMETRY, region, kid, rest[2])
    if len(rest) == 2 and rest[0] == "down" and rest[1] in _DOWN_KINDS:
        if kid == ALL_KIOSKS and rest[1] != "cmd":
            raise Rejected(f"only commands are broadcast: {topic[:120]!r}")
        return TopicRef(_DOWN_KINDS[rest[1]], region, kid)
    raise Rejected(f"unknown topic {topic[:120]!r}")


# ---- messages ---------------------------------------------------------------------------------------------


class Strict(BaseModel):
    """Strict types and unknown keys refused: a field that is not in the schema can never slip through."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Message(Strict):
    """Base of every payload: the minor version first."""

    v: Version = MINOR


class State(Message):
    """Retained presence; also the Will (`online=false, reason=lwt`). `sess` orders a stale Will after a birth."""

    online: bool
    sess: Annotated[int, Field(ge=1, lt=2**63)]
    ts: Millis | None = None
    boot: str | None = Field(None, max_length=BOOT_ID_MAX_CHARS)
    reason: Literal["lwt", "shutdown"] | None = None


class ServerState(Message):
    """The server's retained presence; kiosks drain telemetry only while `online` (§3.1 #10)."""

    online: bool
    ts: Millis
    min_v: Version = 1
    max_v: Version = MINOR


class StreamPosition(Strict):
    """Where one outbox stream stands: last seq written, last seq acked, rows waiting, events evicted."""

    epoch: Epoch
    last_seq: Annotated[int, Field(ge=0, lt=2**63)]
    acked_seq: Annotated[int, Field(ge=0, lt=2**63)]
    backlog: Count
    dropped: Count


class ClockState(Strict):
    """The kiosk's clock estimate against the server (NTP-style, §3.8)."""

    synced: bool = False
    offset_ms: OffsetMillis | None = None
    rtt_ms: Millis | None = None


class Birth(Message):
    """Everything the server needs to resync after each connect (§3.3 step 3)."""

    sess: Annotated[int, Field(ge=1, lt=2**63)]
    boot: str = Field(max_length=BOOT_ID_MAX_CHARS)
    sw: str = Field(max_length=64)
    minors: list[Version]
    hw: dict[str, str | int | float | bool | None] = Field(default_factory=dict, max_length=64)
    desired_version: Count
    streams: dict[Stream, StreamPosition]
    clk: ClockState


Scalar = str | int | float | bool


VocabEntry = tuple[Annotated[str, Field(max_length=48)], Annotated[dict[str, Scalar], Field(max_length=16)]]
"""(event type, fields): what a batch's events say, each distinct one listed once."""
EventIndex = Annotated[int, Field(ge=0, lt=BATCH_MAX_EVENTS)]


class Batch(Message):
    """Telemetry batch of one stream from one boot, by columns: event i has seq `q + i`, wall time `t[i]` (ms),
    monotonic time `m[i]` (ms since `boot`) and type and fields `vocab[x[i]]`; `base` = lowest seq the kiosk
    still holds (below it: acked or evicted).

    Why columns: telemetry repeats a small vocabulary, so each distinct (type, fields) is sent, checked against
    the catalogue and counted once per batch, and the per-event columns are plain integer arrays that are
    parsed and range-checked without building an object per event. A reboot starts a new batch.
    """

    v: Annotated[int, Field(ge=COLUMNAR_MINOR, le=MINOR)] = MINOR
    stream: Stream
    epoch: Epoch
    base: Seq
    q: Seq
    boot: str = Field(max_length=BOOT_ID_MAX_CHARS)
    vocab: list[VocabEntry] = Field(min_length=1, max_length=BATCH_MAX_EVENTS)
    t: list[Millis] = Field(min_length=1, max_length=BATCH_MAX_EVENTS)
    m: list[Millis] = Field(min_length=1, max_length=BATCH_MAX_EVENTS)
    x: list[EventIndex] = Field(min_length=1, max_length=BATCH_MAX_EVENTS)
    clk: ClockState

    @model_validator(mode="after")
    def _consistent(self) -> Batch:
        """Columns of one length, seqs from at least `base` within 63 bits, every index pointing into `vocab`."""
        if not len(self.t) == len(self.m) == len(self.x):
            raise ValueError(f"columns differ in length: t {len(self.t)}, m {len(self.m)}, x {len(self.x)}")
        if self.q < self.base:
            raise ValueError(f"first seq {self.q} is below base {self.base}")
        if self.last >= 2**63:
            raise ValueError(f"last seq {self.last} exceeds 63 bits")
        if max(self.x) >= len(self.vocab):
            raise ValueError(f"x index {max(self.x)} outside vocab of {len(self.vocab)}")
        return self

    @property
    def last(self) -> int:
        """The batch's highest seq."""
        return self.q + len(self.t) - 1


class Reported(Message):
    """The kiosk's answer to a desired document: applied, or rejected with errors (the old one stays)."""

    applied_version: Count
    desired_version: Count
    status: Literal["applied", "rejected"]
    errors: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=50)


class CommandResult(Message):
    """Two-phase command reply: `accepted` (or a refusal) at once, then `final` with the outcome."""

    id: str = Field(pattern=_ID)
    phase: Literal["accepted", "final"]
    code: Code
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = Field(None, max_length=500)


class Request(Message):
    """Kiosk-initiated request; `time` carries `t0`, the kiosk's send time, for the clock estimate."""

    rid: str = Field(pattern=_ID)
    name: Literal["time"]
    t0: Millis


class Response(Message):
    """Server reply to a Request: `t1` receive and `t2` send times of the server, in ms."""

    rid: str = Field(pattern=_ID)
    code: Code
    t1: Millis | None = None
    t2: Millis | None = None
    srv_ts: Millis | None = None


class Desired(Message):
    """The retained, versioned, full desired configuration overlay of one kiosk (§3.5)."""

    version: Annotated[int, Field(ge=1, lt=2**63)]
    config: dict[str, Any]


class StreamAck(Strict):
    """Everything up to `upto` (inclusive) of this epoch is committed on the server."""

    epoch: Epoch
    upto: Annotated[int, Field(ge=0, lt=2**63)]


class Ack(Message):
    """Application-level ack: the only thing that lets a kiosk delete telemetry (§3.4)."""

    acks: dict[Stream, StreamAck] = Field(min_length=1)
    srv_ts: Millis


class Command(Message):
    """Command envelope; `id` is the idempotency key; `expires` is server time in ms."""

    id: str = Field(pattern=_ID)
    name: str = Field(max_length=32)
    args: dict[str, Any] = Field(default_factory=dict)
    issued: Millis
    expires: Millis
    requires_idle: bool | None = None


class Artifact(Strict):
    """A file fetched over HTTP(S): where, how big, its sha256 and the bureau's Ed25519 signature of that digest."""

    url: str = Field(pattern=r"^https?://", max_length=500)
    size: Annotated[int, Field(ge=1, le=2**31)]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(pattern=r"^[0-9a-f]{128}$")


class Job(Message):
    """The retained pending job of one kiosk (§3.7): a content pack, or a release of the kiosk software
    (`app_update`: a wheel or a bundle, kiosk.fleet.app_update), to install; `exec_ver` grows per (re)issue."""

    job: str = Field(pattern=_ID)
    exec_ver: Annotated[int, Field(ge=1, lt=2**63)]
    type: Literal["content", "app_update"]
    version: str = Field(pattern=r"^[A-Za-z0-9._-]{1,40}$")
    artifact: Artifact
    expires: Millis


JOB_FINAL = frozenset({"REJECTED", "SUCCEEDED", "FAILED", "ROLLED_BACK", "TIMED_OUT"})
JobState = Literal["ACCEPTED", "REJECTED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "VERIFYING", "SUCCEEDED",
                   "FAILED", "ROLLED_BACK", "TIMED_OUT"]
"""States of a job execution, in the order it passes through them (§3.7)."""


class Progress(Strict):
    """Bytes done of bytes in all (hawkBit's `{cnt, of}`)."""

    cnt: Count
    of: Count


class JobStatus(Message):
    """A job execution's state as the kiosk reports it; a final one is sent again for a replayed job."""

    job: str = Field(pattern=_ID)
    exec_ver: Annotated[int, Field(ge=1, lt=2**63)]
    status: JobState
    progress: Progress | None = None
    error: str | None = Field(None, max_length=500)


MODELS: dict[Kind, type[Message]] = {
    Kind.STATE: State,
    Kind.SERVER_STATE: ServerState,
    Kind.BIRTH: Birth,
    Kind.TELEMETRY: Batch,
    Kind.REPORTED: Reported,
    Kind.COMMAND_RESULT: CommandResult,
    Kind.REQUEST: Request,
    Kind.DESIRED: Desired,
    Kind.COMMAND: Command,
    Kind.ACK: Ack,
    Kind.RESPONSE: Response,
    Kind.JOB: Job,
    Kind.JOB_STATUS: JobStatus,
}

DEVICE_INBOUND = frozenset({Kind.SERVER_STATE, Kind.DESIRED, Kind.COMMAND, Kind.ACK, Kind.RESPONSE, Kind.JOB})
SERVER_INBOUND = frozenset({Kind.STATE, Kind.BIRTH, Kind.TELEMETRY, Kind.REPORTED, Kind.COMMAND_RESULT,
                            Kind.REQUEST, Kind.JOB_STATUS})


# ---- commands ---------------------------------------------------------------------------------------------


class NoArgs(Strict):
    """Arguments of a command that takes none."""


class ResendArgs(NoArgs):
    """Resend a stream from a seq (the server's gap repair)."""

    stream: Stream
    from_seq: Seq


class NewEpochArgs(NoArgs):
    """The server's answer to a rewind (a kiosk restored from an older copy reuses seqs): it holds every seq of
    `epoch` below `from_seq`, so the kiosk releases those and moves the events it still holds from `from_seq` on
    into a fresh epoch, numbered from 1; a kiosk no longer on `epoch` changes nothing."""

    stream: Stream
    epoch: Epoch
    from_seq: Seq


class UploadArgs(NoArgs):
    """Where a command's file goes: the kiosk PUTs it to `url` (one the server minted for this upload, as it names
    a content job's artifact); the reply carries its size and sha256, never the file (it outgrows a message)."""

    url: str = Field(pattern=r"^https?://", max_length=500)


LOGS_MAX_SPAN_MS = 7 * 24 * 3600 * 1000
"""Widest time range one upload_logs may ask for, in ms (a week)."""


class UploadLogsArgs(UploadArgs):
    """Which time range of the kiosk's logs to upload: UTC epoch ms by the kiosk's clock, `until_ms` absent = now."""

    since_ms: Millis
    until_ms: Millis | None = None

    @model_validator(mode="after")
    def _range(self) -> UploadLogsArgs:
        """A range that ends after it starts and spans at most LOGS_MAX_SPAN_MS."""
        if self.until_ms is not None and not 0 < self.until_ms - self.since_ms <= LOGS_MAX_SPAN_MS:
            raise ValueError(f"until_ms must be after since_ms and at most {LOGS_MAX_SPAN_MS} ms later")
        return self


class SafeModeArgs(NoArgs):
    """Restart into safe mode (`on`: devices off, fleet link and maintenance on, citizens told where else to get
    help) or out of it; the choice lasts across restarts until the other is asked for."""

    on: bool


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One allowed command: its argument schema and whether it must wait until no citizen is at the screen."""

    args: type[NoArgs]
    requires_idle: bool


COMMANDS: dict[str, CommandSpec] = {
    "reboot": CommandSpec(NoArgs, True),
    "restart_app": CommandSpec(NoArgs, True),
    "rebirth": CommandSpec(NoArgs, False),
    "screenshot": CommandSpec(UploadArgs, False),  # mid-session too: personal fields are hidden from it
    "upload_logs": CommandSpec(UploadLogsArgs, False),
    "printer_test": CommandSpec(NoArgs, True),
    "reader_test": CommandSpec(NoArgs, True),
    "time_sync": CommandSpec(NoArgs, False),
    "resend": CommandSpec(ResendArgs, False),
    "new_epoch": CommandSpec(NewEpochArgs, False),
    "ping": CommandSpec(NoArgs, False),
    "safe_mode": CommandSpec(SafeModeArgs, True),
}
"""The allow-list (§3.6); anything else is answered 404. There is never a shell."""


# ---- coding -----------------------------------------------------------------------------------------------


def encode(message: Message) -> bytes:
    """Compact UTF-8 JSON of a message."""
    return message.__pydantic_serializer__.to_json(message, exclude_none=True)


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(p) for p in error["loc"]) or "payload"
    return f"{where}: {error['msg']}"


def _reply_id(payload: bytes, key: str) -> str | None:
    """The id a reply is owed to, if the payload is JSON enough to carry a well-formed one."""
    try:
        value = json.loads(payload).get(key)
    except (ValueError, AttributeError, RecursionError):
        return None
    return value if isinstance(value, str) and re.match(_ID, value) else None


_REPLY_KEYS = {Kind.COMMAND: "id", Kind.REQUEST: "rid"}


def decode(kind: Kind, payload: bytes) -> Message:
    """Validate an inbound payload for `kind`; Rejected with a reason (and the id a reply is owed to)."""
    reply_key = _REPLY_KEYS.get(kind)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise Rejected(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}", Code.TOO_LARGE,
                       _reply_id(payload, reply_key) if reply_key else None)
    try:
        return MODELS[kind].model_validate_json(payload)
    except ValidationError as exc:
        reply = _reply_id(payload, reply_key) if reply_key else None
        raise Rejected(f"{kind.value}: {_first_error(exc)}", Code.BAD_REQUEST, reply) from None


def command_args(command: Command, now_ms: int) -> tuple[CommandSpec, NoArgs]:
    """Check a command against the allow-list, its expiry and its argument schema; Rejected with the code owed."""
    spec = COMMANDS.get(command.name)
    if spec is None:
        raise Rejected(f"unknown command {command.name!r}", Code.NOT_FOUND, command.id)
    if command.expires <= now_ms:
        raise Rejected(f"command expired {now_ms - command.expires} ms ago", Code.GONE, command.id)
    try:
        args = spec.args.model_validate(command.args)
    except ValidationError as exc:
        raise Rejected(f"{command.name} args: {_first_error(exc)}", Code.BAD_REQUEST, command.id) from None
    return spec, args


def encode_batch_json(stream: str, epoch: int, base: int, q: int, boot: str, vocab: Sequence[str], t: str, m: str,
                      x: str, clk: ClockState) -> bytes:
    """A Batch's JSON from columns already in wire form: `vocab` entries as JSON arrays, `t`, `m` and `x` as
    comma-joined integers.

    Why: draining a week of backlog must cost about what publishing the bytes costs, so the kiosk's outbox has
    SQLite join each column and no object is built per event. `decode(Kind.TELEMETRY, …)` of the result
    equals the Batch a model would have produced.
    """
    return (f'{{"v":{MINOR},"stream":"{stream}","epoch":{epoch},"base":{base},"q":{q},"boot":{json.dumps(boot)},'
            f'"vocab":[{",".join(vocab)}],"t":[{t}],"m":[{m}],"x":[{x}],"clk":').encode() + encode(clk) + b"}"


def encode_batch(stream: str, epoch: int, base: int, boot: str, events: list[tuple[int, int, int, str, str]],
                 clk: ClockState) -> bytes:
    """A Batch from rows (seq, t, mono, kind, data as JSON text) of consecutive seqs, for simulators and servers'
    tests."""
    seqs = [event[0] for event in events]
    if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        raise ValueError("a batch carries consecutive seqs")
    index: dict[tuple[str, str], int] = {}
    x = [index.setdefault((k, d), len(index)) for _q, _t, _m, k, d in events]
    vocab = [f"[{json.dumps(k)},{d}]" for k, d in index]
    return encode_batch_json(stream, epoch, base, seqs[0], boot, vocab, ",".join(str(e[1]) for e in events),
                             ",".join(str(e[2]) for e in events), ",".join(map(str, x)), clk)
