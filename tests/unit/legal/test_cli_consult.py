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
    deadlines = out.out.split("【时间期限】\n")[1].splitlines()
    assert deadlines[1] == "  2027年6月30日 星期三"   # the date as the screen and the slip give it
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


def test_terminal_shows_the_screen_words_and_takes_question_mark_for_unsure(monkeypatch, capsys):
    # left; ? for the date; owed since; ? for the amount; a contractor; 不知道 the site company (2 of 2);
    # 不清楚 about the contract (3 of 3); records; disputes; 是 a migrant worker; confirm.
    keys = "2\n?\n2026-02-10\n?\n2\n2\n3\n2\n2\n1\n\n"
    code, out = run(monkeypatch, capsys, ["consult", "labor", "--today", "2026-11-22"], keys)
    assert code == 0, out.err
    assert "第 1 题 / 共 10 题" in out.out and "说不清楚的，输入 ?" in out.out
    assert "  1. 知道\n  2. 不知道\n" in out.out and "  1. 签了\n  2. 没签\n  3. 不清楚\n" in out.out
    assert "不干的日子：不清楚" in out.out and "被欠的钱：不清楚" in out.out
    assert "您说不清这个日子" in out.out and "【时间期限】" not in out.out
