"""A simulated month in the console store renders the bureau's table as CSV and a PNG chart."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime

import pytest
from PIL import Image

from kiosk.cli.main import main
from kiosk.core.clock import CHINA_TZ
from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.report import _tick_step
from kiosk.fleet.console.server import open_store

MONTH_START_MS = int(datetime(2026, 10, 1, tzinfo=CHINA_TZ).timestamp() * 1000)
DAY_MS = 86_400_000


def _month(rng: random.Random) -> list[tuple[str, dict]]:
    """Sessions over 31 days: taps, consultations, opinions, pre-checks by group, ratings."""
    events = []
    for _ in range(400):
        session = f"{rng.getrandbits(128):032x}"
        topic = rng.choice(["labor", "debt", "marriage_family", "traffic_accident"])
        events += [("ui.tap", {"screen": "home", "control": "start"})] * rng.randint(2, 6)
        events.append(("consult.started", {"session": session, "topic": topic}))
        if rng.random() < 0.8:
            events.append(("consult.completed", {"session": session, "topic": topic, "outcome": "advice"}))
            events.append(("opinion.generated", {"session": session, "topic": topic}))
            if rng.random() < 0.7:
                events.append(("opinion.printed", {"session": session, "topic": topic, "ok": True}))
        if rng.random() < 0.3:
            result, group = rng.choice(["likely", "unlikely"]), rng.choice(["migrant_worker", "elderly", "none"])
            events.append(("legal_aid.precheck", {"session": session, "result": result, "group": group}))
            if result == "likely" and rng.random() < 0.5:
                events.append(("legal_aid.applied", {"session": session, "result": result, "group": group}))
        events.append(("satisfaction", {"session": session, "level": rng.randint(3, 5), "topic": topic}))
    return events


def _fill(db, kid: str, region: str, rng: random.Random) -> int:
    rows = _month(rng)
    items = []
    stream_of = {"ui.tap": "ui"}
    seqs = {"ui": 0, "usage": 0}
    for kind, data in rows:
        stream = stream_of.get(kind, "usage")
        seqs[stream] += 1
        t = MONTH_START_MS + rng.randrange(31 * DAY_MS)
        payload = protocol.encode_batch(stream, 1, seqs[stream], "b",
                                        [(seqs[stream], t, 1, kind, json.dumps(data))], protocol.ClockState())
        ref = protocol.parse_topic(protocol.Topics(region, kid).tel(stream))
        items.append((ref, protocol.decode(protocol.Kind.TELEMETRY, payload), t))
    db.call(lambda d: store.ingest(d, items))
    return sum(1 for kind, _ in rows if kind == "consult.started")


def test_month_report_csv_and_png(tmp_path, console_target, capsys):
    """GIVEN a month of two kiosks' events in the store (SQLite or PostgreSQL) WHEN `kiosk fleet report` runs by
    region, group and topic, as CSV and PNG THEN the figures add up to what was recorded."""
    path = console_target
    db = open_store(path)
    db.start()
    rng = random.Random(7)
    visits = _fill(db, "k-0001", "r320102", rng) + _fill(db, "k-0002", "r320104", rng)
    db.stop()

    assert main(["fleet", "report", "--db", path, "--from", "2026-10-01", "--to", "2026-10-31",
                 "--by", "region"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert table[0][:3] == ["区域", "终端点击", "智能咨询访问"]
    assert [row[0] for row in table[1:]] == ["r320102", "r320104", "合计"]
    assert int(table[-1][2]) == visits
    applied = table[0].index("法律援助预申请")
    assert 0 < int(table[-1][applied]) < int(table[-1][table[0].index("法律援助预审")])

    assert main(["fleet", "report", "--db", path, "--from", "2026-10-01", "--to", "2026-10-31",
                 "--by", "group"]) == 0
    groups = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert {row[0] for row in groups[1:-1]} <= {"农民工", "老年人", "无"}
    assert groups[0][-1] == "法律援助预申请" and int(groups[-1][-1]) == int(table[-1][applied])

    assert main(["fleet", "report", "--db", path, "--from", "2026-10-01", "--to", "2026-10-31",
                 "--by", "topic"]) == 0
    topics = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    assert topics[0][:3] == ["咨询主题", "智能咨询访问", "智能咨询"]  # taps belong to no topic: no column of zeros
    assert int(topics[-1][1]) == visits

    chart = tmp_path / "month.png"
    assert main(["fleet", "report", "--db", path, "--from", "2026-10-01", "--to", "2026-10-31",
                 "--by", "topic", "--format", "png", "--out", str(chart)]) == 0
    with Image.open(chart) as image:
        assert image.size == (1400, 800)
        assert len(image.convert("RGB").getcolors(maxcolors=100_000)) > 5


@pytest.mark.parametrize(("peak", "step"), [(1, 1), (3, 1), (7, 2), (12, 5), (54, 20), (216, 50), (2345, 500)])
def test_chart_axis_steps_are_round_whole_counts(peak, step):
    assert _tick_step(peak) == step


def test_a_topic_a_content_job_added_is_counted_and_named_by_the_pack_given(tmp_path, clock, capsys):
    """The console counts any topic id (kiosks may run a pack it has not seen) and names those its pack declares."""
    path = tmp_path / "console.db"
    db = open_store(path, clock)
    db.start()
    started = [("consult.started", {"session": f"{n:032x}", "topic": topic})
               for n, topic in enumerate(["labor", "tenancy", "tenancy"])]
    items = [(protocol.parse_topic(protocol.Topics("r320102", "k-0001").tel("usage")),
              protocol.decode(protocol.Kind.TELEMETRY, protocol.encode_batch(
                  "usage", 1, seq, "b", [(seq, MONTH_START_MS, 1, kind, json.dumps(data))], protocol.ClockState())),
              MONTH_START_MS) for seq, (kind, data) in enumerate(started, 1)]
    db.call(lambda d: store.ingest(d, items))
    db.stop()
    report = ["fleet", "report", "--db", str(path), "--from", "2026-10-01", "--to", "2026-10-01", "--by", "topic"]

    def rows() -> dict[str, str]:
        table = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
        return {row[0]: row[1] for row in table[1:-1]}

    assert main(report) == 0
    assert rows() == {"劳动争议与欠薪": "1", "tenancy": "2"}
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("topics:\n  labor: {kind: topic, name: 劳动争议}\n"
                                    "  tenancy: {kind: topic, name: 房屋租赁}\n", encoding="utf-8")
    assert main([*report, "--content", str(pack)]) == 0
    assert rows() == {"劳动争议": "1", "房屋租赁": "2"}
