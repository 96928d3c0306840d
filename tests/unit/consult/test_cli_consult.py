import io
import json

from kiosk.cli.main import main


def run(monkeypatch, capsys, argv, keys: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(keys))
    code = main(argv)
    return code, capsys.readouterr()


def test_piped_labor_consultation_prints_the_opinion(monkeypatch, capsys):
    # left; date; owed since; amount; contractor; knows site company; no contract; records; disputes; migrant;
    # at the review reopen answer 1, keep it with Enter, then confirm.
    keys = "2\n2026-06-30\n2026-02-10\n18600\n2\n1\n2\n2\n2\n1\n1\n\n\n"
    code, out = run(monkeypatch, capsys, ["consult", "labor", "--today", "2026-11-22"], keys)
    assert code == 0, out.err
    assert "工地欠薪：总承包公司要先替包工头把工资付清" in out.out
    assert "申请劳动仲裁的最后一天：2027-06-30" in out.out
    assert "《保障农民工工资支付条例》第三十条" in out.out


def test_back_bad_input_and_json(monkeypatch, capsys):
    keys = "9\n1\nb\n1\n2026-08-15\n12000\n1\n1\n2\n2\n1\n\n"
    code, out = run(monkeypatch, capsys, ["consult", "labor", "--today", "2026-11-22", "--json"], keys)
    assert code == 0, out.err
    assert "请输入选项前面的数字" in out.err
    document = json.loads(out.out)
    assert document["outcome_id"] == "arbitration" and document["legal_aid"]["verdict"] == "exempt"


def test_unknown_flow_and_short_input(monkeypatch, capsys):
    assert run(monkeypatch, capsys, ["consult", "nope"], "")[0] == 2
    assert run(monkeypatch, capsys, ["consult", "labor"], "1\n")[0] == 1
