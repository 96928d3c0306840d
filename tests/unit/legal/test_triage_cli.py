"""`kiosk triage`: the JSONL contract on stdin/stdout and the readable answer, through the real console entry."""

from __future__ import annotations

import json
import subprocess
import sys

QUESTIONS = ["老板拖欠工资三个月不给怎么办", "離婚後孩子撫養權歸誰", "我的商标被人抢注了", "", "XX物业乱收费"]


def kiosk(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli.main", "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_jsonl_one_object_per_non_empty_line():
    done = kiosk("--jsonl", stdin="\n".join(QUESTIONS) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [obj["question"] for obj in lines] == [q for q in QUESTIONS if q]
    for obj in lines:
        assert set(obj) == {"question", "topics", "referral"}
        assert isinstance(obj["referral"], bool)
        scores = [t["score"] for t in obj["topics"]]
        assert scores == sorted(scores, reverse=True)
        assert all(set(t) == {"id", "score"} for t in obj["topics"])
        if obj["referral"]:
            assert obj["topics"][0]["id"] == "referral"
        else:
            assert len(obj["topics"]) >= 3
    assert lines[0]["topics"][0]["id"] == "labor" and not lines[0]["referral"]
    assert lines[1]["topics"][0]["id"] == "marriage_family"
    assert lines[2]["referral"] is True


def test_readable_answer_names_the_topic():
    done = kiosk("老板拖欠工资三个月不给怎么办")
    assert done.returncode == 0, done.stderr
    assert "Likely topics:" in done.stdout
    assert "劳动争议与欠薪 [labor]" in done.stdout


def test_referral_is_said_plainly():
    done = kiosk("我的商标被人抢注了")
    assert done.returncode == 0
    assert "12348" in done.stdout


def test_no_question_is_bad_usage():
    done = kiosk()
    assert done.returncode == 2
    assert done.stderr.startswith("kiosk: CLI-001")
    assert kiosk("问题", "--jsonl").returncode == 2
