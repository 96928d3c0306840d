"""Adds each terminal's health history: five-minute samples, folded into hourly ones after two days."""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.create_table(
        "health_samples", sa.Column("kid", text, primary_key=True), sa.Column("at_ms", big, primary_key=True),
        sa.Column("span_ms", big, nullable=False), sa.Column("samples", sa.Integer, nullable=False),
        sa.Column("online", sa.Integer, nullable=False), sa.Column("paper", text),
        sa.Column("faults", text, nullable=False), sa.Column("backlog", big, nullable=False),
        sa.Column("clock_offset_ms", big), sa.Column("sw", text), sa.Column("applied_version", big, nullable=False),
        sa.Column("desired_version", big), sa.Column("content_version", text))
    op.create_index("health_samples_at", "health_samples", ["at_ms"])
