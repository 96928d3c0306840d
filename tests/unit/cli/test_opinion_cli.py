"""`kiosk opinion render` works for every flow's example; `kiosk opinion verify` tells genuine from altered."""

import json

import pytest

from kiosk.cli.main import main
from kiosk.legal.loader import load_pack
from kiosk.legal.service import DEFAULT_CONTENT_ROOT, EXAMPLE_KEY

FLOWS = sorted(load_pack(DEFAULT_CONTENT_ROOT).flows)


@pytest.mark.parametrize("flow_id", FLOWS)
def test_every_flow_renders_and_its_code_verifies(flow_id, clean_env, tmp_path, capsys):
    out = tmp_path / flow_id
    assert main(["opinion", "render", "--example", flow_id, "--escpos", f"{out}.bin", "--png", f"{out}.png",
                 "--document", f"{out}.json", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["bytes"] == (tmp_path / f"{flow_id}.bin").stat().st_size > 1000
    assert (tmp_path / f"{flow_id}.png").stat().st_size > 10_000
    key = tmp_path / "example.key"
    key.write_bytes(EXAMPLE_KEY)
    document = json.loads((tmp_path / f"{flow_id}.json").read_text())
    assert main(["opinion", "verify", document["verification_code"], "--document", f"{out}.json",
                 "--key", str(key)]) == 0
    document["analysis"] = [*document["analysis"], "伪造的一句话"]
    (tmp_path / "forged.json").write_text(json.dumps(document, ensure_ascii=False))
    assert main(["opinion", "verify", document["verification_code"], "--document", str(tmp_path / "forged.json"),
                 "--key", str(key)]) == 1


def test_unknown_flow_is_a_coded_error(clean_env, capsys):
    assert main(["opinion", "render", "--example", "no_such_flow"]) == 1
    assert "CNT-002" in capsys.readouterr().err


def test_the_example_slip_carries_the_configured_verification_qr(clean_env, tmp_path, capsys):
    """Issue 13: `render --example` signs with the kiosk's legal_aid.verify_url, so its QR is a real slip's."""
    from PIL import Image

    from tests.integration.printer.escpos_decoder import decode
    from tests.integration.printer.test_slip_decoded import read_qr

    (tmp_path / "kiosk.toml").write_text('[legal_aid]\nverify_url = "https://sfj.example.gov.cn/v/"\n',
                                         encoding="utf-8")
    out = tmp_path / "labor"
    assert main(["opinion", "render", "--example", "labor", "--escpos", f"{out}.bin", "--png", f"{out}.png",
                 "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["verify_url"].startswith("https://sfj.example.gov.cn/v/")
    assert read_qr(Image.open(f"{out}.png")) == [summary["verify_url"]]
    assert decode((tmp_path / "labor.bin").read_bytes(), 576).qr_payloads == [summary["verify_url"].encode()]
