"""Adds what the server needs to trust no sequence number blindly: per-epoch announced, seen, ceiling and replay
floor; batches held aside (quarantine), rewinds with the epochs forced for them, and the operator's alerts.

Filling the new columns from stored batches is SQLite's alone (see 0003: a PostgreSQL store is empty here).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    for column in (sa.Column("announced", big, nullable=False, server_default="0"),
                   sa.Column("seen", big, nullable=False, server_default="0"), sa.Column("ceiling", big),
                   sa.Column("floor_ms", big), sa.Column("t_max_ms", big)):
        op.add_column("streams", column)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE streams SET seen = upto, t_max_ms = (SELECT MAX(json_extract(b.payload, '$.t[#-1]') "
                   "+ b.offset_ms) FROM batches b WHERE b.kid = streams.kid AND b.stream = streams.stream "
                   "AND b.epoch = streams.epoch)")
    op.create_table(
        "quarantine", sa.Column("kid", text, primary_key=True), sa.Column("stream", text, primary_key=True),
        sa.Column("epoch", big, primary_key=True), sa.Column("first", big, primary_key=True),
        sa.Column("last", big, primary_key=True), sa.Column("reason", text, primary_key=True),
        sa.Column("region", text, nullable=False), sa.Column("received_ms", big, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False, server_default="1"), sa.Column("detail", text, nullable=False),
        sa.Column("payload", text, nullable=False))
    op.create_table(
        "rewinds", sa.Column("kid", text, primary_key=True), sa.Column("stream", text, primary_key=True),
        sa.Column("epoch", big, primary_key=True), sa.Column("region", text, nullable=False),
        sa.Column("cause", text, nullable=False), sa.Column("high", big, nullable=False),
        sa.Column("ceiling", big, nullable=False), sa.Column("detected_ms", big, nullable=False),
        sa.Column("command_id", text), sa.Column("forced_ms", big), sa.Column("new_epoch", big),
        sa.Column("resolved_ms", big))
    op.create_table(
        "alerts", sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                            autoincrement=True),
        sa.Column("at_ms", big, nullable=False), sa.Column("kid", text, nullable=False),
        sa.Column("region", text, nullable=False), sa.Column("kind", text, nullable=False),
        sa.Column("stream", text), sa.Column("epoch", big), sa.Column("detail", text, nullable=False))
    op.create_index("alerts_kid", "alerts", ["kid", "at_ms"])
