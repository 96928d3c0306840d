"""Keeps telemetry by batch (seq ranges with their payload) and per-day counts; `events` becomes a view of them.

The carry-over of per-event rows is SQLite's alone: only SQLite stores ever held them (a PostgreSQL store is made
from these revisions in one go, empty).
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"

EVENTS_VIEW = {
    "sqlite": """CREATE VIEW events (kid, stream, epoch, seq, region, kind, t_ms, t_wall, t_mono, boot, data) AS
    SELECT b.kid, b.stream, b.epoch, b.q + t.key, b.region,
           json_extract(b.payload, '$.vocab[' || json_extract(b.payload, '$.x[' || t.key || ']') || '][0]'),
           t.value + b.offset_ms, t.value, json_extract(b.payload, '$.m[' || t.key || ']'),
           json_extract(b.payload, '$.boot'),
           json_extract(b.payload, '$.vocab[' || json_extract(b.payload, '$.x[' || t.key || ']') || '][1]')
    FROM batches b, json_each(b.payload, '$.t') t
    WHERE t.key BETWEEN b.first - b.q AND b.last - b.q""",
    "postgresql": """CREATE VIEW events (kid, stream, epoch, seq, region, kind, t_ms, t_wall, t_mono, boot, data) AS
    SELECT b.kid, b.stream, b.epoch, b.q + t.i - 1, b.region,
           p.doc -> 'vocab' -> ((p.doc -> 'x' ->> (t.i - 1)::int)::int) ->> 0,
           t.wall::bigint + b.offset_ms, t.wall::bigint, (p.doc -> 'm' ->> (t.i - 1)::int)::bigint,
           p.doc ->> 'boot',
           (p.doc -> 'vocab' -> ((p.doc -> 'x' ->> (t.i - 1)::int)::int) -> 1)::text
    FROM batches b CROSS JOIN LATERAL (SELECT b.payload::jsonb AS doc) p
    CROSS JOIN LATERAL jsonb_array_elements_text(p.doc -> 't') WITH ORDINALITY AS t (wall, i)
    WHERE t.i - 1 BETWEEN b.first - b.q AND b.last - b.q""",
}
"""One row per stored event, unpacked from the batch rows: for looking into what a kiosk sent, not for reports."""


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.create_table(
        "batches", sa.Column("kid", text, primary_key=True), sa.Column("stream", text, primary_key=True),
        sa.Column("epoch", big, primary_key=True), sa.Column("first", big, primary_key=True),
        sa.Column("last", big, nullable=False), sa.Column("region", text, nullable=False),
        sa.Column("q", big, nullable=False), sa.Column("offset_ms", big, nullable=False),
        sa.Column("received_ms", big, nullable=False), sa.Column("payload", text, nullable=False))
    op.create_table(
        "daily_counts", sa.Column("day", sa.Integer, primary_key=True), sa.Column("kid", text, primary_key=True),
        sa.Column("region", text, primary_key=True), sa.Column("kind", text, primary_key=True),
        sa.Column("data", text, primary_key=True), sa.Column("n", sa.Integer, nullable=False),
        sqlite_with_rowid=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("""INSERT INTO batches SELECT kid, stream, epoch, seq, seq, region, seq, t_ms - t_wall, 0,
            json_object('v', 2, 'stream', stream, 'epoch', epoch, 'base', seq, 'q', seq, 'boot', boot,
                        'vocab', json_array(json_array(kind, json(data))), 't', json_array(t_wall),
                        'm', json_array(t_mono), 'x', json_array(0), 'clk', json_object('synced', json('false')))
            FROM events""")
        op.execute("""INSERT INTO daily_counts SELECT (t_ms + 28800000) / 86400000, kid, region, kind, data,
            COUNT(*) FROM events GROUP BY 1, 2, 3, 4, 5""")
    op.drop_table("events")
    op.execute(EVENTS_VIEW[dialect])
