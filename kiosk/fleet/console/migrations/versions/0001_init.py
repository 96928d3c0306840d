"""Creates the console store: kiosks and presence, stream positions, de-duplicated events, desired, commands."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.create_table(
        "kiosks", sa.Column("kid", text, primary_key=True), sa.Column("region", text, nullable=False),
        sa.Column("online", sa.SmallInteger, nullable=False, server_default="0"),
        sa.Column("sess", big, nullable=False, server_default="0"),
        sa.Column("changed_ms", big, nullable=False, server_default="0"),
        sa.Column("last_seen_ms", big, nullable=False, server_default="0"),
        sa.Column("boot", text), sa.Column("sw", text), sa.Column("birth", text),
        sa.Column("applied_version", big, nullable=False, server_default="0"), sa.Column("reported", text),
        sa.Column("clock_offset_ms", big))
    op.create_table(
        "streams", sa.Column("kid", text, primary_key=True), sa.Column("stream", text, primary_key=True),
        sa.Column("epoch", big, primary_key=True), sa.Column("upto", big, nullable=False),
        sa.Column("high", big, nullable=False), sa.Column("refused", big, nullable=False, server_default="0"),
        sa.Column("dropped", big, nullable=False, server_default="0"), sqlite_with_rowid=False)
    op.create_table(
        "events", sa.Column("kid", text, primary_key=True), sa.Column("stream", text, primary_key=True),
        sa.Column("epoch", big, primary_key=True), sa.Column("seq", big, primary_key=True),
        sa.Column("region", text, nullable=False), sa.Column("kind", text, nullable=False),
        sa.Column("t_ms", big, nullable=False), sa.Column("t_wall", big, nullable=False),
        sa.Column("t_mono", big, nullable=False), sa.Column("boot", text, nullable=False),
        sa.Column("data", text, nullable=False), sqlite_with_rowid=False)
    op.create_index("events_kind_time", "events", ["kind", "t_ms"])
    op.create_table(
        "desired", sa.Column("kid", text, primary_key=True), sa.Column("region", text, nullable=False),
        sa.Column("version", big, nullable=False), sa.Column("config", text, nullable=False),
        sa.Column("updated_ms", big, nullable=False))
    op.create_table(
        "commands", sa.Column("id", text, primary_key=True), sa.Column("kid", text, nullable=False),
        sa.Column("region", text, nullable=False), sa.Column("name", text, nullable=False),
        sa.Column("args", text, nullable=False), sa.Column("issued_ms", big, nullable=False),
        sa.Column("expires_ms", big, nullable=False), sa.Column("phase", text), sa.Column("code", sa.Integer),
        sa.Column("result", text), sa.Column("error", text), sa.Column("updated_ms", big, nullable=False))
