"""Pre-applications: sealed at rest, exported once then dropped, deleted after retention, nothing personal logged."""

import dataclasses
import json
import logging

import pytest

from kiosk.core.errors import KioskError
from kiosk.services.legal_aid_application import LegalAidApplications, can_apply
from tests.unit.legal_aid.conftest import ADDRESS, ID_NUMBER, NAME, PHONE, application, legal_aid_opinion

PERSONAL = (NAME, ID_NUMBER, PHONE, ADDRESS)


def raw_bytes(db) -> bytes:
    """Every byte SQLite wrote: the main file and the write-ahead log."""
    return b"".join(p.read_bytes() for p in db.path.parent.glob(db.path.name + "*"))


def test_the_database_file_holds_no_plaintext_personal_data(kit, caplog):
    config, clock, citizen, db, service = kit
    caplog.set_level(logging.DEBUG)
    reference = service.store(application(clock, citizen))
    assert reference.startswith(f"LA-{config.kiosk.id}-{clock.today():%Y%m%d}-0001")
    data = raw_bytes(db)
    assert reference.encode() in data          # the row is there, readable by its reference only
    for value in PERSONAL:
        assert value.encode("utf-8") not in data
    assert ID_NUMBER[-4:].encode() + b'"' not in data
    for value in PERSONAL:
        assert value not in caplog.text
    assert (db.path.parent / "keys" / "application.key").stat().st_mode & 0o777 == 0o600


def test_export_writes_the_records_then_drops_them(kit, tmp_path):
    config, clock, citizen, db, service = kit
    first = service.store(application(clock, citizen))
    second = service.store(application(clock, citizen, name="李四", phone="13900000000"))
    out = tmp_path / "handover.json"
    assert service.export(out) == 2
    exported = json.loads(out.read_text(encoding="utf-8"))
    rows = {a["reference"]: a for a in exported["applications"]}
    assert list(rows) == [first, second]
    assert rows[first]["name"] == NAME and rows[first]["id_number"] == ID_NUMBER
    assert rows[first]["household_size"] == "2人" and rows[first]["verdict"] == "likely"
    assert rows[second]["name"] == "李四"
    assert out.stat().st_mode & 0o777 == 0o600
    assert service.counts() == {"waiting": 0, "handed_over": 2}
    assert service.export(tmp_path / "again.json") == 0
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["applications"] == []


def test_rows_past_retention_are_deleted_unread(kit):
    config, clock, citizen, db, service = kit
    service.store(application(clock, citizen))
    clock.advance(29 * 86400)
    assert service.purge_expired() == 0
    service.store(application(clock, citizen))
    clock.advance(1 * 86400)
    assert service.purge_expired() == 1
    assert service.counts() == {"waiting": 1, "handed_over": 0}
    clock.advance(30 * 86400)
    service.store(application(clock, citizen))      # storing purges too
    assert service.counts() == {"waiting": 1, "handed_over": 0}


def test_another_kiosks_key_cannot_open_the_records(kit, tmp_path):
    config, clock, citizen, db, service = kit
    service.store(application(clock, citizen))
    other = dataclasses.replace(config.legal_aid, application_key_file=str(tmp_path / "other.key"))
    with pytest.raises(KioskError) as caught:
        LegalAidApplications(other, config.kiosk.id, db, clock).export(tmp_path / "x.json")
    assert caught.value.code == "LAA-002"
    assert service.counts()["waiting"] == 1
    assert not (tmp_path / "x.json").exists()


def test_only_a_likely_or_exempt_legal_aid_opinion_can_be_applied_for(kit):
    config, clock, citizen, db, service = kit
    assert can_apply(legal_aid_opinion(citizen, 0)[0])            # migrant worker: exempt
    assert can_apply(legal_aid_opinion(citizen, 2)[0])            # elderly household: likely
    interview = citizen.begin("labor")
    while interview.state.value == "asking":
        interview.answer(interview.flow.examples[0].answers[interview.page.id])
    assert not can_apply(citizen.issue_opinion())
    assert not can_apply(None)
    assert "张" not in repr(application(clock, citizen))
