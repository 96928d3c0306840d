from kiosk.cli.main import main
from kiosk.consult.lint import common_character, lint
from tests.unit.consult.conftest import CONTENT_ROOT
from tests.unit.consult.test_loader import GOOD_FLOW, make_pack


def test_shipped_content_passes_with_citations_checked(capsys):
    report = lint(CONTENT_ROOT)
    assert report.ok, report.errors
    assert report.statute_citations >= 50
    assert "保障农民工工资支付条例" in report.hand_checked_regulations and report.hand_checked_citations >= 1
    assert main(["content", "lint", "--quiet"]) == 0
    assert f"{report.statute_citations} citations checked against the statute library" in capsys.readouterr().out


def test_inline_citation_must_exist(tmp_path):
    root = make_pack(tmp_path, GOOD_FLOW.replace("analysis: [说明。]", "analysis: [见《劳动合同法》第九百条。]"))
    report = lint(root)
    assert not report.ok and any("劳动合同法 Art. 900" in e for e in report.errors)
    assert main(["content", "lint", "--root", str(root), "--quiet"]) == 1


def test_reading_ease(tmp_path):
    long_sentence = "这" * 90
    root = make_pack(tmp_path, GOOD_FLOW.replace("analysis: [说明。]", f"analysis: [{long_sentence}。耄耋之年。]"))
    report = lint(root)
    assert any("sentence of 90 characters" in e for e in report.errors)
    assert any("rare characters 耄耋" in w for w in report.warnings)
    assert common_character("钱") and not common_character("耄")
