"""Adds content job executions: what was issued to which kiosk, and the last state it reported."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    big, text = sa.BigInteger, sa.Text
    op.create_table(
        "jobs", sa.Column("id", text, primary_key=True), sa.Column("kid", text, primary_key=True),
        sa.Column("region", text, nullable=False), sa.Column("exec_ver", big, nullable=False),
        sa.Column("document", text, nullable=False), sa.Column("issued_ms", big, nullable=False),
        sa.Column("status", text, nullable=False, server_default="QUEUED"), sa.Column("progress_cnt", big),
        sa.Column("progress_of", big), sa.Column("error", text), sa.Column("updated_ms", big, nullable=False))
