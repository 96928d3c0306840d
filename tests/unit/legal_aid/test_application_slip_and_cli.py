"""The paper pre-application (masked number, signature line, the centre) and `kiosk legal-aid export`."""

import json

from firmware_bridge.escpos.job import DEFAULT_FONT
from kiosk.cli.main import main
from kiosk.config.loader import parse_config
from kiosk.config.schema import KioskConfig
from kiosk.core.clock import SystemClock
from kiosk.services.legal_aid_application import LegalAidApplications
from kiosk.services.printing import model_from_profile
from kiosk.services.slip_layout import Line, application_layout, layout, text_columns
from kiosk.services.slip_render import to_png, to_print_job
from kiosk.storage.db import Database
from kiosk.ui.i18n import Translator
from tests.unit.legal_aid.conftest import ADDRESS, ID_NUMBER, NAME, PHONE, application

COLUMNS = 48


def lines_of(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Line)]


def test_the_slip_masks_the_number_and_leaves_room_to_sign(kit, tmp_path):
    config, clock, citizen, db, service = kit
    record = application(clock, citizen)
    blocks = application_layout(record, "LA-dev-0001-20261122-0001", config.legal_aid.centre,
                                retention_days=30, columns=COLUMNS, texts=Translator())
    lines = lines_of(blocks)
    text = "\n".join(lines)
    assert "证件号码：110105********002X" in lines
    assert ID_NUMBER not in text and ADDRESS not in text
    assert f"姓名：{NAME}" in lines and f"联系电话：{PHONE}" in lines
    assert "申请编号：LA-dev-0001-20261122-0001" in lines
    assert "家庭人口：2人" in lines
    assert lines[-2:] == ["申请人签名：＿＿＿＿＿＿＿＿", "日期：＿＿＿＿年＿＿月＿＿日"]
    centre = config.legal_aid.centre
    for value in (centre.name, centre.address, centre.hours, centre.phone):
        assert any(value in line for line in lines)
    assert "【需要准备的材料】" in lines and "最长保存30天" in text.replace("\n", "")
    assert all(text_columns(b.text) * b.scale <= COLUMNS for b in blocks if isinstance(b, Line))
    model = model_from_profile("p", KioskConfig().printer_profiles[KioskConfig().printer.profile])
    assert len(to_print_job(blocks, model, DEFAULT_FONT).data) > 1000
    to_png(blocks, model).save(tmp_path / "application.png")
    assert citizen.opinion is not None and layout(citizen.opinion, COLUMNS, Translator())  # the opinion slip stays


def test_a_typed_name_without_a_card_prints_a_reminder(kit):
    config, clock, citizen, db, service = kit
    record = application(clock, citizen, id_number="", from_id_card=False)
    lines = lines_of(application_layout(record, "R", config.legal_aid.centre, retention_days=7, columns=COLUMNS,
                                        texts=Translator()))
    assert "证件号码：未读取，请带身份证原件" in lines


def test_cli_export_hands_over_and_empties(kit, clean_env, monkeypatch, capsys):
    config, clock, citizen, db, service = kit
    key_file = clean_env / "data" / "application.key"
    monkeypatch.setenv("KIOSK_LEGAL_AID__APPLICATION_KEY_FILE", str(key_file))
    settings = parse_config({"legal_aid": {"application_key_file": str(key_file)}})
    (clean_env / "data").mkdir()
    kiosk_db = Database(clean_env / "data" / settings.storage.db_filename, SystemClock())
    kiosk_db.start()
    kiosk_db.wait_open()
    LegalAidApplications(settings.legal_aid, settings.kiosk.id, kiosk_db, SystemClock()).store(
        application(clock, citizen))
    kiosk_db.stop()
    out = clean_env / "handover.json"
    assert main(["legal-aid", "export", "--out", str(out)]) == 0
    assert json.loads(capsys.readouterr().out)["exported"] == 1
    assert json.loads(out.read_text(encoding="utf-8"))["applications"][0]["name"] == NAME
    assert main(["legal-aid", "count"]) == 0
    assert json.loads(capsys.readouterr().out) == {"waiting": 0, "handed_over": 1}
