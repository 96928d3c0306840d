"""Issue 14, attacks 4 and 5: the server trusts no sequence number blindly. Tried against the deploy broker
configuration (TLS, certificates made in the test) with real agents and the real console; events are counted.

- A forged batch, published with a copy of a kiosk's certificate on that kiosk's real epoch, claiming seq
  1,000,000: kept aside, alerted, visible in `kiosk fleet status`; every real event before and after is stored
  exactly once and the kiosk's outbox never lets go of an event it has not sent.
- A kiosk whose database is restored from an older copy mid-run: every event recorded after the restore (some
  before it reconnects, most after) is stored exactly once, and so is everything recorded before.
- An old batch replayed under a new epoch is not counted again.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.fleet import protocol
from kiosk.fleet.console import trust
from tests.integration.fleet.conftest import REGION, KioskUnderTest, ServerUnderTest, wait_until
from tests.integration.fleet.mqtt_probe import Probe

VICTIM, BYSTANDER = "k-0001", "k-0002"
TEL = protocol.Topics(REGION, VICTIM).tel("ui")
ACCEPTED = ("Success", "No matching subscribers")
FORGE_ATTEMPTS = 5


@pytest.fixture
def fleet(tmp_path, broker, console_target):
    """Start the console on the deploy's TLS console listener (options for IngestServer) and agents on its
    certificate listener; everything started is stopped at teardown."""
    started: list = []

    def console(**options) -> ServerUnderTest:
        server = ServerUnderTest(console_target, broker, tls=True, **options).start()
        started.append(server)
        return server

    def kiosk(kid: str, *, agent: bool = True) -> KioskUnderTest:
        part = KioskUnderTest(tmp_path / kid, broker, kid, **broker.kiosk_tls(kid))
        started.append(part)
        if agent:
            return part.start()
        part.db.start()
        part.outbox.start()
        return part

    yield console, kiosk
    for part in reversed(started):
        part.stop()


def tap(kiosk: KioskUnderTest, prefix: str, first: int, last: int) -> None:
    """Record taps whose control names them (`prefix` + number), so each can be found at the console."""
    for i in range(first, last + 1):
        kiosk.outbox.record("ui", "ui.tap", {"screen": "home", "control": f"{prefix}{i}"})


def stored_controls(server: ServerUnderTest, kid: str) -> list[str]:
    return [json.loads(data)["control"] for (data,) in server.rows("SELECT data FROM events WHERE kid = ?", kid)]


def exactly_once(server: ServerUnderTest, kid: str, expected: set[str]) -> None:
    """Wait until `kid`'s stored events are as many as `expected`, then check they are exactly those, once each."""
    wait_until(lambda: server.event_count(kid) >= len(expected), timeout_s=60,
               what=f"{len(expected)} events of {kid} at the console")
    controls = stored_controls(server, kid)
    assert len(controls) == len(expected) and set(controls) == expected


def forge(broker, kid: str, messages: list[tuple[str, bytes]]) -> None:
    """Publish with `kid`'s own certificate (a copy of it), as an intruder would: the genuine agent and the copy
    push each other off the broker, so a publish cut off by that is tried again on a new connection."""
    for _attempt in range(FORGE_ATTEMPTS):
        probe = Probe.kiosk(broker, kid)
        try:
            if probe.connect() == "Success" and all(probe.publish(t, p) in ACCEPTED for t, p in messages):
                return
        finally:
            probe.close()
    raise AssertionError(f"the broker never accepted the forged messages in {FORGE_ATTEMPTS} connections")


def status(db: str, capsys) -> dict[str, dict]:
    """`kiosk fleet status --json`, by kiosk."""
    capsys.readouterr()
    assert main(["fleet", "status", "--db", db, "--json"]) == 0
    return {row["kid"]: row for row in json.loads(capsys.readouterr().out)}


def test_a_forged_leap_on_a_kiosk_s_real_epoch_is_quarantined_and_no_real_event_lost(fleet, broker, console_target,
                                                                                       capsys, caplog):
    make_console, make_kiosk = fleet
    console = make_console()
    victim, bystander = make_kiosk(VICTIM), make_kiosk(BYSTANDER)
    for kiosk in (victim, bystander):
        tap(kiosk, "a", 1, 240)
    exactly_once(console, VICTIM, {f"a{i}" for i in range(1, 241)})
    epoch = victim.outbox.positions()["ui"].epoch
    now_ms = int(victim.clock.now().timestamp() * 1000)
    caplog.set_level(logging.WARNING, logger="kiosk.fleet.console.trust")
    forge(broker, VICTIM, [(TEL, protocol.encode_batch("ui", epoch, base, "boot-x", [
        (q, now_ms, 0, "ui.tap", '{"screen":"home","control":"forged"}') for q in range(first, first + 10)],
        protocol.ClockState())) for base, first in ((1, 1_000_000), (2_000_000, 2_000_000))])
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM quarantine") == 2, what="both forgeries quarantined")
    for kiosk in (victim, bystander):
        tap(kiosk, "b", 1, 240)
    expected = {f"{p}{i}" for p in "ab" for i in range(1, 241)}
    exactly_once(console, VICTIM, expected)
    exactly_once(console, BYSTANDER, expected)
    assert console.scalar("SELECT MAX(seq) FROM events WHERE kid = ?", VICTIM) == 480
    wait_until(lambda: victim.outbox.positions()["ui"].acked_seq == 480, what="the victim's outbox acked")
    assert victim.outbox.positions()["ui"].last_seq == 480
    assert victim.agent.counters["acks_beyond_sent"] == 0
    assert console.scalar("SELECT upto FROM streams WHERE kid = ? AND epoch = ?", VICTIM, epoch) == 480
    rows = status(console_target, capsys)
    assert (rows[VICTIM]["quarantined"], rows[VICTIM]["events"], rows[VICTIM]["gap"]) == (2, 480, 0)
    assert {a["kind"] for a in rows[VICTIM]["recent_alerts"]} == {trust.SEQ_JUMP}
    assert (rows[BYSTANDER]["quarantined"], rows[BYSTANDER]["alerts"], rows[BYSTANDER]["events"]) == (0, 0, 480)
    assert sum("quarantined" in r.getMessage() for r in caplog.records) == 2
    capsys.readouterr()
    assert main(["fleet", "status", "--db", console_target]) == 0
    text = capsys.readouterr().out
    assert "隔离" in text and "序号跳跃" in text and "batch 1000000-1000009 quarantined" in text


def _files(db: Path) -> list[Path]:
    return [db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm")]


def test_a_kiosk_restored_from_an_older_copy_mid_run_loses_nothing_recorded_after_the_restore(fleet, tmp_path,
                                                                                               console_target, capsys):
    make_console, make_kiosk = fleet
    console = make_console()
    kiosk = make_kiosk(VICTIM)
    tap(kiosk, "o", 1, 300)
    exactly_once(console, VICTIM, {f"o{i}" for i in range(1, 301)})
    kiosk.stop()
    backup = tmp_path / "backup"
    backup.mkdir()
    for path in _files(tmp_path / VICTIM / "kiosk.db"):
        if path.exists():
            shutil.copy(path, backup / path.name)
    kiosk = make_kiosk(VICTIM)
    tap(kiosk, "o", 301, 1000)
    exactly_once(console, VICTIM, {f"o{i}" for i in range(1, 1001)})
    epoch = kiosk.outbox.positions()["ui"].epoch
    kiosk.stop()
    for path in _files(tmp_path / VICTIM / "kiosk.db"):
        path.unlink(missing_ok=True)
        if (backup / path.name).exists():
            shutil.copy(backup / path.name, path)
    restored = make_kiosk(VICTIM, agent=False)
    assert restored.outbox.positions()["ui"].last_seq == 300
    tap(restored, "r", 1, 50)
    assert restored.outbox.flush()
    restored.agent.start()
    tap(restored, "r", 51, 250)
    exactly_once(console, VICTIM, {f"o{i}" for i in range(1, 1001)} | {f"r{i}" for i in range(1, 251)})
    assert restored.outbox.positions()["ui"].epoch != epoch
    wait_until(lambda: restored.outbox.positions()["ui"].backlog == 0, what="the restored kiosk's outbox emptied")
    assert console.scalar("SELECT COUNT(*) FROM events WHERE kid = ? AND epoch = ?", VICTIM, epoch) == 1000
    rewind = console.rows("SELECT ceiling, new_epoch, resolved_ms IS NOT NULL FROM rewinds WHERE kid = ?", VICTIM)
    assert rewind == [(300, restored.outbox.positions()["ui"].epoch, 1)]
    row = status(console_target, capsys)[VICTIM]
    assert (row["rewinds"], row["forced_epochs"], row["quarantined"], row["events"]) == (1, 1, 0, 1250)
    assert [a["kind"] for a in row["recent_alerts"]] == [trust.EPOCH_FORCED, trust.REWIND]


def test_an_old_batch_replayed_under_a_new_epoch_is_not_counted_again(fleet, broker, console_target, capsys):
    make_console, make_kiosk = fleet
    console = make_console(replay_tolerance_s=0.0)
    kiosk = make_kiosk(VICTIM)
    tap(kiosk, "a", 1, 100)
    exactly_once(console, VICTIM, {f"a{i}" for i in range(1, 101)})
    old = json.loads(console.scalar("SELECT payload FROM batches WHERE kid = ? ORDER BY first LIMIT 1", VICTIM))
    tap(kiosk, "b", 1, 100)
    expected = {f"{p}{i}" for p in "ab" for i in range(1, 101)}
    exactly_once(console, VICTIM, expected)
    replayed = [json.dumps(old).encode(), json.dumps({**old, "epoch": old["epoch"] + 1}).encode()]
    forge(broker, VICTIM, [(TEL, payload) for payload in replayed])
    wait_until(lambda: console.scalar("SELECT COUNT(*) FROM quarantine WHERE reason = ?", trust.REPLAY) == 1,
               what="the replay under a new epoch quarantined")
    tap(kiosk, "c", 1, 10)
    expected |= {f"c{i}" for i in range(1, 11)}
    exactly_once(console, VICTIM, expected)
    assert console.scalar("SELECT SUM(n) FROM daily_counts WHERE kid = ?", VICTIM) == 210
    row = status(console_target, capsys)[VICTIM]
    assert (row["quarantined"], row["events"]) == (1, 210)
    assert [a["kind"] for a in row["recent_alerts"]] == [trust.REPLAY]
