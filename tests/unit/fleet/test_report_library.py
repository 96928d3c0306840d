"""The bureau's report shows the law library and 普法 (issue 18): searches, articles read and printed, cards read,
by region and kiosk, and cards read by topic."""

from __future__ import annotations

import csv
import io
import json

from kiosk.cli.main import main
from kiosk.legal.library_usage import law_key
from kiosk.fleet import protocol
from kiosk.fleet.console import store
from kiosk.fleet.console.server import open_store
from tests.unit.fleet.test_report import MONTH_START_MS

LAW = law_key("中华人民共和国民法典")


def _ingest(db, events: list[tuple[str, dict]]) -> None:
    ref = protocol.parse_topic(protocol.Topics("r320102", "k-0001").tel("usage"))
    items = [(ref, protocol.decode(protocol.Kind.TELEMETRY, protocol.encode_batch(
        "usage", 1, seq, "b", [(seq, MONTH_START_MS, 1, kind, json.dumps(data))], protocol.ClockState())),
        MONTH_START_MS) for seq, (kind, data) in enumerate(events, 1)]
    db.call(lambda d: store.ingest(d, items))


def test_library_and_pufa_columns(tmp_path, clock, capsys):
    path = tmp_path / "console.db"
    db = open_store(path, clock)
    db.start()
    session = "ab" * 16
    _ingest(db, [("library.search", {"session": session, "found": 12}),
                 ("library.search", {"session": session, "found": 0}),
                 ("library.article", {"session": session, "law": LAW, "article": 1165, "via": "search", "rank": 1}),
                 ("library.article", {"session": session, "law": LAW, "article": 1166, "via": "step"}),
                 ("library.printed", {"session": session, "law": LAW, "article": 1166, "ok": True}),
                 ("pufa.read", {"session": session, "card": "labor_wages", "topic": "labor"}),
                 ("pufa.read", {"session": session, "card": "debt_iou", "topic": "debt"})])
    db.stop()
    report = ["fleet", "report", "--db", str(path), "--from", "2026-10-01", "--to", "2026-10-01"]

    def table(by: str) -> dict[str, dict[str, str]]:
        assert main([*report, "--by", by]) == 0
        rows = list(csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
        return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}

    total = table("region")["合计"]
    assert (total["法律法规查询"], total["查看法条"], total["打印法条"], total["普法学习"]) == ("2", "2", "1", "2")
    by_topic = table("topic")
    assert [row["普法学习"] for row in by_topic.values()] == ["1", "1", "2"]   # debt, labor, total
    assert "查看法条" not in by_topic["合计"]   # the library's use belongs to no topic
