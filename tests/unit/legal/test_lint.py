from kiosk.cli.main import main
from kiosk.legal.lint import common_character, lint
from tests.unit.legal.conftest import CONTENT_ROOT
from tests.unit.legal.test_loader import GOOD_FLOW, make_pack


def test_shipped_content_passes_with_citations_checked(capsys):
    report = lint(CONTENT_ROOT)
    assert report.errors == [] and report.stale_reviews == []
    assert main(["content", "lint", "--quiet"]) == 0
    assert f"{report.statute_citations} citations checked against the statute library" in capsys.readouterr().out
    assert report.statute_citations >= 50
    assert "保障农民工工资支付条例" in report.hand_checked_regulations and report.hand_checked_citations >= 1


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


def test_a_text_used_again_through_a_yaml_alias_is_reported_once(tmp_path):
    root = make_pack(tmp_path, GOOD_FLOW.replace("analysis: [说明。]", f"analysis: [&long {'这' * 48}。, *long]"))
    warned = [w for w in lint(root).warnings if "long sentence (48 characters)" in w]
    assert len(warned) == 1


def test_a_know_question_answered_yes_no_is_an_error_and_other_cues_are_advice(tmp_path):
    know = GOOD_FLOW.replace("    text: 有没有？\n", "    text: 您知道对方住在哪里吗？\n")
    report = lint(make_pack(tmp_path / "know", know))
    assert any("您知道对方住在哪里吗？ is answered yesno; give it `answers: know`" in e for e in report.errors)
    assert lint(make_pack(tmp_path / "fixed", know.replace("    fact: 有没有\n", "    fact: 有没有\n    answers: know\n"))).ok
    have = lint(make_pack(tmp_path / "have", GOOD_FLOW))          # 有没有？ answered 是 / 不是
    assert have.ok and any("give it `answers: have`" in w for w in have.warnings)


def test_pages_without_bu_qing_chu_are_listed_with_their_reason(tmp_path, pack):
    root = make_pack(tmp_path, GOOD_FLOW.replace(
        "    fact: 钱数\n", "    fact: 钱数\n    unsure: false\n    unsure_reason: the outcome is about the amount\n"))
    report = lint(root)
    listed = "content/flows/labor.yaml:14: no 不清楚 on this page: the outcome is about the amount"
    assert report.ok and listed in report.warnings
    shipped = [w for w in lint(CONTENT_ROOT).warnings if "no 不清楚 on this page" in w]
    pages = sum(len(flow.pages) for flow in pack.flows.values())
    # opting out stays rare, as test_answers_plain asks: fewer than one page in ten
    assert any(w.startswith("content/flows/labor.yaml:") for w in shipped) and len(shipped) < 0.1 * pages
