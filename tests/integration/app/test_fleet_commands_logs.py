"""`upload_logs` through the real command path: the kiosk's journal of a time range, PUT as gzip'd journal JSON
lines to a real HTTP server. The journal holds everything this process wrote to its stderr (file descriptor 2)
during the session, with the kiosk's logging set up as `kiosk run` sets it up but at DEBUG, kept line by line as
journald keeps a service's stderr, and served by a stand-in `journalctl` on PATH. After a session in which an ID
card was read from the simulator over a pty and the citizen typed a question and a phone number, nothing
personal is in the upload; another unit's lines and journal fields outside the chosen few never leave; a range
too large keeps its newest entries and says it was cut."""

import gzip
import hashlib
import json
import logging
import time

import pytest

from kiosk.runtime.journal import FIELDS, UNIT, read_journal
from kiosk.runtime.logging_setup import configure_logging
from kiosk.fleet import protocol
from kiosk.services.legal_aid_application import assemble
from kiosk.services.session import EndReason
from tests.integration.app.fleet_commands_support import (UploadReceiver, broker, broker_factory,  # noqa: F401
                                                          command, console, make_kiosk, receiver,  # noqa: F401
                                                          standins, wait_online, wait_until)
from tests.integration.app.fleet_commands_support import JournalStream

pytestmark = pytest.mark.broker

ALWAYS = {"__CURSOR", "__REALTIME_TIMESTAMP", "__MONOTONIC_TIMESTAMP", "_BOOT_ID"}
TYPED_QUESTION = "我叫赵春梅，住在幸福村三组，老板欠我八个月工资不给"
TYPED_PHONE = "13912345678"


@pytest.fixture
def journal(standins) -> JournalStream:
    """The stand-in journal's stream of kiosk.service."""
    return JournalStream(standins.journal)


@pytest.fixture
def kiosk_logging(capfd):
    """The kiosk's logging as `kiosk run` sets it up (kiosk.runtime.logging_setup), at DEBUG, into file descriptor 2
    as under systemd (sys.stderr is pytest's, swapped between test phases); `capfd` then holds everything
    written there, by logging or not."""
    root = logging.getLogger()
    level = root.level
    with open(2, "w", encoding="utf-8", buffering=1, closefd=False) as stderr:
        handler = configure_logging("DEBUG", "text", "0123456789abcdef", stream=stderr)
        yield capfd
        root.removeHandler(handler)
    root.setLevel(level)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def a_session_with_a_card_and_typed_text(kiosk) -> list[str]:
    """What a citizen does at the screen, through the services the screens call; returns what is personal."""
    kiosk.session.touch()
    wait_until(lambda: kiosk.identity is not None, what="reader started")
    kiosk.identity.consent_given()
    kiosk.devices.idcard.simulator.present("resident")
    wait_until(lambda: kiosk.identity.identity is not None, what="card read")
    card = kiosk.identity.identity
    kiosk.citizen.set_identity(minor=card.minor, elderly=card.elderly, masked_id_number=card.masked_number)
    assert kiosk.smart.wait_loaded(30)
    kiosk.smart.rank(TYPED_QUESTION)
    interview = kiosk.citizen.begin("legal_aid")
    example = interview.flow.examples[0].answers
    while interview.state.value == "asking":
        interview.answer(example[interview.page.id])
    answers = {item.page_id: item.answer for item in interview.review()}
    opinion = kiosk.citizen.issue_opinion()
    record = assemble(opinion, answers, name=card.record.name, id_number=card.record.id_number, phone=TYPED_PHONE,
                      address=card.record.address, from_id_card=True, created_at=kiosk.clock.now())
    kiosk.legal_aid_applications.store(record)
    kiosk.session.end(EndReason.FINISHED)
    return [card.record.name, card.record.id_number, card.record.id_number[6:14], card.record.address,
            card.masked_number, TYPED_QUESTION, TYPED_QUESTION[:4], TYPED_PHONE]


def test_logs_of_a_session_with_a_card_and_typed_text_carry_no_personal_data(kiosk_logging, make_kiosk, console,
                                                                              broker, receiver, journal, standins):
    since_ms = now_ms()
    kiosk = make_kiosk(KIOSK_IDCARD__KIND="sim")
    wait_online(console)
    journal.append("Accepted password for 陈建国 from 10.0.0.5 port 50122 ssh2", "ssh.service")
    personal = a_session_with_a_card_and_typed_text(kiosk)
    journal.write(kiosk_logging.readouterr().err)

    reply = command(console, broker, "upload_logs", {"url": receiver.url("/logs/k-0001.jsonl.gz"),
                                                     "since_ms": since_ms})
    assert reply["code"] == 200, reply
    body = receiver.bodies["/logs/k-0001.jsonl.gz"]
    assert receiver.headers["/logs/k-0001.jsonl.gz"]["Content-Type"] == "application/gzip"
    assert reply["result"]["bytes"] == len(body) and reply["result"]["sha256"] == hashlib.sha256(body).hexdigest()
    text = gzip.decompress(body).decode("utf-8")
    entries = [json.loads(line) for line in text.splitlines()]
    assert reply["result"]["entries"] == len(entries) and reply["result"]["truncated"] is False
    messages = [e["MESSAGE"] for e in entries]
    assert any("legal-aid pre-application" in m and "stored" in m for m in messages), "the session is in the logs"
    times = [int(e["__REALTIME_TIMESTAMP"]) for e in entries]
    assert times == sorted(times) and times[0] >= since_ms * 1000, "oldest first, none before the range"
    assert all(set(e) <= ALWAYS | set(FIELDS) for e in entries), "only the chosen journal fields leave the kiosk"
    assert "陈建国" not in text, "another unit's lines stay on the kiosk"
    assert [p for p in personal if p in text] == []
    assert standins.calls()[-1] == ["journalctl", f"--unit={UNIT}", f"--since=@{since_ms // 1000}", "--reverse",
                                    "--output=json", f"--output-fields={','.join(FIELDS)}", "--no-pager"]


def test_a_range_too_large_keeps_its_newest_entries(journal, standins):
    since_ms = now_ms()
    for number in range(200):
        journal.write(f"line {number:03d}\n")
    until_ms = now_ms() + 1
    whole = read_journal(since_ms, until_ms)
    assert [json.loads(line)["MESSAGE"].endswith(f"line {n:03d}") for n, line in enumerate(whole.lines)] == \
        [True] * 200 and not whole.truncated
    assert standins.calls()[-1][-1] == f"--until=@{-(-until_ms // 1000)}"
    cap = len(whole.jsonl()) // 4
    cut = read_journal(since_ms, until_ms, max_bytes=cap)
    assert cut.truncated and len(cut.jsonl()) <= cap
    assert cut.lines == whole.lines[-len(cut.lines):], "the newest entries, oldest first"


def test_a_receiver_that_refuses_the_upload_fails_the_command(make_kiosk, console, broker, standins):
    refusing = UploadReceiver(status=503).start()
    try:
        make_kiosk()
        wait_online(console)
        reply = command(console, broker, "upload_logs", {"url": refusing.url("/logs/x.gz"), "since_ms": now_ms()})
    finally:
        refusing.stop()
    assert reply["code"] == 500 and reply["error"] == "upload refused: HTTP 503 Service Unavailable"


@pytest.mark.parametrize("args", [{"since_ms": 1}, {"url": "ftp://x/y", "since_ms": 1},
                                  {"url": "http://x/y", "since_ms": 5000, "until_ms": 4000},
                                  {"url": "http://x/y", "since_ms": 0, "until_ms": protocol.LOGS_MAX_SPAN_MS + 1}])
def test_bad_arguments_are_refused_before_anything_runs(args):
    command_ = protocol.Command(id="c1", name="upload_logs", args=args, issued=1, expires=2**40)
    with pytest.raises(protocol.Rejected) as refused:
        protocol.command_args(command_, 2)
    assert refused.value.code == protocol.Code.BAD_REQUEST
